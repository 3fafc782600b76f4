"""Saying when the answer is stale: CMS's release in effect on a day is newer than any loaded
(the real releases end with 2026-01; 2026-04 takes effect on 2026-04-01)."""

from __future__ import annotations

import datetime

import aiosqlite
import pytest

from hcpcs_graphql.domain.calendar import age_days, release_for, today_from
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context, make_context
from hcpcs_graphql.services.freshness import freshness
from tests.graphql import execute_with_extensions as execute

CODE = """
query Code($code: String!, $release: String, $asOf: Date) {
  code(code: $code, release: $release, asOf: $asOf) { code release { id } }
}
"""
RELEASES = "{ releases { id isNewest supersededBy { id } } }"
CHECK = """
query Check($lines: [ClaimLineInput!]!) {
  checkClaimLines(lines: $lines) { release { id } severity findings { verdict severity message } }
}
"""


def stale(day: str, expected: str) -> dict[str, str]:
    return {
        "code": "STALE_RELEASE",
        "message": f"CMS's release in effect on {day} is {expected}, which is not loaded: the"
        " answer comes from 2026-01, the newest loaded",
        "expectedRelease": expected,
        "release": "2026-01",
    }


def on(connection: aiosqlite.Connection, catalog: Catalog, day: str) -> Context:
    return make_context(connection, catalog, today=datetime.date.fromisoformat(day))


@pytest.mark.parametrize(
    ("day", "release_id"),
    [
        ("2026-01-01", "2026-01"),
        ("2026-03-31", "2026-01"),
        ("2026-04-01", "2026-04"),
        ("2026-11-30", "2026-10"),
        ("2026-12-31", "2026-10"),
    ],
)
def test_cms_calendar(day: str, release_id: str) -> None:
    assert release_for(datetime.date.fromisoformat(day)) == release_id


def test_age_and_today() -> None:
    assert age_days("2026-01", datetime.date(2026, 12, 2)) == 335
    assert today_from({"HCPCS_TODAY": "2026-12-02"}) == datetime.date(2026, 12, 2)
    with pytest.raises(ValueError, match="HCPCS_TODAY must be a date, YYYY-MM-DD, not 'soon'"):
        today_from({"HCPCS_TODAY": "soon"})


async def test_the_default_on_a_day_a_newer_release_is_due_says_so(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    assert await execute(on(connection, catalog, "2026-12-02"), CODE, code="J9035") == (
        {"code": {"code": "J9035", "release": {"id": "2026-01"}}},
        {"releases": ["2026-01"], "warnings": [stale("2026-12-02", "2026-10")]},
    )


async def test_an_as_of_a_newer_release_is_due_says_so(context: Context) -> None:
    assert await execute(context, CODE, code="J9035", asOf="2026-04-01") == (
        {"code": {"code": "J9035", "release": {"id": "2026-01"}}},
        {"releases": ["2026-01"], "warnings": [stale("2026-04-01", "2026-04")]},
    )


async def test_in_the_quarter_of_the_newest_release_there_is_no_warning(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    _, extensions = await execute(on(connection, catalog, "2026-03-31"), CODE, code="J9035")
    assert extensions == {"releases": ["2026-01"]}


async def test_a_release_named_is_what_the_client_asked_for_no_warning(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    context = on(connection, catalog, "2026-12-02")
    _, extensions = await execute(context, CODE, code="J9035", release="2026-01")
    assert extensions == {"releases": ["2026-01"]}


async def test_a_claim_line_dated_after_the_newest_release_gets_a_finding(
    context: Context,
) -> None:
    lines = [
        {"code": "J9035", "dateOfService": "2026-11-30", "modifiers": []},
        {"code": "J9035", "dateOfService": "2026-01-15", "modifiers": []},
    ]
    data, extensions = await execute(context, CHECK, lines=lines)
    assert data["checkClaimLines"] == [
        {
            "release": {"id": "2026-01"},
            "severity": "WARNING",
            "findings": [
                {
                    "verdict": "VALID",
                    "severity": "INFO",
                    "message": "J9035 (Bevacizumab injection) is valid on 2026-11-30"
                    " (release 2026-01).",
                },
                {
                    "verdict": "RELEASE_NOT_LOADED",
                    "severity": "WARNING",
                    "message": "CMS's release in effect on 2026-11-30 is 2026-10, which is not"
                    " loaded: the line was checked against 2026-01, the newest loaded.",
                },
            ],
        },
        {
            "release": {"id": "2026-01"},
            "severity": "INFO",
            "findings": [
                {
                    "verdict": "VALID",
                    "severity": "INFO",
                    "message": "J9035 (Bevacizumab injection) is valid on 2026-01-15"
                    " (release 2026-01).",
                }
            ],
        },
    ]
    assert extensions == {"releases": ["2026-01"], "warnings": [stale("2026-11-30", "2026-10")]}


async def test_a_release_tells_whether_it_is_the_newest_and_what_supersedes_it(
    context: Context,
) -> None:
    assert await execute(context, RELEASES) == (
        {
            "releases": [
                {"id": "2026-01", "isNewest": True, "supersededBy": None},
                {"id": "2025-10", "isNewest": False, "supersededBy": {"id": "2026-01"}},
            ]
        },
        {},
    )


def test_freshness_gives_the_newest_release_its_age_and_what_is_due(catalog: Catalog) -> None:
    found = freshness(catalog, datetime.date(2026, 12, 2))
    assert found is not None
    assert found.as_json() == {
        "newestRelease": "2026-01",
        "ageDays": 335,
        "expectedRelease": "2026-10",
        "stale": True,
    }
    current = freshness(catalog, datetime.date(2026, 3, 31))
    assert current is not None
    assert (current.stale, current.age_days) == (False, 89)
    assert freshness(Catalog(releases=(), code_values={}), datetime.date(2026, 3, 31)) is None
