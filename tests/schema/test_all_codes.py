"""`allCodes` on the real January 2026 release: every filter field checked against SQL written
independently over the `code` table, the orders, paging with cursors, errors and the number of
statements a page costs."""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hcpcs_graphql.domain.noc import noc_codes
from hcpcs_graphql.services.context import Context, make_context
from tests.fragments import EVERY_CODE_FIELD
from tests.graphql import execute, failure
from tests.paging import PageCase, empty_page, expected_page, moved, page_cases

ALL_CODES = """
query AllCodes(
  $filter: CodeFilter, $orderBy: [CodeOrder!], $release: String, $first: Int, $after: String
) {
  allCodes(filter: $filter, orderBy: $orderBy, release: $release, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { code } }
  }
}
"""

EVERY_FIELD = (
    """
query AllCodes($first: Int) {
  allCodes(filter: { hasCrossReferences: true }, first: $first) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges {
      cursor
      node {
        ...EveryCodeField
      }
    }
  }
}
"""
    + EVERY_CODE_FIELD
)

JANUARY = "2026-01"
CODE_COUNT = 9006
PRICES = "price1, price2, price3, price4"
SERVICES = "tos1, tos2, tos3, tos4, tos5"
LABS = "labcert1, labcert2, labcert3, labcert4, labcert5, labcert6, labcert7, labcert8"


@pytest.fixture(scope="module")
def database(real_db: Path) -> Iterator[sqlite3.Connection]:
    """The loaded database read with plain sqlite3: the independent answer."""
    connection = sqlite3.connect(real_db)
    yield connection
    connection.close()


def codes_where(database: sqlite3.Connection, condition: str, release: str = JANUARY) -> list[str]:
    rows = database.execute(
        f"select code from code where release_id = ? and ({condition}) order by code", (release,)
    ).fetchall()
    return [code for (code,) in rows]


async def run(context: Context, query: str = ALL_CODES, **variables: Any) -> Any:
    return (await execute(context, query, **variables))["allCodes"]


async def errors(context: Context, **variables: Any) -> list[tuple[str, Any]]:
    return await failure(context, ALL_CODES, **variables)


async def page_through(context: Context, **variables: Any) -> tuple[int, list[str]]:
    """The total and every code of the set, a page of 100 at a time, each page a request of
    its own; checks each page's pageInfo on the way."""
    total: int | None = None
    codes: list[str] = []
    after: str | None = None
    while True:
        request = make_context(context.connection, context.catalog)
        found = await run(request, first=100, after=after, **variables)
        edges, info = found["edges"], found["pageInfo"]
        assert total in (None, found["totalCount"])
        total = found["totalCount"]
        assert info["hasPreviousPage"] is (after is not None)
        assert info["startCursor"] == (edges[0]["cursor"] if edges else None)
        assert info["endCursor"] == (edges[-1]["cursor"] if edges else None)
        assert len(edges) == 100 or not info["hasNextPage"]
        codes.extend(edge["node"]["code"] for edge in edges)
        if not info["hasNextPage"]:
            assert total is not None
            return total, codes
        after = info["endCursor"]


def on(day: str, **status: Any) -> dict[str, Any]:
    return {"status": {"on": day, **status}}


NOC_CODES = f"code in ({', '.join(repr(code) for code in sorted(noc_codes()))})"


def equals(column: str) -> Callable[[str], str]:
    return lambda value: f"{column} = '{value}'"


def among(columns: str) -> Callable[[str], str]:
    """A value held in any of COLUMNS: the fields CMS repeats (pricing indicators, ...)."""
    return lambda value: f"'{value}' in ({columns})"


# One value of each field in SQL over the code table, written apart from the package's filters;
# `in` is the codes that have any one of its values.
VALUE_SQL: dict[str, Callable[[str], str]] = {
    "kind": equals("kind"),
    "code": equals("code"),
    # Prefixes in any case, of any length.
    "codePrefix": lambda prefix: f"substr(code, 1, {len(prefix)}) = '{prefix.upper()}'",
    "pricingIndicator": among(PRICES),
    "multiplePricingIndicator": equals("mult_pi"),
    "coverage": equals("cov"),
    "betos": equals("betos"),
    "betosCategory": lambda category: f"substr(betos, 1, 1) = '{category}'",
    "typeOfService": among(SERVICES),
    "labCertification": among(LABS),
    "action": equals("action_cd"),
    "processingNote": equals("procnote"),
    "addedDate": equals("add_dt"),
    "actionEffectiveDate": equals("act_eff_dt"),
    "terminationDate": equals("term_dt"),
}

# The cases' name, the field, a value for `eq` and how many codes of January 2026 have it, the
# values for `in` and how many codes have one of them.
EQ_AND_IN = [
    ("kind", "kind", "MODIFIER", 383, ["PROCEDURE"], 8623),
    ("code", "code", "A9597", 1, ["LT", "A9597", "NOPE", "J9035"], 3),
    ("prefix", "codePrefix", "J90", 58, ["A95", "lt", "G04"], 174),
    # 21 is PRICE1 of 63 codes and PRICE2 of 7 others.
    ("price", "pricingIndicator", "21", 70, ["45", "46"], 105),
    ("mult-pi", "multiplePricingIndicator", "C", 2, ["C", "9"], 3431),
    ("coverage", "coverage", "M", 98, ["S", "I"], 1056),
    ("betos", "betos", "I1E", 128, ["I1E", "D1D"], 489),
    ("category", "betosCategory", "I", 226, ["T", "P"], 636),
    # R is in TOS1, TOS2, TOS3 or TOS4 of one code or another.
    ("tos", "typeOfService", "R", 785, ["W", "U"], 14),
    ("lab", "labCertification", "220", 10, ["900", "130"], 3),
    ("action", "action", "D", 95, ["A", "P", "S"], 226),
    ("note", "processingNote", "0088", 318, ["0017", "0229"], 126),
    ("added", "addedDate", "2026-01-01", 160, ["2024-01-01", "2025-01-01"], 505),
    (
        "action-effective",
        "actionEffectiveDate",
        "2026-01-01",
        615,
        ["2025-04-01", "2025-07-01"],
        147,
    ),
    ("term", "terminationDate", "2025-12-31", 95, ["2025-12-31", "2024-12-31"], 185),
]


def eq_and_in(
    name: str, field: str, value: str, count: int, values: list[str], in_count: int
) -> list[Any]:
    """The `eq` case and the `in` case of FIELD (see EQ_AND_IN)."""
    sql = VALUE_SQL[field]
    return [
        pytest.param({field: {"eq": value}}, sql(value), count, id=f"{name}-eq"),
        pytest.param(
            {field: {"in": values}}, " or ".join(map(sql, values)), in_count, id=f"{name}-in"
        ),
    ]


def status_on(day: str, status: str) -> str:
    """The codes of STATUS on DAY in SQL: what their own dates say (TERM_DT is a last valid
    day)."""
    return {
        "DISCONTINUED": f"term_dt < '{day}'",
        "NOT_YET_EFFECTIVE": f"add_dt > '{day}'",
        "ACTIVE": f"add_dt <= '{day}' and (term_dt is null or term_dt >= '{day}')",
    }[status]


# Status: 95 codes end on 2025-12-31 (their last valid day), 160 start on 2026-01-01.
# (the case's id, the day, the status, the prefix of the codes asked for, how many codes)
STATUS_CASES = [
    ("discontinued-1231", "2025-12-31", "DISCONTINUED", "", 1225),
    ("discontinued-0101", "2026-01-01", "DISCONTINUED", "", 1320),
    ("not-yet-effective-1231", "2025-12-31", "NOT_YET_EFFECTIVE", "", 160),
    ("not-yet-0101", "2026-01-01", "NOT_YET_EFFECTIVE", "", 0),
    ("active-1231", "2025-12-31", "ACTIVE", "C", 387),
    ("active-0101", "2026-01-01", "ACTIVE", "C", 393),
]


def status_case(name: str, day: str, status: str, prefix: str, count: int) -> Any:
    """A case of STATUS_CASES: the codes that start with PREFIX (all: "") of STATUS on DAY."""
    code_filter = on(day, eq=status) | ({"codePrefix": {"eq": prefix}} if prefix else {})
    condition = f"code like '{prefix}%' and ({status_on(day, status)})"
    return pytest.param(code_filter, condition, count, id=name)


def every_modifier(name: str, code_filter: dict[str, Any]) -> Any:
    """The case of CODE_FILTER that keeps every modifier of January 2026 (383)."""
    return pytest.param(
        {"kind": {"eq": "MODIFIER"}, **code_filter}, "kind = 'MODIFIER'", 383, id=name
    )


def not_keeps_blanks(name: str, prefix: str, field: str, value: str, count: int) -> Any:
    """`not` FIELD = VALUE over the codes that start with PREFIX, which keeps those whose FIELD
    is blank (in SQL, null: neither true nor false)."""
    return pytest.param(
        {"codePrefix": {"eq": prefix}, "not": {field: {"eq": value}}},
        f"code like '{prefix}%' and ifnull({VALUE_SQL[field](value)}, 0) = 0",
        count,
        id=f"not-keeps-blank-{name}",
    )


# (filter, the same set in SQL over the code table, its size in the January 2026 release)
FILTERS = [
    *(case for row in EQ_AND_IN for case in eq_and_in(*row)),
    # Codes and coded values in any case, as lookups take them.
    pytest.param({"code": {"eq": " a9597"}}, "code = 'A9597'", 1, id="code-eq-any-case"),
    pytest.param({"coverage": {"eq": "c"}}, "cov = 'C'", 5583, id="coverage-eq-any-case"),
    pytest.param({"notOtherwiseClassified": True}, NOC_CODES, 166, id="noc"),
    pytest.param({"notOtherwiseClassified": False}, f"not {NOC_CODES}", 8840, id="not-noc"),
    pytest.param(
        {"codePrefix": {"eq": "j90"}}, "substr(code, 1, 3) = 'J90'", 58, id="prefix-any-case"
    ),
    *(status_case(*row) for row in STATUS_CASES),
    pytest.param(
        on("2025-12-31", **{"in": ["DISCONTINUED", "NOT_YET_EFFECTIVE"]}),
        f"{status_on('2025-12-31', 'DISCONTINUED')}"
        f" or {status_on('2025-12-31', 'NOT_YET_EFFECTIVE')}",
        1385,
        id="status-in",
    ),
    pytest.param(
        {"not": on("2026-01-01", eq="ACTIVE")},
        f"not ({status_on('2026-01-01', 'ACTIVE')})",
        1320,
        id="not-active",
    ),
    pytest.param({"addedDate": {"to": "1982-12-31"}}, "add_dt <= '1982-12-31'", 257, id="added-to"),
    pytest.param(
        {"addedDate": {"from": "2010-01-01", "to": "2011-12-31"}},
        "add_dt between '2010-01-01' and '2011-12-31'",
        253,
        id="added-range",
    ),
    pytest.param({"addedDate": {"isNull": True}}, "add_dt is null", 0, id="added-null"),
    pytest.param(
        {"actionEffectiveDate": {"from": "2025-07-01"}},
        "act_eff_dt >= '2025-07-01'",
        739,
        id="action-effective-from",
    ),
    pytest.param(
        {"actionEffectiveDate": {"to": "1985-12-31"}},
        "act_eff_dt <= '1985-12-31'",
        19,
        id="action-effective-to",
    ),
    pytest.param(
        {"terminationDate": {"from": "2025-01-01"}}, "term_dt >= '2025-01-01'", 136, id="term-from"
    ),
    pytest.param(
        {"terminationDate": {"to": "2012-12-31"}}, "term_dt <= '2012-12-31'", 2, id="term-to"
    ),
    pytest.param(
        {"terminationDate": {"isNull": False}}, "term_dt is not null", 1320, id="term-not-null"
    ),
    pytest.param(
        {"terminationDate": {"isNull": True}, "betosCategory": {"eq": "I"}},
        "term_dt is null and betos like 'I%'",
        200,
        id="term-null",
    ),
    pytest.param({"hasCrossReferences": True}, "xref1 is not null", 213, id="cross-references"),
    pytest.param(
        {"hasCrossReferences": False, "codePrefix": {"eq": "C"}},
        "xref1 is null and xref2 is null and code like 'C%'",
        481,
        id="no-cross-references",
    ),
    # Several fields of one filter must all hold; eq and in given together must both hold.
    pytest.param(
        {
            "kind": {"eq": "PROCEDURE"},
            "coverage": {"in": ["S", "M"]},
            "addedDate": {"from": "2020-01-01"},
        },
        "kind = 'PROCEDURE' and cov in ('S', 'M') and add_dt >= '2020-01-01'",
        32,
        id="fields-together",
    ),
    pytest.param({"coverage": {"eq": "S", "in": ["S", "M"]}}, "cov = 'S'", 154, id="eq-and-in"),
    pytest.param({"coverage": {"eq": "S", "in": ["M"]}}, "0", 0, id="eq-and-in-disagree"),
    pytest.param({"coverage": {"in": []}}, "0", 0, id="in-empty"),
    every_modifier("not-in-empty", {"not": {"coverage": {"in": []}}}),
    # and / or / not.
    pytest.param(
        {"and": [{"coverage": {"eq": "C"}}, {"betosCategory": {"eq": "I"}}]},
        "cov = 'C' and betos like 'I%'",
        121,
        id="and",
    ),
    pytest.param(
        {"or": [{"betos": {"eq": "I1E"}}, {"codePrefix": {"eq": "A95"}}]},
        "betos = 'I1E' or code like 'A95%'",
        130,
        id="or",
    ),
    pytest.param(
        {"not": {"coverage": {"eq": "C"}}}, "cov is null or cov <> 'C'", 3423, id="not-coverage"
    ),
    # `not` keeps the codes whose field is blank: the 383 modifiers have no BETOS, no type of
    # service, no pricing indicators, no multiple pricing indicator.
    pytest.param(
        {"not": {"betosCategory": {"in": ["D", "O", "Z", "M"]}}},
        "betos is null or substr(betos, 1, 1) not in ('D', 'O', 'Z', 'M')",
        1351,
        id="not-keeps-blank-betos",
    ),
    every_modifier("not-keeps-blank-tos", {"not": {"typeOfService": {"eq": "1"}}}),
    every_modifier(
        "not-keeps-blank-mult-pi", {"not": {"multiplePricingIndicator": {"in": ["A", "9"]}}}
    ),
    not_keeps_blanks("price", "L", "pricingIndicator", "00", 844),
    pytest.param(
        {"and": [{"codePrefix": {"eq": "J"}}, {"not": {"processingNote": {"eq": "0088"}}}]},
        "code like 'J%' and (procnote is null or procnote <> '0088')",
        1225,
        id="not-keeps-blank-note",
    ),
    not_keeps_blanks("lab", "G0", "labCertification", "220", 388),
    pytest.param(
        {"codePrefix": {"eq": "Q"}, "not": {"terminationDate": {"from": "2020-01-01"}}},
        "code like 'Q%' and (term_dt is null or term_dt < '2020-01-01')",
        613,
        id="not-keeps-blank-date",
    ),
    pytest.param(
        {
            "or": [
                {"and": [{"betosCategory": {"eq": "I"}}, {"coverage": {"eq": "D"}}]},
                {"not": {"or": [{"codePrefix": {"eq": "A"}}, {"kind": {"eq": "PROCEDURE"}}]}},
            ]
        },
        "(betos like 'I%' and cov = 'D') or not (code like 'A%' or kind = 'PROCEDURE')",
        452,
        id="nested",
    ),
    pytest.param({"not": {}}, "0", 0, id="not-everything"),
    # No filter of an empty `or` holds (like an empty `in`); every filter of an empty `and` does.
    pytest.param({"or": []}, "0", 0, id="or-empty"),
    every_modifier("and-empty", {"and": []}),
]


@pytest.mark.parametrize(("code_filter", "condition", "count"), FILTERS)
async def test_filter(
    context: Context,
    database: sqlite3.Connection,
    code_filter: dict[str, Any],
    condition: str,
    count: int,
) -> None:
    expected = codes_where(database, condition)
    assert len(expected) == count
    assert await page_through(context, filter=code_filter) == (len(expected), expected)


# --- status is judged from the code's own dates ------------------------------------------------

STATUS = """
query Status($code: String!, $on: Date!, $release: String) {
  active: allCodes(
    filter: { code: { eq: $code }, status: { on: $on, eq: ACTIVE } }, release: $release
  ) {
    totalCount
  }
  discontinued: allCodes(
    filter: { code: { eq: $code }, status: { on: $on, eq: DISCONTINUED } }, release: $release
  ) {
    totalCount
  }
  notYetEffective: allCodes(
    filter: { code: { eq: $code }, status: { on: $on, eq: NOT_YET_EFFECTIVE } }, release: $release
  ) {
    totalCount
  }
}
"""


@pytest.mark.parametrize(
    ("code", "day", "release", "status"),
    [
        # C5271: added 2014-01-01, TERM_DT 2025-12-31 (its last valid day) in January 2026.
        ("C5271", "2013-12-31", None, "notYetEffective"),
        ("C5271", "2014-01-01", None, "active"),
        ("C5271", "2025-12-31", None, "active"),
        ("C5271", "2026-01-01", None, "discontinued"),
        # October 2025 did not terminate it yet.
        ("C5271", "2026-01-01", "2025-10", "active"),
        # A4295: added 2026-01-01.
        ("A4295", "2025-12-31", None, "notYetEffective"),
        ("A4295", "2026-01-01", None, "active"),
        ("A4295", "2099-12-31", None, "active"),
    ],
)
async def test_status_on_a_date(
    context: Context, code: str, day: str, release: str | None, status: str
) -> None:
    found = await execute(context, STATUS, code=code, on=day, release=release)
    assert found == {
        name: {"totalCount": 1 if name == status else 0}
        for name in ("active", "discontinued", "notYetEffective")
    }


# --- order ----------------------------------------------------------------------------------------

ORDER_COLUMNS = {
    "CODE": "code",
    "ADDED_DATE": "add_dt",
    "ACTION_EFFECTIVE_DATE": "act_eff_dt",
    "TERMINATION_DATE": "term_dt",
    "SHORT_DESCRIPTION": "short_description",
}
# 832 codes: 393 without a termination date; 8 share one short description.
ORDERED_SET = {"codePrefix": {"in": ["C", "K"]}}
ORDERED_SET_SQL = "code like 'C%' or code like 'K%'"

Row = dict[str, str | None]


def rows_where(database: sqlite3.Connection, condition: str) -> list[Row]:
    columns = list(ORDER_COLUMNS.values())
    found = database.execute(
        f"select {', '.join(columns)} from code where release_id = ? and ({condition})",
        (JANUARY,),
    ).fetchall()
    return [dict(zip(columns, values, strict=True)) for values in found]


def ordered(rows: list[Row], orders: list[dict[str, str]]) -> list[str]:
    """The codes in the order asked for: each key with its blank values last in either
    direction, ties by code; done as stable sorts from the last key to the first."""
    result = sorted(rows, key=lambda row: str(row["code"]))
    for order in reversed(orders):
        column = ORDER_COLUMNS[order["field"]]
        present = [row for row in result if row[column] is not None]
        present.sort(key=lambda row: str(row[column]), reverse=order["direction"] == "DESC")
        result = present + [row for row in result if row[column] is None]
    return [str(row["code"]) for row in result]


ORDERS = [
    *(
        pytest.param([{"field": field, "direction": direction}], id=f"{field}-{direction}")
        for field in ORDER_COLUMNS
        for direction in ("ASC", "DESC")
    ),
    pytest.param(
        [
            {"field": "TERMINATION_DATE", "direction": "DESC"},
            {"field": "SHORT_DESCRIPTION", "direction": "ASC"},
        ],
        id="TERMINATION_DATE-DESC-SHORT_DESCRIPTION-ASC",
    ),
    pytest.param(
        [{"field": "ADDED_DATE", "direction": "ASC"}, {"field": "CODE", "direction": "DESC"}],
        id="ADDED_DATE-ASC-CODE-DESC",
    ),
]


@pytest.mark.parametrize("orders", ORDERS)
async def test_order(
    context: Context, database: sqlite3.Connection, orders: list[dict[str, str]]
) -> None:
    expected = ordered(rows_where(database, ORDERED_SET_SQL), orders)
    assert len(expected) == 832
    found = await page_through(context, filter=ORDERED_SET, orderBy=orders)
    assert found == (832, expected)


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        ("ASC", ["C9441", "C9021", "C5271", "A4641", "A9597"]),
        ("DESC", ["C5271", "C9021", "C9441", "A4641", "A9597"]),
    ],
)
async def test_blank_values_come_last_either_way(
    context: Context, direction: str, expected: list[str]
) -> None:
    # Terminated 2014-06-30, 2014-12-31 and 2025-12-31; A4641 and A9597 are valid (blank).
    found = await run(
        context,
        filter={"code": {"in": ["A9597", "C5271", "A4641", "C9021", "C9441"]}},
        orderBy=[{"field": "TERMINATION_DATE", "direction": direction}],
    )
    assert [edge["node"]["code"] for edge in found["edges"]] == expected


async def test_order_by_code_when_omitted_or_empty(context: Context) -> None:
    omitted = await run(context, filter={"betos": {"eq": "I1E"}})
    empty = await run(context, filter={"betos": {"eq": "I1E"}}, orderBy=[])
    assert omitted == empty
    codes = [edge["node"]["code"] for edge in omitted["edges"]]
    assert codes == sorted(codes)


# --- paging ---------------------------------------------------------------------------------------


async def test_paging_visits_every_code_exactly_once(
    context: Context, database: sqlite3.Connection
) -> None:
    total, codes = await page_through(context)
    assert total == CODE_COUNT
    assert len(set(codes)) == CODE_COUNT
    assert codes == codes_where(database, "1")


async def test_paging_with_a_filter_and_an_order(
    context: Context, database: sqlite3.Connection
) -> None:
    orders = [{"field": "ADDED_DATE", "direction": "DESC"}]
    total, codes = await page_through(
        context, filter={"not": {"coverage": {"eq": "C"}}}, orderBy=orders
    )
    expected = ordered(rows_where(database, "cov is not 'C'"), orders)
    assert (total, len(set(codes))) == (3423, 3423)
    assert codes == expected


async def test_paging_an_older_release(context: Context, database: sqlite3.Connection) -> None:
    expected = codes_where(database, "cov = 'M'", release="2025-10")
    assert await page_through(context, filter={"coverage": {"eq": "M"}}, release="2025-10") == (
        len(expected),
        expected,
    )
    assert (await run(context, release="2025-10", first=0))["totalCount"] == 8846


@page_cases(
    (2, None, 0, 2, True),
    (2, 0, 1, 3, True),
    (2, 125, 126, 128, False),
    (5, 126, 127, 128, False),
    (5, 127, 128, 128, False),
    (5, 500, 501, 501, False),
)
async def test_page_info(context: Context, database: sqlite3.Connection, case: PageCase) -> None:
    i1e = codes_where(database, "betos = 'I1E'")
    reference = (await run(context, filter={"betos": {"eq": "I1E"}}, first=1))["edges"][0]
    ref = reference["cursor"]
    found = await run(
        context,
        filter={"betos": {"eq": "I1E"}},
        first=case.first,
        after=None if case.after is None else moved(ref, case.after),
    )
    assert found == expected_page(128, ref, i1e, case)


async def test_first_0_counts_without_codes(context: Context) -> None:
    found = await run(context, filter={"betos": {"eq": "I1E"}}, first=0)
    assert found == empty_page(128, has_next=True)
    nothing = await run(context, filter={"coverage": {"eq": "Z"}}, first=0)
    assert nothing["totalCount"] == 0
    assert nothing["pageInfo"]["hasNextPage"] is False


async def test_first_20_when_omitted(context: Context, database: sqlite3.Connection) -> None:
    found = await run(context)
    ref = found["pageInfo"]["startCursor"]
    assert found == expected_page(
        CODE_COUNT, ref, codes_where(database, "1"), PageCase(20, None, 0, 20, True)
    )


def encoded(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


def bad_cursor(after: str) -> list[tuple[str, Any]]:
    return [(f"`after` is not a cursor this API gave: {after!r}", {"code": "BAD_CURSOR"})]


@pytest.mark.parametrize(
    "after",
    [
        "garbage",
        "",
        "é",
        "b2Zmc2V0OjA",  # a real cursor with its padding cut off
        encoded("offset:abc"),
        encoded("offset:-1"),
        encoded("offset: 5"),
        encoded("offset:1e3"),
        encoded("offset:1234567890"),
        encoded("position:5"),
        encoded("offset:²"),
    ],
)
async def test_garbage_and_tampered_cursors(context: Context, after: str) -> None:
    assert await errors(context, after=after) == bad_cursor(after)


@pytest.mark.parametrize(
    ("first", "message"),
    [
        (101, "`first` may be at most 100; 101 was given"),
        (-1, "`first` must be 0 or more; -1 was given"),
    ],
)
async def test_first_out_of_range(context: Context, first: int, message: str) -> None:
    assert await errors(context, first=first) == [(message, {"code": "BAD_PAGE"})]


async def test_unknown_release(context: Context) -> None:
    assert await errors(context, release="2024-01") == [
        (
            "release '2024-01' is not loaded; loaded releases: 2026-01, 2025-10",
            {"code": "UNKNOWN_RELEASE"},
        )
    ]


# --- filter limits --------------------------------------------------------------------------------

HUNDRED = [f"X{number:04}" for number in range(99)]
"""99 codes that no release holds."""


async def test_100_values_in_in(context: Context) -> None:
    found = await run(context, filter={"code": {"in": [*HUNDRED, "J9035"]}}, first=0)
    assert found["totalCount"] == 1


@pytest.mark.parametrize(
    ("code_filter", "message"),
    [
        (
            {"code": {"in": [*HUNDRED, "J9035", "A9597"]}},
            "code: at most 100 values in `in`",
        ),
        (
            {"kind": {"in": ["PROCEDURE"] * 101}},
            "kind: at most 100 values in `in`",
        ),
        (
            {"codePrefix": {"in": [*HUNDRED, "A", "B"]}},
            "codePrefix: at most 100 values in `in`",
        ),
        (
            {"pricingIndicator": {"in": [*HUNDRED, "A", "B"]}},
            "pricingIndicator: at most 100 values in `in`",
        ),
        (
            {"addedDate": {"in": ["2020-01-01"] * 101}},
            "addedDate: at most 100 values in `in`",
        ),
        (
            {"or": [{"coverage": {"eq": "C"}}] * 51},
            "a filter may hold at most 50 conditions",
        ),
        (
            {"not": {"and": [{"coverage": {"eq": "C"}, "betos": {"eq": "I1E"}}] * 26}},
            "a filter may hold at most 50 conditions",
        ),
    ],
)
async def test_too_large_filters(
    context: Context, code_filter: dict[str, Any], message: str
) -> None:
    assert await errors(context, filter=code_filter) == [(message, {"code": "BAD_FILTER"})]


async def test_50_conditions(context: Context) -> None:
    found = await run(context, filter={"or": [{"coverage": {"eq": "M"}}] * 50}, first=0)
    assert found["totalCount"] == 98


# --- statements -----------------------------------------------------------------------------------


@pytest.mark.parametrize("first", [1, 10, 100])
async def test_a_page_with_every_nested_field_runs_three_statements(
    context: Context, statements: list[str], first: int
) -> None:
    found = await run(context, EVERY_FIELD, first=first)
    assert found["totalCount"] == 213
    assert len(found["edges"]) == first
    nodes = [edge["node"] for edge in found["edges"]]
    assert all(node["crossReferences"] and node["release"]["id"] == JANUARY for node in nodes)
    # The count, the page, and every cross-reference target of the page at once.
    assert len(statements) == 3, statements


@pytest.mark.parametrize(
    ("code_filter", "message"),
    [
        (
            {"pricingIndicator": {"eq": "0"}},
            "pricingIndicator: '0' cannot match: its values are 2 characters long",
        ),
        (
            {"processingNote": {"eq": "17"}},
            "processingNote: '17' cannot match: its values are 4 characters long",
        ),
        (
            {"coverage": {"in": ["C", "NONE"]}},
            "coverage: 'NONE' cannot match: its values are 1 characters long",
        ),
        (
            {"code": {"eq": "J90355"}},
            "code: 'J90355' cannot match: its values are 1 to 5 characters long",
        ),
        (
            {"not": {"betos": {"eq": "I-1E"}}},
            "betos: 'I-1E' cannot match: its values are 3 characters long",
        ),
        (
            {"addedDate": {"from": "2026-02-01", "to": "2026-01-01"}},
            "addedDate: from 2026-02-01 is after to 2026-01-01: no date lies in the range",
        ),
    ],
)
async def test_filters_that_no_code_can_match_are_refused(
    context: Context, code_filter: dict[str, Any], message: str
) -> None:
    assert await errors(context, filter=code_filter) == [(message, {"code": "BAD_FILTER"})]
