"""reconcile (a chargemaster review) from October 2025 to January 2026: each bucket, the counts
of every code against CMS's own action codes, repeats and case, paging, errors, statements, and
10,000 codes over HTTP."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.reconcile import reconcile
from tests.conftest import app_client
from tests.graphql import execute, failure
from tests.paging import moved

REVIEW = """
query Review($codes: [String!]!, $from: String!, $to: String!, $buckets: [ReconcileBucket!],
             $first: Int, $after: String) {
  reconcile(codes: $codes, from: $from, to: $to) {
    from { id }
    to { id }
    givenCount
    codeCount
    counts { bucket count }
    entries(buckets: $buckets, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        node {
          code
          bucket
          message
          changes { field from to }
          from { shortDescription }
          to { shortDescription }
          replacements { code target { code } }
          suggestions { code { code } reason }
        }
      }
    }
  }
}
"""

COUNTS = """
query Counts($codes: [String!]!) {
  reconcile(codes: $codes, from: "2025-10", to: "2026-01") { codeCount counts { bucket count } }
}
"""


async def run(context: Context, query: str = REVIEW, **variables: Any) -> Any:
    variables = {"from": "2025-10", "to": "2026-01", **variables}
    return (await execute(context, query, **variables))["reconcile"]


def counts(**found: int) -> list[dict[str, Any]]:
    buckets = [
        "UNCHANGED", "DESCRIPTION_CHANGED", "PAYMENT_CHANGED", "DISCONTINUED", "ADDED",
        "UNKNOWN", "UNCHECKED",
    ]  # fmt: skip
    return [{"bucket": bucket, "count": found.get(bucket, 0)} for bucket in buckets]


def tallied(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The counts of a review whose every entry is in EDGES: one source for both."""
    return counts(**Counter(edge["node"]["bucket"] for edge in edges))


def entry(
    code: str,
    bucket: str,
    message: str,
    *,
    changes: list[tuple[str, str | None, str | None]] = (),  # type: ignore[assignment]
    before: str | None = None,
    after: str | None = None,
    replacements: list[dict[str, Any]] | None = None,
    suggestions: list[str] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    return {
        "node": {
            "code": code,
            "bucket": bucket,
            "message": message,
            "changes": [{"field": f, "from": old, "to": new} for f, old, new in changes],
            "from": None if before is None else {"shortDescription": before},
            "to": None if after is None else {"shortDescription": after},
            "replacements": replacements or [],
            "suggestions": [{"code": {"code": c}, "reason": "CODE_SHAPE"} for c in suggestions],
        }
    }


UNCHANGED = "No change in descriptions or payment-relevant fields from 2025-10 to 2026-01."


async def test_each_bucket(context: Context) -> None:
    review = await run(
        context,
        codes=["J9035", "J0759", "A2001", "J1572", "J9020", "A4466", "A4297", "A0022", "99213"],
    )
    start = review["entries"]["pageInfo"]["startCursor"]
    edges = [
        entry(
            "J9035",
            "UNCHANGED",
            UNCHANGED,
            before="Bevacizumab injection",
            after="Bevacizumab injection",
        ),
        entry(
            "J0759",
            "DESCRIPTION_CHANGED",
            "Short description changed.",
            changes=[("SHORT_DESCRIPTION", "Inj, clevidepine, 1 mg", "Inj, clevidipine, 1 mg")],
            before="Inj, clevidepine, 1 mg",
            after="Inj, clevidipine, 1 mg",
        ),
        entry(
            "A2001",
            "PAYMENT_CHANGED",
            "Long description changed; pricing indicators 13 -> 11; ASC payment group "
            "(blank) -> YY.",
            changes=[
                (
                    "LONG_DESCRIPTION",
                    "Innovamatrix ac, per square centimeter",
                    "Innovamatrix ac, per square centimeter (add-on, list separately in "
                    "addition to primary procedure)",
                ),
                ("PRICING_INDICATORS", "13", "11"),
                ("ASC_PAYMENT_GROUP", None, "YY"),
            ],
            before="Innovamatrix ac, per sq cm",
            after="Innovamatrix ac, per sq cm",
        ),
        # A payment change that CMS marks N (no maintenance).
        entry(
            "J1572",
            "PAYMENT_CHANGED",
            "ASC payment group YY -> (blank).",
            changes=[("ASC_PAYMENT_GROUP", "YY", None)],
            before="Flebogamma injection",
            after="Flebogamma injection",
        ),
        entry(
            "J9020",
            "DISCONTINUED",
            "Discontinued: its last valid day is 2025-12-31. CMS cross-references no other code.",
            before="Asparaginase, nos",
            after="Asparaginase, nos",
        ),
        entry(
            "A4466",
            "DISCONTINUED",
            "Discontinued: its last valid day is 2016-12-31. CMS cross-references A4467.",
            before="Elastic garment/covering",
            after="Elastic garment/covering",
            replacements=[{"code": "A4467", "target": {"code": "A4467"}}],
        ),
        entry(
            "A4297",
            "ADDED",
            "Added: in 2026-01 (added date 2026-01-01), not in 2025-10.",
            after="Hydrophilic coat insert sup",
        ),
        entry(
            "A0022",
            "UNKNOWN",
            "A0022 is in neither 2025-10 nor 2026-01.",
            suggestions=["A0021", "A0422", "A2022", "A6022", "G0022"],
        ),
        entry(
            "99213",
            "UNCHECKED",
            "99213 has the shape of a CPT (Level I) code, which the CMS HCPCS Level II "
            "file does not hold: not reviewed.",
        ),
    ]
    assert review == {
        "from": {"id": "2025-10"},
        "to": {"id": "2026-01"},
        "givenCount": 9,
        "codeCount": 9,
        "counts": tallied(edges),
        "entries": {
            "totalCount": 9,
            "pageInfo": {
                "hasNextPage": False,
                "hasPreviousPage": False,
                "startCursor": moved(start, 0),
                "endCursor": moved(start, 8),
            },
            "edges": edges,
        },
    }


async def test_descriptions_that_differ_in_white_space_only_are_unchanged(
    context: Context,
) -> None:
    # The October xlsx and the January txt differ in white space only for G0023 and G2211 (CMS:
    # N, no maintenance).
    review = await run(context, COUNTS, codes=["G0023", "G2211"])
    assert review == {"codeCount": 2, "counts": counts(UNCHANGED=2)}


def every_code(db: Path) -> tuple[list[str], dict[str, str]]:
    """Every code of both releases, and the action code January 2026 gives each."""
    connection = sqlite3.connect(db)
    try:
        codes = [
            code for (code,) in connection.execute("select distinct code from code order by code")
        ]
        actions = dict(
            connection.execute("select code, action_cd from code where release_id = '2026-01'")
        )
    finally:
        connection.close()
    return codes, actions


EVERY_CODE = {
    "UNCHANGED": 7163,
    "DESCRIPTION_CHANGED": 20,
    "PAYMENT_CHANGED": 343,
    "DISCONTINUED": 1320,
    "ADDED": 160,
}
"""The buckets of every code of January 2026 (9,006) reviewed from October 2025."""


async def test_every_code_agrees_with_the_action_codes_of_cms(
    context: Context, real_db: Path
) -> None:
    codes, actions = every_code(real_db)
    review = await run(context, COUNTS, codes=codes)
    assert review == {
        "codeCount": 9006,
        "counts": counts(**EVERY_CODE),
    }
    found = await reconcile(context, codes, "2025-10", "2026-01")
    by_action = Counter((actions[entry.code], entry.bucket.value) for entry in found.entries)
    # CMS's 160 additions, 95 discontinuations and 65 payment changes; its 294 long description
    # changes (C), 276 of which change the pricing indicators too; the 1,225 codes discontinued
    # before October 2025 (N).
    assert by_action == {
        ("A", "ADDED"): 160,
        ("D", "DISCONTINUED"): 95,
        ("P", "PAYMENT_CHANGED"): 65,
        ("C", "PAYMENT_CHANGED"): 276,
        ("C", "DESCRIPTION_CHANGED"): 18,
        ("S", "DESCRIPTION_CHANGED"): 1,
        ("N", "UNCHANGED"): 7163,
        ("N", "DISCONTINUED"): 1225,
        ("N", "PAYMENT_CHANGED"): 2,  # J1572 (ASC group) and J3290 (multiple pricing)
        ("N", "DESCRIPTION_CHANGED"): 1,  # L6034
    }
    changed = Counter(change.field.value for entry in found.entries for change in entry.changes)
    assert changed == {
        "LONG_DESCRIPTION": 295,
        "PRICING_INDICATORS": 308,
        "ASC_PAYMENT_GROUP": 296,
        "SHORT_DESCRIPTION": 16,
        "MULTIPLE_PRICING_INDICATOR": 2,
    }


async def test_repeats_case_and_blanks(context: Context) -> None:
    review = await run(context, codes=["j9035", " J9035 ", "", "a4297", "J9035"], buckets=["ADDED"])
    assert (review["givenCount"], review["codeCount"], review["counts"]) == (
        5,
        2,
        counts(UNCHANGED=1, ADDED=1),
    )
    assert [edge["node"]["code"] for edge in review["entries"]["edges"]] == ["A4297"]


async def test_paging_visits_every_entry_once(context: Context, real_db: Path) -> None:
    codes, _ = every_code(real_db)
    seen: list[str] = []
    after = None
    while True:
        review = await run(
            context, codes=codes, buckets=["ADDED", "DESCRIPTION_CHANGED"], first=100, after=after
        )
        page = review["entries"]
        seen += [edge["node"]["code"] for edge in page["edges"]]
        assert page["totalCount"] == 180
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 180
    assert seen == sorted(seen)  # the order given


async def errors(context: Context, **variables: Any) -> list[tuple[str, Any]]:
    variables = {"codes": ["J9035"], "from": "2025-10", "to": "2026-01", **variables}
    return await failure(context, REVIEW, **variables)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {"codes": ["J9035"] * 10_001},
            (
                "reconcile takes at most 10,000 codes per request; 10,001 were given",
                "TOO_MANY_CODES",
            ),
        ),
        (
            {"from": "2026-01", "to": "2025-10"},
            (
                "`from` (2026-01) takes effect after `to` (2025-10): give the older release as "
                "`from`",
                "BAD_RELEASE_CHOICE",
            ),
        ),
        (
            {"to": "2026-04"},
            (
                "release '2026-04' is not loaded; loaded releases: 2026-01, 2025-10",
                "UNKNOWN_RELEASE",
            ),
        ),
        (
            {"first": 101},
            ("`first` may be at most 100; 101 was given", "BAD_PAGE"),
        ),
    ],
)
async def test_errors(
    context: Context, variables: dict[str, Any], expected: tuple[str, str]
) -> None:
    message, code = expected
    assert await errors(context, **variables) == [(message, {"code": code})]


def ten_thousand(db: Path) -> list[str]:
    """Every code of both releases, then CPT-shaped and unknown codes up to 10,000."""
    codes, _ = every_code(db)
    extra = [f"{n:05d}" for n in range(10_000 - len(codes) - 100)]
    return codes + extra + [f"A{n:03d}Z" for n in range(100)]


async def test_10000_codes_cost_a_few_statements(
    context: Context, real_db: Path, statements: list[str]
) -> None:
    codes = ten_thousand(real_db)
    codes = codes[-50:] + codes[:-50]  # 50 unknown codes first
    review = await run(context, codes=codes, buckets=["UNKNOWN", "DISCONTINUED"], first=100)
    assert review["givenCount"] == review["codeCount"] == 10_000
    nodes = [edge["node"] for edge in review["entries"]["edges"]]
    assert Counter(node["bucket"] for node in nodes) == {"UNKNOWN": 50, "DISCONTINUED": 50}
    assert any(node["suggestions"] for node in nodes)
    assert any(node["replacements"] for node in nodes)
    # The review; the page's records and the targets of their cross-references, one batch for
    # each release; the codes one edit away from the page's unknown codes.
    assert len(statements) == 4, statements


async def test_10000_codes_over_http(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = {"query": COUNTS, "variables": {"codes": ten_thousand(real_db)}}
    async with app_client(real_db) as client:  # the default body limit, 64 KiB
        refused = await client.post("/graphql", json=body)
    assert (refused.status_code, refused.json()["errors"][0]["extensions"]) == (
        413,
        {"code": "BODY_TOO_LARGE"},
    )
    monkeypatch.setenv("HCPCS_MAX_BODY_KB", "128")
    async with app_client(real_db) as client:
        response = await client.post("/graphql", json=body)
    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "reconcile": {
                "codeCount": 10_000,
                "counts": counts(**EVERY_CODE, UNKNOWN=100, UNCHECKED=894),
            }
        },
        "extensions": {"releases": ["2025-10", "2026-01"]},
    }
