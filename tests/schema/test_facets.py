"""Facet counts of `allCodes` and `search` on the real January 2026 release, counted again here
in Python over the rows plain sqlite3 reads from the `code` table."""

from __future__ import annotations

import datetime
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from hcpcs_graphql.domain.code_tables import code_table
from hcpcs_graphql.services.context import Context, make_context
from tests.conftest import cold, edited_copy
from tests.graphql import execute

BUCKETS = """
fragment Buckets on CodeFacets {
  kind { code description count }
  status { code description count }
  betos { code description count }
  betosCategory { code description count }
  typeOfService { code description count }
  pricingIndicator { code description count }
  coverage { code description count }
  action { code description count }
}
"""

ALL_CODES = (
    """
query Facets($filter: CodeFilter, $on: Date) {
  allCodes(filter: $filter, first: 0) { totalCount facets(statusOn: $on) { ...Buckets } }
}
"""
    + BUCKETS
)

SEARCH = (
    """
query Facets($text: String!, $filter: CodeFilter, $on: Date) {
  search(text: $text, filter: $filter, first: 0) {
    totalCount
    facets(statusOn: $on) { ...Buckets }
  }
}
"""
    + BUCKETS
)

STATUS = """
query Status($filter: CodeFilter) {
  allCodes(filter: $filter, first: 0) {
    before: facets(statusOn: "2025-12-31") { status { code count } }
    after: facets(statusOn: "2026-01-01") { status { code count } }
  }
}
"""

JANUARY = "2026-01"
NEW_YEAR = "2026-01-01"
SERVICES = ("tos1", "tos2", "tos3", "tos4", "tos5")
PRICES = ("price1", "price2", "price3", "price4")
COLUMNS = ("code", "kind", "betos", "cov", "action_cd", "add_dt", "term_dt", *SERVICES, *PRICES)
SINGLE_VALUED = ("kind", "status", "betos", "betosCategory", "coverage", "action")
MULTI_VALUED = {"typeOfService": SERVICES, "pricingIndicator": PRICES}
MEANINGS = {
    "kind": {"PROCEDURE": "Procedure code", "MODIFIER": "Modifier"},
    "status": {
        "ACTIVE": "Active",
        "DISCONTINUED": "Discontinued",
        "NOT_YET_EFFECTIVE": "Not yet effective",
    },
}
TABLES = {
    "betos": "betos",
    "betosCategory": "betos_category",
    "typeOfService": "type_of_service",
    "pricingIndicator": "pricing_indicator",
    "coverage": "coverage",
    "action": "action_code",
}

Row = dict[str, str | None]


@pytest.fixture(scope="module")
def database(real_db: Path) -> Iterator[sqlite3.Connection]:
    """The loaded database read with plain sqlite3: the independent answer."""
    connection = sqlite3.connect(real_db)
    yield connection
    connection.close()


def rows_where(database: sqlite3.Connection, condition: str) -> list[Row]:
    found = database.execute(
        f"select {', '.join(COLUMNS)} from code where release_id = ? and ({condition})",
        (JANUARY,),
    ).fetchall()
    return [dict(zip(COLUMNS, values, strict=True)) for values in found]


def status(row: Row, day: str) -> str:
    if str(row["add_dt"]) > day:
        return "NOT_YET_EFFECTIVE"
    if row["term_dt"] is not None and row["term_dt"] < day:
        return "DISCONTINUED"
    return "ACTIVE"


def values(facet: str, row: Row, day: str) -> set[str | None]:
    """The values of the facet that the row counts in: None when it has none."""
    if facet in MULTI_VALUED:
        present = {row[column] for column in MULTI_VALUED[facet]} - {None}
        return present or {None}
    betos = row["betos"]
    single: dict[str, str | None] = {
        "kind": row["kind"],
        "status": status(row, day),
        "betos": betos,
        "betosCategory": None if betos is None else betos[0],
        "coverage": row["cov"],
        "action": row["action_cd"],
    }
    return {single[facet]}


def meaning(facet: str, code: str | None) -> str | None:
    if code is None:
        return None
    if facet in MEANINGS:
        return MEANINGS[facet][code]
    return code_table(TABLES[facet])[code].description


def buckets(facet: str, counts: Counter[str | None]) -> list[dict[str, Any]]:
    # The largest first; among equal counts, the blank bucket last, then by value.
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    return [
        {"code": code, "description": meaning(facet, code), "count": count}
        for code, count in ordered
    ]


def expected_facets(rows: list[Row], day: str) -> dict[str, list[dict[str, Any]]]:
    facets = (*SINGLE_VALUED, *MULTI_VALUED)
    return {
        facet: buckets(facet, Counter(value for row in rows for value in values(facet, row, day)))
        for facet in facets
    }


def fresh(context: Context) -> Context:
    """A request context whose catalog has not counted any facets yet (they are kept)."""
    return make_context(context.connection, cold(context.catalog, referrers=False))


# (filter, the same set in SQL over the code table)
FILTERS = [
    pytest.param(None, "1", id="all-codes"),
    # Every I1E code has a type of service: no blank bucket.
    pytest.param({"betos": {"eq": "I1E"}}, "betos = 'I1E'", id="betos"),
    pytest.param({"kind": {"eq": "MODIFIER"}}, "kind = 'MODIFIER'", id="modifiers"),
    pytest.param({"codePrefix": {"in": ["J", "L"]}}, "code like 'J%' or code like 'L%'", id="J-L"),
    pytest.param({"not": {"coverage": {"eq": "C"}}}, "cov <> 'C'", id="not-coverage"),
    pytest.param({"terminationDate": {"eq": "2025-12-31"}}, "term_dt = '2025-12-31'", id="ended"),
    pytest.param({"coverage": {"eq": "Z"}}, "0", id="empty"),
]


@pytest.mark.parametrize(("code_filter", "condition"), FILTERS)
@pytest.mark.parametrize("day", ["2025-12-31", NEW_YEAR])
async def test_facets_of_all_codes(
    context: Context,
    database: sqlite3.Connection,
    code_filter: dict[str, Any] | None,
    condition: str,
    day: str,
) -> None:
    rows = rows_where(database, condition)
    found = await execute(fresh(context), ALL_CODES, filter=code_filter, on=day)
    assert found == {"allCodes": {"totalCount": len(rows), "facets": expected_facets(rows, day)}}


WHEELCHAIR = "short_description like '%wheelchair%' or long_description like '%wheelchair%'"


@pytest.mark.parametrize(
    ("code_filter", "condition"),
    [
        pytest.param(None, WHEELCHAIR, id="search"),
        pytest.param(
            {"coverage": {"eq": "C"}}, f"cov = 'C' and ({WHEELCHAIR})", id="search-filtered"
        ),
    ],
)
async def test_facets_of_a_search(
    context: Context,
    database: sqlite3.Connection,
    code_filter: dict[str, Any] | None,
    condition: str,
) -> None:
    # Every description that holds "wheelchair" holds it at the start of a word.
    rows = rows_where(database, condition)
    found = await execute(
        fresh(context), SEARCH, text="wheelchair", filter=code_filter, on=NEW_YEAR
    )
    assert found == {"search": {"totalCount": len(rows), "facets": expected_facets(rows, NEW_YEAR)}}


async def test_a_search_by_facet(context: Context) -> None:
    found = await execute(context, SEARCH, text="wheelchair", on=NEW_YEAR)
    facets = found["search"]["facets"]
    assert found["search"]["totalCount"] == 323
    assert facets["kind"] == [
        {"code": "PROCEDURE", "description": "Procedure code", "count": 321},
        {"code": "MODIFIER", "description": "Modifier", "count": 2},
    ]
    assert facets["betos"][:3] == [
        {"code": "D1D", "description": "Wheelchairs", "count": 315},
        {"code": "Z2", "description": "Undefined codes", "count": 4},
        {"code": None, "description": None, "count": 2},
    ]
    assert facets["coverage"] == [
        {"code": "C", "description": "Carrier judgment", "count": 226},
        {"code": "D", "description": "Special coverage instructions apply", "count": 82},
        {"code": "I", "description": "Not payable by Medicare", "count": 13},
        {"code": "S", "description": "Non-covered by Medicare statute", "count": 2},
    ]


@pytest.mark.parametrize(("code_filter", "condition"), FILTERS)
async def test_single_valued_facets_add_up_to_total_count(
    context: Context, code_filter: dict[str, Any] | None, condition: str
) -> None:
    found = (await execute(context, ALL_CODES, filter=code_filter, on=NEW_YEAR))["allCodes"]
    for facet in SINGLE_VALUED:
        assert sum(bucket["count"] for bucket in found["facets"][facet]) == found["totalCount"]


@pytest.mark.parametrize(("code_filter", "condition"), FILTERS)
async def test_multi_valued_facets_count_each_value_of_a_code(
    context: Context,
    database: sqlite3.Connection,
    code_filter: dict[str, Any] | None,
    condition: str,
) -> None:
    found = (await execute(context, ALL_CODES, filter=code_filter, on=NEW_YEAR))["allCodes"]
    for facet, columns in MULTI_VALUED.items():
        listed = ", ".join(columns)
        for bucket in found["facets"][facet]:
            code = bucket["code"]
            held = f"coalesce({listed}) is null" if code is None else f"? in ({listed})"
            ((count,),) = database.execute(
                f"select count(*) from code where release_id = ? and ({condition}) and {held}",
                (JANUARY,) if code is None else (JANUARY, code),
            ).fetchall()
            assert bucket["count"] == count > 0, (facet, code)
        # Each code counts at least once: in each of its values, or in the blank bucket.
        assert sum(bucket["count"] for bucket in found["facets"][facet]) >= found["totalCount"]


async def test_descriptions_are_the_official_meanings(context: Context) -> None:
    found = await execute(context, ALL_CODES, filter={"betos": {"eq": "I1E"}}, on=NEW_YEAR)
    facets = found["allCodes"]["facets"]
    assert facets["betos"] == [
        {"code": "I1E", "description": "Standard imaging - nuclear medicine", "count": 128}
    ]
    assert facets["betosCategory"] == [{"code": "I", "description": "Imaging", "count": 128}]
    assert facets["coverage"][0] == {"code": "C", "description": "Carrier judgment", "count": 103}
    assert facets["typeOfService"][0] == {
        "code": "4",
        "description": "Diagnostic radiology",
        "count": 109,
    }


async def test_status_on_changes_the_status_facet(context: Context) -> None:
    # 95 codes end on 2025-12-31, their last valid day.
    ended = await execute(context, STATUS, filter={"terminationDate": {"eq": "2025-12-31"}})
    assert ended == {
        "allCodes": {
            "before": {"status": [{"code": "ACTIVE", "count": 95}]},
            "after": {"status": [{"code": "DISCONTINUED", "count": 95}]},
        }
    }
    # 160 codes start on 2026-01-01.
    added = await execute(context, STATUS, filter={"addedDate": {"eq": "2026-01-01"}})
    assert added == {
        "allCodes": {
            "before": {"status": [{"code": "NOT_YET_EFFECTIVE", "count": 160}]},
            "after": {"status": [{"code": "ACTIVE", "count": 160}]},
        }
    }


FACETS_ONLY = (
    """
query Facets($filter: CodeFilter, $on: Date) {
  allCodes(filter: $filter, first: 0) { facets(statusOn: $on) { ...Buckets } }
  search(text: "wheelchair", filter: $filter, first: 0) { facets(statusOn: $on) { ...Buckets } }
}
"""
    + BUCKETS
)


async def test_facets_cost_one_statement(context: Context, statements: list[str]) -> None:
    request = fresh(context)
    await execute(request, FACETS_ONLY, filter={"coverage": {"eq": "S"}}, on=NEW_YEAR)
    # One for every facet of the listing, one for every facet of the search.
    assert len(statements) == 2, statements
    # A release never changes: the counts are kept, the next request reads none.
    statements.clear()
    following = make_context(request.connection, request.catalog)
    await execute(following, FACETS_ONLY, filter={"coverage": {"eq": "S"}}, on=NEW_YEAR)
    assert statements == []
    await execute(following, FACETS_ONLY, filter={"coverage": {"eq": "S"}}, on="2025-12-31")
    assert len(statements) == 2, statements


async def test_status_on_today_when_omitted(context: Context) -> None:
    query = """
    query Status($on: Date) {
      allCodes(first: 0) {
        omitted: facets { status { code count } }
        today: facets(statusOn: $on) { status { code count } }
      }
    }
    """
    found = await execute(context, query, on=datetime.date.today().isoformat())
    assert found["allCodes"]["omitted"] == found["allCodes"]["today"]


# --- a value held in two columns of one code ----------------------------------------------------


@pytest.fixture(scope="module")
async def doubled(
    real_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Context]:
    """A copy of the database in which A9597 holds its type of service (4) in TOS1 and TOS2
    and its pricing indicator (57) in PRICE1 and PRICE2: the real releases never repeat one."""
    async with edited_copy(
        real_db,
        tmp_path_factory.mktemp("doubled"),
        JANUARY,
        "update code set tos2 = tos1, price2 = price1 where release_id = ? and code = 'A9597'",
    ) as context:
        yield context


async def test_a_value_in_two_columns_counts_once(doubled: Context) -> None:
    found = await execute(doubled, ALL_CODES, filter={"code": {"eq": "A9597"}}, on=NEW_YEAR)
    facets = found["allCodes"]["facets"]
    assert facets["typeOfService"] == [
        {"code": "4", "description": "Diagnostic radiology", "count": 1}
    ]
    assert facets["pricingIndicator"] == [
        {"code": "57", "description": "Other carrier priced", "count": 1}
    ]


BROWSE = (
    """
query Browse($codes: [String!], $on: Date) {
  typesOfService(codes: $codes) {
    code
    codes(release: "2026-01", first: 0) { totalCount facets(statusOn: $on) { ...Buckets } }
  }
}
"""
    + BUCKETS
)


@pytest.mark.parametrize("day", ["2025-12-31", NEW_YEAR])
async def test_facets_under_browsing_in_one_statement(
    context: Context, database: sqlite3.Connection, statements: list[str], day: str
) -> None:
    """Every type of service with the facets of its codes: the same counts as each value's own
    listing, counted in one statement for every value (with one for the pages)."""
    values = ["1", "2", "9", "B", "P", "NONE"]
    found = await execute(fresh(context), BROWSE, codes=values, on=day)
    assert len(statements) == 2
    tos = " or ".join(f"tos{n} = ?" for n in range(1, 6))
    expected = []
    for value in sorted(value for value in values if code_table("type_of_service").get(value)):
        rows = rows_where(database, tos.replace("?", f"'{value}'"))
        expected.append(
            {
                "code": value,
                "codes": {"totalCount": len(rows), "facets": expected_facets(rows, day)},
            }
        )
    assert found == {"typesOfService": expected}
