"""Benchmark of `changes` between the real October 2025 and January 2026 releases, and of
`hcpcs diff`.

Run from anywhere (the paths come from this file's location):

    .venv/bin/python bench/changes.py [--db FILE] [--runs N] [--json OUT]

In process (the schema executed directly, no HTTP, each request with a fresh context): the
summary alone (`first: 0`), a first page of 20 (the default) and of 50 codes with `totalCount`
and every field of each change with the coded values' meanings, and a page of 20 whole codes
before and after; the summary computed (a new catalog) or kept from an earlier request.
Then `hcpcs diff` as a subprocess (Python start-up included): the summary, and the summary with
the full CSV. Each is a median of N runs (after one warm-up), the variants interleaved.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from queries import EVERY_CODE_FIELD
from releases import both_releases
from runner import runs_args

from hcpcs_graphql.db.connection import connect_read_only
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import make_context

HCPCS = Path(sys.executable).with_name("hcpcs")

SUMMARY = """{
  changes(from: "2025-10", to: "2026-01", first: 0) {
    totalCount summary { byKind { kind count } byField { field count } }
  }
}"""
PAGE = """query($first: Int) {
  changes(from: "2025-10", to: "2026-01", first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        code kind action { code description }
        fields {
          field before after whiteSpaceOnly
          codedBefore { code description } codedAfter { code description }
        }
      }
    }
  }
}"""
CODES = (
    """query {
  changes(from: "2025-10", to: "2026-01", first: 20) {
    edges { node { code before { ...EveryCodeField } after { ...EveryCodeField } } }
  }
}"""
    + EVERY_CODE_FIELD
)
# name: (query, variables, whether the summary kept by an earlier request may serve)
QUERIES: dict[str, tuple[str, dict[str, Any], bool]] = {
    "summary, computed": (SUMMARY, {}, False),
    "summary, kept": (SUMMARY, {}, True),
    "page of 20 + totalCount, summary computed": (PAGE, {"first": 20}, False),
    "page of 20 + totalCount, summary kept": (PAGE, {"first": 20}, True),
    "page of 50 + totalCount, summary kept": (PAGE, {"first": 50}, True),
    "page of 20, whole codes before and after": (CODES, {}, True),
}


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


async def in_process(db: Path, runs: int) -> dict[str, float]:
    connection = await connect_read_only(db)
    try:
        catalog = await Catalog.read(connection)
        samples: dict[str, list[float]] = {name: [] for name in QUERIES}
        for run in range(runs + 1):
            for name, (query, variables, kept) in QUERIES.items():
                used = catalog if kept else Catalog(catalog.releases, catalog.code_values)
                start = time.perf_counter()
                result = await schema.execute(
                    query, variable_values=variables, context_value=make_context(connection, used)
                )
                elapsed = time.perf_counter() - start
                if result.errors:
                    raise SystemExit(f"{name}: {result.errors}")
                if run:  # the first run warms up
                    samples[name].append(elapsed)
        return {name: median_ms(found) for name, found in samples.items()}
    finally:
        await connection.close()


def command(db: Path, runs: int, folder: Path) -> dict[str, float]:
    variants: dict[str, Callable[[], list[str]]] = {
        "hcpcs diff (summary)": lambda: [],
        "hcpcs diff --csv": lambda: ["--csv", str(folder / "changes.csv")],
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for run in range(runs + 1):
        for name, extra in variants.items():
            start = time.perf_counter()
            subprocess.run(
                [str(HCPCS), "diff", "2025-10", "2026-01", "--db", str(db), *extra()],
                check=True,
                capture_output=True,
            )
            if run:
                samples[name].append(time.perf_counter() - start)
    return {name: median_ms(found) for name, found in samples.items()}


def main() -> None:
    args = runs_args(__doc__, 15)
    with both_releases(args.db, "hcpcs-bench-changes-") as (db, folder):
        numbers = asyncio.run(in_process(db, args.runs))
        numbers.update(command(db, max(3, args.runs // 3), folder))
    for name, value in numbers.items():
        print(f"{name:<45} {value:>8.1f} ms (median)")
    if args.json is not None:
        args.json.write_text(json.dumps(numbers, indent=2) + "\n")


if __name__ == "__main__":
    main()
