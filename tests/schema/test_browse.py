"""The code-table root fields (`betosCodes`, `coverageCodes`, ...) on the real January 2026
release: each lists its code table, and each entry's `codes` are the codes that carry the value,
counted again here with plain sqlite3."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from hcpcs_graphql.domain.code_tables import code_table
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.context import Context, make_context
from tests.conftest import edited_copy
from tests.graphql import execute
from tests.paging import PageCase, empty_page, expected_page, moved, page_cases

JANUARY = "2026-01"
PRICES = ("price1", "price2", "price3", "price4")
SERVICES = ("tos1", "tos2", "tos3", "tos4", "tos5")
LABS = tuple(f"labcert{number}" for number in range(1, 9))

# Root field -> its code table, and the columns of `code` that carry the table's values.
ROOT_FIELDS = {
    "betosCodes": ("betos", ("betos",)),
    "betosCategories": ("betos_category", ("substr(betos, 1, 1)",)),
    "pricingIndicators": ("pricing_indicator", PRICES),
    "multiplePricingIndicators": ("multiple_pricing_indicator", ("mult_pi",)),
    "coverageCodes": ("coverage", ("cov",)),
    "typesOfService": ("type_of_service", SERVICES),
    "actionCodes": ("action_code", ("action_cd",)),
    "labCertifications": ("lab_certification", LABS),
}

VALUE_PAGE = """
query Values($value: String!, $release: String, $first: Int, $after: String) {
  %s(codes: [$value]) {
    code
    codes(release: $release, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { code } }
    }
  }
}
"""

BETOS_CODES = """
query {
  betosCodes { code codes(first: 3) { totalCount edges { node { code coverage { code } } } } }
}
"""

COVERAGE_CODES = """
query {
  coverageCodes { code codes(first: 3) { totalCount edges { node { code coverage { code } } } } }
}
"""


@pytest.fixture(scope="module")
def database(real_db: Path) -> Iterator[sqlite3.Connection]:
    """The loaded database read with plain sqlite3: the independent answer."""
    connection = sqlite3.connect(real_db)
    yield connection
    connection.close()


def carrying(
    database: sqlite3.Connection, field: str, value: str, release: str = JANUARY
) -> list[str]:
    """The codes of the release with VALUE in any column of FIELD's table, by code."""
    columns = ", ".join(ROOT_FIELDS[field][1])
    rows = database.execute(
        f"select code from code where release_id = ? and ? in ({columns}) order by code",
        (release, value),
    ).fetchall()
    return [code for (code,) in rows]


async def value_page(context: Context, field: str, value: str, **variables: Any) -> Any:
    """The `codes` connection of one entry of a root field."""
    found = await execute(context, VALUE_PAGE % field, value=value, **variables)
    (entry,) = found[field]
    assert entry["code"] == value
    return entry["codes"]


async def page_through(context: Context, field: str, value: str, **variables: Any) -> list[str]:
    """Every code that carries the value, a page of 100 at a time, each a request of its own."""
    codes: list[str] = []
    after: str | None = None
    while True:
        request = make_context(context.connection, context.catalog)
        found = await value_page(request, field, value, first=100, after=after, **variables)
        edges, info = found["edges"], found["pageInfo"]
        assert info["hasPreviousPage"] is (after is not None)
        assert info["endCursor"] == (edges[-1]["cursor"] if edges else None)
        codes.extend(edge["node"]["code"] for edge in edges)
        assert info["hasNextPage"] is (len(codes) < found["totalCount"])
        if not info["hasNextPage"]:
            assert len(codes) == found["totalCount"]
            return codes
        after = info["endCursor"]


@pytest.mark.parametrize("field", ROOT_FIELDS)
async def test_lists_the_code_table(context: Context, field: str) -> None:
    table = ROOT_FIELDS[field][0]
    found = await execute(context, f"{{ {field} {{ code description }} }}")
    assert found == {
        field: [
            {"code": value.code, "description": value.description}
            for value in sorted(code_table(table).values(), key=lambda value: value.code)
        ]
    }


async def test_entries_with_their_groups(context: Context) -> None:
    found = await execute(
        context,
        "{ betosCodes { code category { code description } }"
        " pricingIndicators { code category }"
        " labCertifications { code generalCertificationCode } }",
    )
    categories = code_table("betos_category")
    assert found["betosCodes"] == [
        {
            "code": code,
            "category": {"code": code[0], "description": categories[code[0]].description},
        }
        for code in sorted(code_table("betos"))
    ]
    assert found["pricingIndicators"] == [
        {"code": code, "category": value.category}
        for code, value in sorted(code_table("pricing_indicator").items())
    ]
    assert found["labCertifications"] == [
        {"code": code, "generalCertificationCode": value.category}
        for code, value in sorted(code_table("lab_certification").items())
    ]
    assert {"code": "110", "generalCertificationCode": "100"} in found["labCertifications"]


@pytest.mark.parametrize("field", ROOT_FIELDS)
async def test_how_many_codes_carry_each_value(
    context: Context, database: sqlite3.Connection, statements: list[str], field: str
) -> None:
    found = await execute(context, f"{{ {field} {{ code codes(first: 0) {{ totalCount }} }} }}")
    assert found == {
        field: [
            {"code": code, "codes": {"totalCount": len(carrying(database, field, code))}}
            for code in sorted(code_table(ROOT_FIELDS[field][0]))
        ]
    }
    assert len(statements) == 1, statements


async def test_nuclear_medicine_imaging(context: Context, database: sqlite3.Connection) -> None:
    i1e = carrying(database, "betosCodes", "I1E")
    assert len(i1e) == 128
    found = await execute(context, BETOS_CODES)
    (entry,) = [entry for entry in found["betosCodes"] if entry["code"] == "I1E"]
    assert entry == {
        "code": "I1E",
        "codes": {
            "totalCount": 128,
            "edges": [
                {"node": {"code": "A4641", "coverage": {"code": "C"}}},
                {"node": {"code": "A4642", "coverage": {"code": "C"}}},
                {"node": {"code": "A4648", "coverage": {"code": "C"}}},
            ],
        },
    }
    assert [edge["node"]["code"] for edge in entry["codes"]["edges"]] == i1e[:3]
    codes = await page_through(context, "betosCodes", "I1E")
    assert codes == i1e
    assert "A9597" in codes


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("betosCodes", "D1D"),
        ("betosCategories", "I"),
        ("coverageCodes", "S"),
        ("typesOfService", "R"),
        ("pricingIndicators", "21"),
        ("multiplePricingIndicators", "C"),
        ("actionCodes", "D"),
        ("labCertifications", "220"),
    ],
)
async def test_paging_the_codes_of_a_value(
    context: Context, database: sqlite3.Connection, field: str, value: str
) -> None:
    expected = carrying(database, field, value)
    assert expected
    assert await page_through(context, field, value) == expected


@page_cases(
    (20, None, 0, 20, True),
    (2, 0, 1, 3, True),
    (5, 125, 126, 128, False),
    (5, 127, 128, 128, False),
)
async def test_page_info(context: Context, database: sqlite3.Connection, case: PageCase) -> None:
    i1e = carrying(database, "betosCodes", "I1E")
    ref = (await value_page(context, "betosCodes", "I1E", first=1))["pageInfo"]["startCursor"]
    found = await value_page(
        context,
        "betosCodes",
        "I1E",
        first=None if case.first == 20 else case.first,
        after=None if case.after is None else moved(ref, case.after),
    )
    assert found == expected_page(128, ref, i1e, case)


async def test_a_value_no_code_carries(context: Context, database: sqlite3.Connection) -> None:
    assert carrying(database, "betosCodes", "I1A") == []
    found = await value_page(context, "betosCodes", "I1A")
    assert found == empty_page(0, has_next=False)


async def test_a_code_counts_in_each_of_its_values(context: Context) -> None:
    # Q0111 holds lab certifications 110, 120, 130 and 400; G0432 holds 140 and 220. Every
    # entry with a page of 100 exceeds the cost limit: half the table per request.
    query = """
    query($codes: [String!]) {
      labCertifications(codes: $codes) { code codes(first: 100) { edges { node { code } } } }
    }
    """
    table = sorted(code_table("lab_certification"))
    entries = [
        entry
        for half in (table[:16], table[16:])
        for entry in (await execute(context, query, codes=half))["labCertifications"]
    ]
    assert [entry["code"] for entry in entries] == table
    holding = {
        entry["code"]
        for entry in entries
        for edge in entry["codes"]["edges"]
        if edge["node"]["code"] == "Q0111"
    }
    assert holding == {"110", "120", "130", "400"}
    assert {
        entry["code"]
        for entry in entries
        for edge in entry["codes"]["edges"]
        if edge["node"]["code"] == "G0432"
    } == {"140", "220"}


# --- statements -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "entries"), [(COVERAGE_CODES, 5), (BETOS_CODES, 107)])
async def test_one_statement_for_every_entry(
    context: Context, statements: list[str], query: str, entries: int
) -> None:
    found = await execute(context, query)
    (field,) = found
    assert len(found[field]) == entries
    assert sum(len(entry["codes"]["edges"]) for entry in found[field]) > entries
    # Every entry's page and count, with the codes' coverage, from one statement.
    assert len(statements) == 1, statements


async def test_one_statement_per_code_table(context: Context, statements: list[str]) -> None:
    query = "{ " + " ".join(f"{field} {{ codes {{ totalCount }} }}" for field in ROOT_FIELDS) + " }"
    found = await execute(context, query)
    assert set(found) == set(ROOT_FIELDS)
    assert len(statements) == len(ROOT_FIELDS), statements


# --- the release argument -------------------------------------------------------------------------


async def test_the_codes_of_an_older_release(
    context: Context, database: sqlite3.Connection, statements: list[str]
) -> None:
    found = await execute(
        context,
        "{ coverageCodes { code"
        ' january: codes(first: 0) { totalCount } october: codes(release: "2025-10", first: 0)'
        " { totalCount } } }",
    )
    assert found == {
        "coverageCodes": [
            {
                "code": code,
                "january": {"totalCount": len(carrying(database, "coverageCodes", code))},
                "october": {
                    "totalCount": len(carrying(database, "coverageCodes", code, "2025-10"))
                },
            }
            for code in ("C", "D", "I", "M", "S")
        ]
    }
    assert found["coverageCodes"][0]["october"] == {"totalCount": 5452}
    assert len(statements) == 2, statements  # one per release
    october = await page_through(context, "coverageCodes", "M", release="2025-10")
    assert october == carrying(database, "coverageCodes", "M", "2025-10")


@pytest.mark.parametrize(
    ("arguments", "message", "code"),
    [
        (
            'release: "2024-01"',
            "release '2024-01' is not loaded; loaded releases: 2026-01, 2025-10",
            "UNKNOWN_RELEASE",
        ),
        ("first: 101", "`first` may be at most 100; 101 was given", "BAD_PAGE"),
        ('after: "garbage"', "`after` is not a cursor this API gave: 'garbage'", "BAD_CURSOR"),
    ],
)
async def test_bad_arguments(context: Context, arguments: str, message: str, code: str) -> None:
    result = await schema.execute(
        f"{{ coverageCodes {{ code codes({arguments}) {{ totalCount }} }} }}",
        context_value=context,
    )
    assert result.data is None
    assert result.errors is not None
    assert [(error.message, error.extensions) for error in result.errors] == [
        (message, {"code": code})
    ]


# --- a value held in two columns of one code ----------------------------------------------------


@pytest.fixture(scope="module")
async def doubled(
    real_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Context]:
    """A copy of the database in which A9597 holds its type of service (4) in TOS1 and TOS2
    and its pricing indicator (57) in PRICE1 and PRICE2, and G0432 its lab certification 140 in
    LABCERT1 and LABCERT3: the real releases never repeat a value in one code."""
    async with edited_copy(
        real_db,
        tmp_path_factory.mktemp("doubled"),
        JANUARY,
        "update code set tos2 = tos1, price2 = price1 where release_id = ? and code = 'A9597'",
        "update code set labcert3 = labcert1 where release_id = ? and code = 'G0432'",
    ) as context:
        yield context


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("typesOfService", "4", "A9597"),
        ("pricingIndicators", "57", "A9597"),
        ("labCertifications", "140", "G0432"),
    ],
)
async def test_a_value_in_two_columns_counts_once(
    doubled: Context, database: sqlite3.Connection, field: str, value: str, code: str
) -> None:
    # The original database's codes: the edit repeats a value, it adds no code.
    expected = carrying(database, field, value)
    assert code in expected
    assert await page_through(doubled, field, value) == expected
