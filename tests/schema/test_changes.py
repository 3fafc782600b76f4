"""`changes` between the real October 2025 and January 2026 releases: the summary, values with
their meanings, every code and field checked against a diff computed here in Python over the
rows plain sqlite3 reads, the arguments, paging, errors and the statements a page costs."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from hcpcs_graphql.db.diff_fields import DiffField
from hcpcs_graphql.db.tables import CODE_COLUMNS
from hcpcs_graphql.schema.changes import coded_values
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context, make_context
from tests.fragments import EVERY_CODE_FIELD
from tests.graphql import execute, failure

CHANGES = """
query Changes(
  $from: String!, $to: String!, $fields: [CodeField!], $kinds: [ChangeKind!],
  $filter: CodeFilter, $first: Int, $after: String
) {
  changes(
    from: $from, to: $to, fields: $fields, kinds: $kinds, filter: $filter, first: $first,
    after: $after
  ) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { code kind action { code } fields { field } } }
  }
}
"""

SUMMARY = """
query Summary($from: String!, $to: String!, $fields: [CodeField!], $filter: CodeFilter) {
  changes(from: $from, to: $to, fields: $fields, filter: $filter, first: 0) {
    totalCount
    summary { byKind { kind count } byField { field count } }
  }
}
"""

VALUES = """
query Values($codes: [String!]) {
  changes(from: "2025-10", to: "2026-01", filter: { code: { in: $codes } }) {
    edges {
      node {
        code
        kind
        action { code description }
        fields {
          field
          before
          after
          codedBefore { code description }
          codedAfter { code description ... on Betos { category { code } } }
          whiteSpaceOnly
        }
      }
    }
  }
}
"""

EVERY_FIELD = (
    """
query Changes($first: Int, $filter: CodeFilter) {
  changes(from: "2025-10", to: "2026-01", filter: $filter, first: $first) {
    totalCount
    summary { byKind { kind count } byField { field count } }
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        code
        kind
        action { code description }
        fields { field before after codedBefore { code description } codedAfter { code } }
        before { ...EveryCodeField }
        after { ...EveryCodeField }
      }
    }
  }
}
"""
    + EVERY_CODE_FIELD
)

OCTOBER, JANUARY = "2025-10", "2026-01"


async def changes(context: Context, query: str, **variables: Any) -> Any:
    return (await execute(context, query, **variables))["changes"]


async def every_change(context: Context, **variables: Any) -> list[dict[str, Any]]:
    """Every code listed, page by page."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        found = await changes(context, CHANGES, first=100, after=after, **variables)
        nodes.extend(edge["node"] for edge in found["edges"])
        if not found["pageInfo"]["hasNextPage"]:
            assert len(nodes) == found["totalCount"]
            return nodes
        after = found["pageInfo"]["endCursor"]


async def errors(context: Context, **variables: Any) -> list[tuple[str, Any]]:
    variables = {"from": OCTOBER, "to": JANUARY, **variables}
    return await failure(context, CHANGES, **variables)


# --- the diff written again, over the rows plain sqlite3 reads -----------------------------------

# The API's field for each CMS column, named independently of db/diff.py.
FIELD_OF_COLUMN = {
    "long_description": "LONG_DESCRIPTION",
    "short_description": "SHORT_DESCRIPTION",
    "price": "PRICING_INDICATORS",
    "mult_pi": "MULTIPLE_PRICING_INDICATOR",
    "cim": "CIM_REFERENCES",
    "mcm": "MCM_REFERENCES",
    "statute": "STATUTE",
    "labcert": "LAB_CERTIFICATIONS",
    "xref": "CROSS_REFERENCES",
    "cov": "COVERAGE",
    "asc_grp": "ASC_PAYMENT_GROUP",
    "asc_dt": "ASC_PAYMENT_GROUP_EFFECTIVE_DATE",
    "opps": "MOG_PAYMENT_GROUP",
    "opps_pi": "MOG_PAYMENT_POLICY_INDICATOR",
    "opps_dt": "MOG_EFFECTIVE_DATE",
    "procnote": "PROCESSING_NOTE",
    "betos": "BETOS",
    "tos": "TYPES_OF_SERVICE",
    "anest_bu": "ANESTHESIA_BASE_UNITS",
    "add_dt": "ADDED_DATE",
    "act_eff_dt": "ACTION_EFFECTIVE_DATE",
    "term_dt": "TERMINATION_DATE",
    "action_cd": "ACTION",
}
DEFAULT = set(FIELD_OF_COLUMN.values()) - {"ACTION", "ACTION_EFFECTIVE_DATE"}


def field_of(column: str) -> str:
    return FIELD_OF_COLUMN[re.sub(r"\d$", "", column)]


@pytest.fixture(scope="module")
def database(real_db: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(real_db)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


def release(database: sqlite3.Connection, release_id: str) -> dict[str, sqlite3.Row]:
    rows = database.execute("select * from code where release_id = ?", (release_id,))
    return {row["code"]: row for row in rows}


def expected(
    database: sqlite3.Connection, older: str, newer: str, compared: set[str]
) -> dict[str, tuple[str, set[str]]]:
    """code -> (kind, the fields that differ)"""
    before, after = release(database, older), release(database, newer)
    columns = [c for c in CODE_COLUMNS if c not in {"release_id", "code", "kind"}]
    found = {}
    for code in sorted(before.keys() | after.keys()):
        old, new = before.get(code), after.get(code)
        differ = {
            field_of(column)
            for column in columns
            if field_of(column) in compared
            and (None if old is None else old[column]) != (None if new is None else new[column])
        }
        if old is None:
            kind = "ADDED"
        elif new is None:
            kind = "REMOVED"
        elif not differ:
            continue
        elif old["term_dt"] is None and new["term_dt"] is not None:
            kind = "DISCONTINUED"
        elif old["term_dt"] is not None and new["term_dt"] is None:
            kind = "REACTIVATED"
        else:
            kind = "CHANGED"
        found[code] = (kind, differ)
    return found


def listed(nodes: list[dict[str, Any]]) -> dict[str, tuple[str, set[str]]]:
    return {node["code"]: (node["kind"], {f["field"] for f in node["fields"]}) for node in nodes}


def test_every_column_is_compared_in_exactly_one_field() -> None:
    columns = [column for field in DiffField for column in field.columns]
    assert sorted(columns) == sorted(set(CODE_COLUMNS) - {"release_id", "code", "kind"})
    assert {field.name for field in DiffField} == set(FIELD_OF_COLUMN.values())


def test_every_coded_field_has_a_type(catalog: Catalog) -> None:
    for field in DiffField:
        found = coded_values(catalog, field.code_table, ("X",))
        assert [value.code for value in found] == ([] if field.code_table is None else ["X"])


@pytest.mark.parametrize(
    ("older", "newer", "fields"),
    [
        (OCTOBER, JANUARY, None),
        (JANUARY, OCTOBER, None),
        (OCTOBER, JANUARY, sorted(FIELD_OF_COLUMN.values())),
        (OCTOBER, JANUARY, ["COVERAGE", "MULTIPLE_PRICING_INDICATOR", "TERMINATION_DATE"]),
    ],
)
async def test_every_code_and_field_as_computed_here(
    context: Context,
    database: sqlite3.Connection,
    older: str,
    newer: str,
    fields: list[str] | None,
) -> None:
    compared = DEFAULT if fields is None else set(fields)
    nodes = await every_change(context, **{"from": older, "to": newer, "fields": fields})
    assert [node["code"] for node in nodes] == sorted(node["code"] for node in nodes)
    assert listed(nodes) == expected(database, older, newer, compared)


# --- the summary ---------------------------------------------------------------------------------


async def test_summary_from_october_to_january(context: Context) -> None:
    assert await changes(context, SUMMARY, **{"from": OCTOBER, "to": JANUARY}) == {
        "totalCount": 634,
        "summary": {
            "byKind": [
                {"kind": "ADDED", "count": 160},
                {"kind": "REMOVED", "count": 0},
                {"kind": "DISCONTINUED", "count": 95},
                {"kind": "REACTIVATED", "count": 0},
                {"kind": "CHANGED", "count": 379},
            ],
            "byField": [
                {"field": "LONG_DESCRIPTION", "count": 310},
                {"field": "PRICING_INDICATORS", "count": 308},
                {"field": "ASC_PAYMENT_GROUP", "count": 296},
                {"field": "ASC_PAYMENT_GROUP_EFFECTIVE_DATE", "count": 296},
                {"field": "TERMINATION_DATE", "count": 95},
                {"field": "SHORT_DESCRIPTION", "count": 16},
                {"field": "MULTIPLE_PRICING_INDICATOR", "count": 2},
                {"field": "CROSS_REFERENCES", "count": 1},
            ],
        },
    }


async def test_summary_backwards_and_filtered(context: Context) -> None:
    found = await changes(
        context, SUMMARY, **{"from": JANUARY, "to": OCTOBER, "filter": {"codePrefix": {"eq": "J"}}}
    )
    assert found["summary"]["byKind"] == [
        {"kind": "ADDED", "count": 0},
        {"kind": "REMOVED", "count": 21},
        {"kind": "DISCONTINUED", "count": 0},
        {"kind": "REACTIVATED", "count": 52},
        {"kind": "CHANGED", "count": 11},
    ]
    # J codes: 21 added in January (action A), 52 discontinued (D), 9 with actions C, P, S, and
    # J3290 and J1572 (action N).
    assert found["totalCount"] == 84


async def test_the_same_release_twice_differs_in_nothing(context: Context) -> None:
    found = await changes(context, SUMMARY, **{"from": JANUARY, "to": JANUARY})
    assert found == {
        "totalCount": 0,
        "summary": {
            "byKind": [{"kind": kind, "count": 0} for kind in KINDS],
            "byField": [],
        },
    }


KINDS = ["ADDED", "REMOVED", "DISCONTINUED", "REACTIVATED", "CHANGED"]


# --- values --------------------------------------------------------------------------------------


async def test_coded_values_come_with_their_meanings(context: Context) -> None:
    found = await changes(context, VALUES, codes=["M0010", "J3365"])
    assert found == {
        "edges": [
            {
                "node": {
                    "code": "J3365",
                    "kind": "DISCONTINUED",
                    "action": {
                        "code": "D",
                        "description": "Discontinue procedure or modifier code",
                    },
                    "fields": [
                        {
                            "field": "CROSS_REFERENCES",
                            "before": ["Q0089"],
                            "after": [],
                            "codedBefore": [],
                            "codedAfter": [],
                            "whiteSpaceOnly": False,
                        },
                        {
                            "field": "TERMINATION_DATE",
                            "before": [],
                            "after": ["2025-12-31"],
                            "codedBefore": [],
                            "codedAfter": [],
                            "whiteSpaceOnly": False,
                        },
                    ],
                }
            },
            {
                "node": {
                    "code": "M0010",
                    "kind": "CHANGED",
                    "action": {
                        "code": "P",
                        "description": "Payment change (MOG, pricing indicator codes, anesthesia "
                        "base units,Ambulatory Surgical Centers)",
                    },
                    "fields": [
                        {
                            "field": "PRICING_INDICATORS",
                            "before": ["13"],
                            "after": ["00"],
                            "codedBefore": [
                                {
                                    "code": "13",
                                    "description": "Price established by carriers (e.g., not "
                                    "otherwise classified, individual determination, carrier "
                                    "discretion)",
                                }
                            ],
                            "codedAfter": [
                                {
                                    "code": "00",
                                    "description": "Service not separately priced by part B "
                                    "(e.g., services not covered, bundled, used by part a only, "
                                    "etc.)",
                                }
                            ],
                            "whiteSpaceOnly": False,
                        },
                        {
                            "field": "MULTIPLE_PRICING_INDICATOR",
                            "before": ["A"],
                            "after": ["9"],
                            "codedBefore": [
                                {
                                    "code": "A",
                                    "description": "Not applicable as HCPCS priced under one "
                                    "methodology",
                                }
                            ],
                            "codedAfter": [
                                {
                                    "code": "9",
                                    "description": "Not applicable as HCPCS not priced "
                                    "separately by part B (pricing indicator is 00) or value is "
                                    "not established (pricing indicator is '99')",
                                }
                            ],
                            "whiteSpaceOnly": False,
                        },
                    ],
                }
            },
        ]
    }


async def test_an_added_code_lists_the_fields_it_has_a_value_in(context: Context) -> None:
    found = await changes(context, VALUES, codes=["A4295"])
    node = found["edges"][0]["node"]
    assert (node["code"], node["kind"], node["action"]["code"]) == ("A4295", "ADDED", "A")
    fields = {field["field"]: field for field in node["fields"]}
    assert all(field["before"] == [] and field["codedBefore"] == [] for field in fields.values())
    assert fields["BETOS"]["codedAfter"] == [
        {"code": "D1F", "description": "Prosthetic/Orthotic devices", "category": {"code": "D"}}
    ]
    assert fields["ADDED_DATE"]["after"] == ["2026-01-01"]
    assert fields["ANESTHESIA_BASE_UNITS"]["after"] == ["0"]
    assert "STATUTE" not in fields


async def test_spacing_alone_is_marked(context: Context) -> None:
    found = await changes(context, VALUES, codes=["C9754", "L6034"])
    marks = {
        edge["node"]["code"]: [(f["field"], f["whiteSpaceOnly"]) for f in edge["node"]["fields"]]
        for edge in found["edges"]
    }
    assert marks == {"C9754": [("LONG_DESCRIPTION", True)], "L6034": [("LONG_DESCRIPTION", False)]}


# --- arguments -----------------------------------------------------------------------------------


async def test_kinds_and_fields(context: Context) -> None:
    nodes = await every_change(
        context,
        **{
            "from": OCTOBER,
            "to": JANUARY,
            "kinds": ["CHANGED"],
            "fields": ["MULTIPLE_PRICING_INDICATOR"],
        },
    )
    assert [(node["code"], node["action"]["code"]) for node in nodes] == [
        ("J3290", "N"),
        ("M0010", "P"),
    ]


async def test_discontinued_codes_carry_action_d(context: Context) -> None:
    nodes = await every_change(
        context, **{"from": OCTOBER, "to": JANUARY, "kinds": ["DISCONTINUED"]}
    )
    assert len(nodes) == 95
    assert {node["action"]["code"] for node in nodes} == {"D"}


async def test_no_kinds_and_no_fields(context: Context) -> None:
    assert await every_change(context, **{"from": OCTOBER, "to": JANUARY, "kinds": []}) == []
    nodes = await every_change(context, **{"from": OCTOBER, "to": JANUARY, "fields": []})
    assert {node["kind"] for node in nodes} == {"ADDED"}
    assert len(nodes) == 160
    assert all(node["fields"] == [] for node in nodes)


async def test_the_filter_judges_a_removed_code_in_from(context: Context) -> None:
    nodes = await every_change(
        context, **{"from": JANUARY, "to": OCTOBER, "filter": {"codePrefix": {"eq": "A429"}}}
    )
    assert [(node["code"], node["kind"], node["action"]) for node in nodes] == [
        ("A4295", "REMOVED", None),
        ("A4296", "REMOVED", None),
        ("A4297", "REMOVED", None),
    ]


async def test_before_and_after_are_the_codes_of_each_release(context: Context) -> None:
    found = await changes(context, EVERY_FIELD, first=40)
    nodes = [edge["node"] for edge in found["edges"]]
    for node in nodes:
        before, after = node["before"], node["after"]
        assert before is None or before["release"]["id"] == OCTOBER
        assert after is None or after["release"]["id"] == JANUARY
        assert (before is None) == (node["kind"] == "ADDED")
        assert node["action"] == (None if after is None else after["action"])


# --- paging --------------------------------------------------------------------------------------


async def test_pages_follow_each_other(context: Context) -> None:
    variables = {"from": OCTOBER, "to": JANUARY}
    first = await changes(context, CHANGES, first=3, **variables)
    second = await changes(
        context, CHANGES, first=3, after=first["pageInfo"]["endCursor"], **variables
    )
    whole = await changes(context, CHANGES, first=6, **variables)
    assert first["edges"] + second["edges"] == whole["edges"]
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert whole["pageInfo"]["hasNextPage"] is True


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "message", "code"),
    [
        (
            {"from": "2025-07"},
            "release '2025-07' is not loaded; loaded releases: 2026-01, 2025-10",
            "UNKNOWN_RELEASE",
        ),
        (
            {"to": "2026-04"},
            "release '2026-04' is not loaded; loaded releases: 2026-01, 2025-10",
            "UNKNOWN_RELEASE",
        ),
        ({"first": 101}, "`first` may be at most 100; 101 was given", "BAD_PAGE"),
        ({"after": "nope"}, "`after` is not a cursor this API gave: 'nope'", "BAD_CURSOR"),
        (
            {"filter": {"code": {"in": [f"X{n}" for n in range(101)]}}},
            "code: at most 100 values in `in`",
            "BAD_FILTER",
        ),
    ],
)
async def test_bad_arguments(
    context: Context, variables: dict[str, Any], message: str, code: str
) -> None:
    assert await errors(context, **variables) == [(message, {"code": code})]


# --- statements ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code_filter", "first", "count"),
    [
        # The page and the summary (with the total): the coded values cost no SQL.
        (None, 1, 2),
        (None, 40, 2),
        # G0502 and G0503 refer to CPT codes in both releases: one statement more for the
        # cross-reference targets of each release.
        ({"hasCrossReferences": True}, 40, 4),
    ],
)
async def test_a_page_with_every_nested_field_and_the_summary(
    connection: aiosqlite.Connection,
    catalog: Catalog,
    statements: list[str],
    code_filter: dict[str, Any] | None,
    first: int,
    count: int,
) -> None:
    # A catalog of its own: no summary kept from another test.
    fresh = make_context(connection, Catalog(catalog.releases, catalog.code_values))
    found = await changes(fresh, EVERY_FIELD, first=first, filter=code_filter)
    assert len(found["edges"]) == min(first, found["totalCount"])
    assert len(statements) == count, statements


async def test_the_summary_is_kept(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    fresh = Catalog(catalog.releases, catalog.code_values)
    variables = {"from": OCTOBER, "to": JANUARY, "filter": {"codePrefix": {"eq": "Q"}}}
    first = await changes(make_context(connection, fresh), SUMMARY, **variables)
    assert len(statements) == 1
    again = await changes(make_context(connection, fresh), SUMMARY, **variables)
    assert (again, len(statements)) == (first, 1)
    other = await changes(make_context(connection, fresh), SUMMARY, **{**variables, "to": OCTOBER})
    assert (other["totalCount"], len(statements)) == (0, 2)


def test_a_full_page_of_every_field_is_too_costly() -> None:
    query = EVERY_FIELD.replace("first: $first", "first: 100")
    result = schema.execute_sync(query)
    assert [error.extensions for error in result.errors or []] == [{"code": "QUERY_TOO_LARGE"}]
