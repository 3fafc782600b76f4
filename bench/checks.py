"""Benchmark of the checks billing teams run, on the real October 2025 and January 2026 releases:
checkClaimLines with 100 lines and reconcile with 10,000 codes, in process (the schema executed
directly, a fresh request context each run), and `hcpcs reconcile` on a 10,000-row CSV as a
subprocess. Medians of several runs, with the SQL statements each request runs.

Run from anywhere (the paths come from this file's location):

    .venv/bin/python bench/checks.py [--db FILE] [--runs N] [--json OUT]

Without --db, both releases are loaded into a temporary database first. See bench/README.md.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

from processes import hcpcs_command
from releases import both_releases
from runner import runs_args

from hcpcs_graphql.db.connection import connect_read_only, statement_clock
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import make_context

CHECK = """
query Check($lines: [ClaimLineInput!]!) {
  checkClaimLines(lines: $lines) {
    line severity release { id }
    findings { verdict severity subject message }
    record { code shortDescription terminationDate coverage { code description } }
    replacements { code target { code shortDescription } }
    suggestions { reason code { code shortDescription } }
  }
}
"""
REVIEW = """
query Review($codes: [String!]!) {
  reconcile(codes: $codes, from: "2025-10", to: "2026-01") {
    givenCount codeCount counts { bucket count }
    entries(buckets: [PAYMENT_CHANGED, DISCONTINUED, UNKNOWN], first: 100) {
      totalCount
      edges { node { code bucket message changes { field from to }
        to { shortDescription } replacements { code } suggestions { code { code } } } }
    }
  }
}
"""
KINDS: list[tuple[str, str, list[str]]] = [
    ("J9035", "2026-01-15", ["LT", "JG"]),
    ("A4466", "2026-01-15", []),
    ("A4297", "2025-11-15", []),
    ("A0022", "2026-01-15", []),
    ("bevacizumab", "2026-01-15", []),
    ("A0021", "2025-11-15", ["ZZ"]),
    ("J3490", "2026-01-15", []),
    ("99213", "2026-01-15", ["25"]),
]


def claim_lines(count: int) -> list[dict[str, Any]]:
    """Lines of every kind in turn: valid with modifiers, discontinued, not yet effective,
    unknown (a code and words), not covered, NOC, CPT."""
    return [
        {"code": code, "dateOfService": day, "modifiers": modifiers}
        for code, day, modifiers in (KINDS[n % len(KINDS)] for n in range(count))
    ]


def chargemaster_codes(db: Path, count: int) -> list[str]:
    """Every code of both releases, then unknown and CPT-shaped codes up to COUNT."""
    connection = sqlite3.connect(db)
    try:
        codes = [c for (c,) in connection.execute("select distinct code from code order by code")]
    finally:
        connection.close()
    extra = count - len(codes)
    return codes + [f"A{n:03d}Z" for n in range(100)] + [f"{n:05d}" for n in range(extra - 100)]


async def in_process(db: Path, runs: int) -> dict[str, Any]:
    connection = await connect_read_only(db)
    catalog = await Catalog.read(connection)
    seen: list[str] = []
    statement_clock(connection).listeners.append(seen.append)
    found: dict[str, Any] = {}
    cases: dict[str, tuple[str, dict[str, Any]]] = {
        "checkClaimLines, 100 lines": (CHECK, {"lines": claim_lines(100)}),
        "checkClaimLines, 8 lines": (CHECK, {"lines": claim_lines(8)}),
        "reconcile, 10,000 codes": (REVIEW, {"codes": chargemaster_codes(db, 10_000)}),
    }
    try:
        for name, (query, variables) in cases.items():
            times = []
            for _ in range(runs):
                seen.clear()
                context = make_context(connection, catalog)
                start = time.perf_counter()
                result = await schema.execute(
                    query, variable_values=variables, context_value=context
                )
                times.append(time.perf_counter() - start)
                assert result.errors is None, result.errors
            found[name] = {
                "median_ms": round(statistics.median(times) * 1000, 1),
                "min_ms": round(min(times) * 1000, 1),
                "statements": len([s for s in seen if not s.startswith("--")]),
            }
    finally:
        await connection.close()
    return found


def command_line(db: Path, runs: int, folder: Path) -> dict[str, Any]:
    path = folder / "chargemaster.csv"
    rows = [f"{n},item {n},{code},1.00" for n, code in enumerate(chargemaster_codes(db, 10_000))]
    path.write_text("Charge Code,Description,HCPCS,Price\n" + "\n".join(rows) + "\n")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [str(hcpcs_command()), "reconcile", str(path), "--from",
             "2025-10", "--to", "2026-01", "--db", str(db), "--output", str(folder / "out.csv")],
            check=True,
            capture_output=True,
        )  # fmt: skip
        times.append(time.perf_counter() - start)
    return {"hcpcs reconcile, 10,000 rows": {"median_ms": round(statistics.median(times) * 1000)}}


def main() -> None:
    args = runs_args(__doc__, 9)
    with both_releases(args.db, "hcpcs-checks-") as (db, folder):
        results = asyncio.run(in_process(db, args.runs))
        results |= command_line(db, max(3, args.runs // 3), folder)
    for name, numbers in results.items():
        print(f"{name:<32} " + "  ".join(f"{key} {value}" for key, value in numbers.items()))
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
