"""Relevance of `search` on judged queries, on the real January 2026 release.

Run from anywhere (the paths come from this file's location):

    .venv/bin/python bench/relevance.py [--db FILE] [--json OUT] [--failures]

Each judgment is a text a coder would type and the codes they would accept among the first K
hits (written from the descriptions of the January 2026 file). The script runs every text
through the API (`schema.execute`, as of 2026-01-15) and reports, overall and by group: the
pass rate (an accepted code in the first K), MRR@10 (the mean of 1/rank of the first accepted
code in the first ten, 0 when none is) and how often a discontinued code comes first while an
active code is among the hits. It is a benchmark, not a test: it prints numbers and fails on
none. A few of its cases are kept as regression tests in tests/schema/test_search_ranking.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from relevance_judgments import JUDGMENTS  # noqa: E402

from hcpcs_graphql.db.connection import connect_read_only  # noqa: E402
from hcpcs_graphql.db.loader import load  # noqa: E402
from hcpcs_graphql.ingest.sources import find_releases  # noqa: E402
from hcpcs_graphql.schema.schema import schema  # noqa: E402
from hcpcs_graphql.services.catalog import Catalog  # noqa: E402
from hcpcs_graphql.services.context import make_context  # noqa: E402

JANUARY_2026 = REPOSITORY.parent / "shared" / "data" / "hcpcs" / "2026-01_JAN"
AS_OF = "2026-01-15"
TOP = 10

SEARCH = """
query Judge($text: String!, $asOf: Date!) {
  search(text: $text, asOf: $asOf, first: 10) {
    edges { node { code status(on: $asOf) { status } } }
  }
}
"""


@dataclass
class Outcome:
    group: str
    text: str
    passed: bool
    reciprocal_rank: float
    discontinued_first: bool
    hits: list[str]


@dataclass
class Summary:
    queries: int
    pass_rate: float
    mrr: float
    discontinued_first: int


def _summary(outcomes: list[Outcome]) -> Summary:
    count = len(outcomes)
    return Summary(
        count,
        sum(o.passed for o in outcomes) / count,
        sum(o.reciprocal_rank for o in outcomes) / count,
        sum(o.discontinued_first for o in outcomes),
    )


async def judge(db: Path) -> list[Outcome]:
    connection = await connect_read_only(db)
    try:
        catalog = await Catalog.read(connection)
        outcomes = []
        for judgment in JUDGMENTS:
            context = make_context(connection, catalog)
            result = await schema.execute(
                SEARCH,
                variable_values={"text": judgment.text, "asOf": AS_OF},
                context_value=context,
            )
            edges: list[dict[str, Any]] = []
            if result.errors is None and result.data is not None:
                edges = result.data["search"]["edges"]
            codes = [edge["node"]["code"] for edge in edges]
            statuses = [edge["node"]["status"]["status"] for edge in edges]
            rank = next(
                (i + 1 for i, code in enumerate(codes[:TOP]) if code in judgment.accepted), None
            )
            outcomes.append(
                Outcome(
                    judgment.group,
                    judgment.text,
                    rank is not None and rank <= judgment.k,
                    0.0 if rank is None else 1 / rank,
                    bool(statuses) and statuses[0] != "ACTIVE" and "ACTIVE" in statuses,
                    codes[:5] if result.errors is None else [str(result.errors[0])],
                )
            )
        return outcomes
    finally:
        await connection.close()


def report(outcomes: list[Outcome], failures: bool) -> dict[str, Any]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.group].append(outcome)
    rows = {name: _summary(found) for name, found in groups.items()}
    rows["all"] = _summary(outcomes)
    print(f"{'group':<10} {'queries':>7} {'pass':>7} {'MRR@10':>7} {'disc. first':>11}")
    for name, row in rows.items():
        print(
            f"{name:<10} {row.queries:>7} {row.pass_rate:>7.1%} {row.mrr:>7.3f}"
            f" {row.discontinued_first:>11}"
        )
    missed = [o for o in outcomes if not o.passed or o.discontinued_first]
    if failures:
        for outcome in missed:
            print(f"  FAIL {outcome.group:<9} {outcome.text!r:<36} got {' '.join(outcome.hits)}")
    return {
        "rows": {name: asdict(row) for name, row in rows.items()},
        "failures": [asdict(o) for o in missed],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database holding January 2026 (reused)")
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON here")
    parser.add_argument("--failures", action="store_true", help="list the failed judgments")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hcpcs-relevance-") as work:
        db = args.db or Path(work) / "hcpcs.db"
        if not db.exists():
            load(db, find_releases(JANUARY_2026))
        outcomes = asyncio.run(judge(db))
    found = report(outcomes, args.failures)
    if args.json is not None:
        args.json.write_text(json.dumps(found, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
