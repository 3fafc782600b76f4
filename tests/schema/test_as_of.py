"""Choosing the release by date: `asOf`, and the default (the release in effect today)."""

from __future__ import annotations

import datetime

import aiosqlite
import pytest

from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context, make_context
from tests.graphql import errors
from tests.graphql import execute_with_extensions as execute

CODE = """
query Code($code: String!, $release: String, $asOf: Date) {
  code(code: $code, release: $release, asOf: $asOf) { code release { id } action { code } }
}
"""

EVERY_ROOT_FIELD = """
query Everything($asOf: Date) {
  code(code: "C5271", asOf: $asOf) { release { id } }
  codes(codes: ["C5271"], asOf: $asOf) { release { id } }
  allCodes(asOf: $asOf, first: 1) { edges { node { release { id } } } }
  search(text: "C5271", asOf: $asOf) { edges { node { release { id } } } }
  coverageCodes(codes: ["M"]) { codes(asOf: $asOf, first: 1) { edges { node { release { id } } } } }
}
"""

STATUS_COUNTS = """
query Counts($release: String, $on: Date!) {
  releases { id statusCounts { active discontinued notYetEffective } }
  active: allCodes(release: $release, filter: {status: {on: $on, eq: ACTIVE}}) { totalCount }
  discontinued: allCodes(release: $release, filter: {status: {on: $on, eq: DISCONTINUED}}) {
    totalCount
  }
}
"""


def on(connection: aiosqlite.Connection, catalog: Catalog, day: str) -> Context:
    return make_context(connection, catalog, today=datetime.date.fromisoformat(day))


@pytest.mark.parametrize(
    ("as_of", "release", "action"),
    [
        # Each side of the quarter boundary: C5271 was discontinued in January 2026.
        ("2025-10-01", "2025-10", "N"),
        ("2025-12-31", "2025-10", "N"),
        ("2026-01-01", "2026-01", "D"),
        ("2026-03-31", "2026-01", "D"),  # later days: tests/schema/test_staleness.py
    ],
)
async def test_as_of_takes_the_release_in_effect(
    context: Context, as_of: str, release: str, action: str
) -> None:
    assert await execute(context, CODE, code="C5271", asOf=as_of) == (
        {"code": {"code": "C5271", "release": {"id": release}, "action": {"code": action}}},
        {"releases": [release]},
    )


@pytest.mark.parametrize(
    ("today", "release"), [("2025-12-31", "2025-10"), ("2026-03-31", "2026-01")]
)
async def test_the_default_is_the_release_in_effect_today(
    connection: aiosqlite.Connection, catalog: Catalog, today: str, release: str
) -> None:
    assert await execute(on(connection, catalog, today), CODE, code="C5271") == (
        {
            "code": {
                "code": "C5271",
                "release": {"id": release},
                "action": {"code": "ND"[release == "2026-01"]},
            }
        },
        {"releases": [release]},
    )


async def test_before_every_release_the_default_is_the_oldest(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    data, extensions = await execute(on(connection, catalog, "2020-01-01"), CODE, code="A9597")
    assert (data["code"]["release"], extensions) == ({"id": "2025-10"}, {"releases": ["2025-10"]})


async def test_every_field_that_reads_codes_takes_as_of(context: Context) -> None:
    release = {"release": {"id": "2025-10"}}
    assert await execute(context, EVERY_ROOT_FIELD, asOf="2025-11-15") == (
        {
            "code": release,
            "codes": [release],
            "allCodes": {"edges": [{"node": release}]},
            "search": {"edges": [{"node": release}]},
            "coverageCodes": [{"codes": {"edges": [{"node": release}]}}],
        },
        {"releases": ["2025-10"]},
    )


async def test_extensions_name_every_release_that_answered(context: Context) -> None:
    query = """
    query Both {
      new: code(code: "C5271") { code }
      old: code(code: "C5271", release: "2025-10") { code }
    }
    """
    _, extensions = await execute(context, query)
    assert extensions == {"releases": ["2026-01", "2025-10"]}


async def test_a_date_before_every_release_is_refused(context: Context) -> None:
    assert await errors(context, CODE, code="A9597", asOf="2025-09-30") == [
        (
            "no loaded release is in effect on 2025-09-30; the oldest, 2025-10, takes effect "
            "on 2025-10-01",
            {"code": "UNKNOWN_RELEASE"},
        )
    ]


async def test_release_and_as_of_together_are_refused(context: Context) -> None:
    assert await errors(context, CODE, code="A9597", release="2026-01", asOf="2026-02-01") == [
        ("give either release or asOf, not both", {"code": "BAD_RELEASE_CHOICE"})
    ]


async def test_a_malformed_date_is_refused(context: Context) -> None:
    messages = await errors(context, CODE, code="A9597", asOf="2026-13-01")
    assert [extensions for _, extensions in messages] == [{"code": "GRAPHQL_VALIDATION_FAILED"}]


@pytest.mark.parametrize(("release", "on"), [("2026-01", "2026-01-01"), ("2025-10", "2025-10-01")])
async def test_status_counts_agree_with_the_status_filter(
    context: Context, release: str, on: str
) -> None:
    data, _ = await execute(context, STATUS_COUNTS, release=release, on=on)
    counts = next(r["statusCounts"] for r in data["releases"] if r["id"] == release)
    assert (counts["active"], counts["discontinued"]) == (
        data["active"]["totalCount"],
        data["discontinued"]["totalCount"],
    )


async def test_statuses_without_a_date_are_judged_on_the_requests_today(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    query = """
    query Discontinued {
      allCodes(release: "2026-01", filter: {status: {eq: DISCONTINUED}}, first: 0) {
        totalCount
        facets { status { code count } }
      }
    }
    """
    counts = {}
    for today in ("2025-12-31", "2026-01-01"):
        data, _ = await execute(on(connection, catalog, today), query)
        facets = {
            bucket["code"]: bucket["count"] for bucket in data["allCodes"]["facets"]["status"]
        }
        counts[today] = (data["allCodes"]["totalCount"], facets["DISCONTINUED"])
    # The 95 codes whose last valid day is 2025-12-31 count from 2026-01-01 on.
    assert counts == {"2025-12-31": (1225, 1225), "2026-01-01": (1320, 1320)}
