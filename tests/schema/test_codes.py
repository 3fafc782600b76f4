from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.context import Context
from tests.fragments import EVERY_CODE_FIELD
from tests.graphql import execute

CODES = """
query Codes($codes: [String!]!, $release: String) {
  codes(codes: $codes, release: $release) { code shortDescription }
}
"""

EVERY_FIELD = (
    """
query Codes($codes: [String!]!) {
  codes(codes: $codes) {
    ...EveryCodeField
  }
}
"""
    + EVERY_CODE_FIELD
)


async def run(context: Context, query: str = CODES, **variables: Any) -> Any:
    return (await execute(context, query, **variables))["codes"]


async def test_input_order_and_null_for_unknown_codes(context: Context) -> None:
    found = await run(context, codes=["lt", "A9597", "NOPE", "A9597", "A0021"])
    assert found == [
        {"code": "LT", "shortDescription": "Left side"},
        {"code": "A9597", "shortDescription": "Pet, dx, for tumor id, noc"},
        None,
        {"code": "A9597", "shortDescription": "Pet, dx, for tumor id, noc"},
        {"code": "A0021", "shortDescription": "Outside state ambulance serv"},
    ]


async def test_empty_list(context: Context) -> None:
    assert await run(context, codes=[]) == []


async def test_codes_of_an_older_release(context: Context) -> None:
    found = await run(context, codes=["A9597"], release="2025-10")
    assert found == [{"code": "A9597", "shortDescription": "Pet, dx, for tumor id, noc"}]


async def test_at_most_100_codes(context: Context) -> None:
    assert len(await run(context, codes=["A9597"] * 100)) == 100
    result = await schema.execute(
        CODES, variable_values={"codes": ["A9597"] * 101}, context_value=context
    )
    assert result.data is None
    assert result.errors is not None
    assert [(error.message, error.extensions) for error in result.errors] == [
        (
            "codes takes at most 100 codes per request; 101 were given",
            {"code": "TOO_MANY_CODES"},
        )
    ]


def codes_with_cross_references(db: Path, count: int) -> list[str]:
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute(
            "select code from code where release_id = '2026-01' and xref1 is not null"
            " order by code limit ?",
            (count,),
        ).fetchall()
    finally:
        connection.close()
    return [code for (code,) in rows]


async def test_100_codes_with_every_nested_field_run_two_statements(
    context: Context, real_db: Path, statements: list[str]
) -> None:
    codes = codes_with_cross_references(real_db, 100)
    found = await run(context, EVERY_FIELD, codes=codes)
    assert [code["code"] for code in found] == codes
    targets = [ref["target"] for code in found for ref in code["crossReferences"]]
    assert any(target is None for target in targets)
    assert any(target is not None for target in targets)
    # One statement for the 100 codes, one for all their cross-reference targets.
    assert len(statements) == 2, statements
