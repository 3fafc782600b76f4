"""bench/serve.py's step 3: the 100-code query executed in process, without HTTP, its SQL
statements traced and its execution timed."""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from paths import BenchError
from queries import CODES, CODES_QUERY, SINGLE_QUERY, Codes, execute_in_process

from hcpcs_graphql.db.connection import connect_read_only, statement_clock
from hcpcs_graphql.services.catalog import Catalog

IN_PROCESS_RUNS = 50
IN_PROCESS_BUDGET_S = 60.0


@dataclass
class InProcess:
    codes: int
    codes_with_cross_references: int
    cross_reference_targets_found: int
    statements: int
    statement_texts: list[str]
    response_bytes: int
    runs: int
    median_ms: float
    min_ms: float
    single_code_statements: int
    single_code_median_ms: float


async def measure_in_process(db: Path, codes: Codes) -> InProcess:
    connection = await connect_read_only(db)
    try:
        catalog = await Catalog.read(connection)

        execute = partial(execute_in_process, connection, catalog)
        statements: list[str] = []
        statement_clock(connection).listeners.append(statements.append)
        data = await execute(CODES_QUERY, {"codes": codes.hundred})
        hundred_statements = list(statements)
        statements.clear()
        await execute(SINGLE_QUERY, {"code": codes.hundred[0]})
        single_statements = list(statements)
        statement_clock(connection).listeners.remove(statements.append)

        found: list[dict[str, Any]] = [code for code in data["codes"] if code is not None]
        if len(found) != len(codes.hundred):
            raise BenchError(f"only {len(found)} of the {CODES} codes were found in process")
        references = [reference for code in found for reference in code["crossReferences"]]

        async def median_ms(query: str, variables: dict[str, Any]) -> tuple[float, float, int]:
            runs: list[float] = []
            deadline = time.perf_counter() + IN_PROCESS_BUDGET_S / 2
            while len(runs) < IN_PROCESS_RUNS and time.perf_counter() < deadline:
                started = time.perf_counter()
                await execute(query, variables)
                runs.append((time.perf_counter() - started) * 1000)
            return statistics.median(runs), min(runs), len(runs)

        await median_ms(CODES_QUERY, {"codes": codes.hundred})  # warm-up
        hundred_ms, hundred_min_ms, runs = await median_ms(CODES_QUERY, {"codes": codes.hundred})
        single_ms, _, _ = await median_ms(SINGLE_QUERY, {"code": codes.hundred[0]})
        return InProcess(
            codes=len(codes.hundred),
            codes_with_cross_references=sum(1 for code in found if code["crossReferences"]),
            cross_reference_targets_found=sum(
                1 for reference in references if reference["target"] is not None
            ),
            statements=len(hundred_statements),
            statement_texts=[shorten(statement) for statement in hundred_statements],
            response_bytes=len(json.dumps({"data": data}).encode()),
            runs=runs,
            median_ms=hundred_ms,
            min_ms=hundred_min_ms,
            single_code_statements=len(single_statements),
            single_code_median_ms=single_ms,
        )
    finally:
        await connection.close()


def shorten(statement: str) -> str:
    """The statement with its column list and its IN list counted rather than spelled out."""
    statement = " ".join(statement.split())
    statement = re.sub(
        r"^select (.*?) from ",
        lambda match: f"select <{match[1].count(',') + 1} columns> from ",
        statement,
    )
    return re.sub(
        r" in \((.*?)\)",
        lambda match: f" in (<{match[1].count(',') + 1} values>)",
        statement,
    )
