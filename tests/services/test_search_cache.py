"""A search that matches many codes is ranked once per catalog: a page and a count seen before
cost no statement and are the same answer; searches of few codes are not kept."""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

import aiosqlite

from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import make_context
from hcpcs_graphql.services.search_cache import MANY_MATCHES, SearchCache
from tests.conftest import cold
from tests.graphql import execute

DAY = datetime.date(2026, 1, 15)
TYPEAHEAD = """
query Search($text: String!, $first: Int, $after: String) {
  search(text: $text, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { matchedBy markedShortDescription node { code shortDescription } }
  }
}
"""
FILTERED = """
query Search($text: String!, $filter: CodeFilter) {
  search(text: $text, filter: $filter, first: 5) { totalCount edges { node { code } } }
}
"""
WITHOUT_COUNT = """
query Search($text: String!) { search(text: $text, first: 3) { edges { node { code } } } }
"""


async def answer(
    connection: aiosqlite.Connection,
    catalog: Catalog,
    statements: list[str],
    query: str,
    **variables: Any,
) -> tuple[Any, int]:
    """The data and how many statements it took, on CATALOG (its search cache kept)."""
    statements.clear()
    data = await execute(make_context(connection, catalog, today=DAY), query, **variables)
    return data, len(statements)


async def test_a_search_of_many_codes_costs_no_statement_the_second_time(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    fresh = cold(catalog)
    first, counted = await answer(
        connection, fresh, statements, TYPEAHEAD, text="injection", first=10
    )
    assert first["search"]["totalCount"] >= MANY_MATCHES
    assert counted == 2
    assert await answer(connection, fresh, statements, TYPEAHEAD, text="injection", first=10) == (
        first,
        0,
    )
    # Another page of it is ranked once too; the count is already kept.
    after = first["search"]["pageInfo"]["endCursor"]
    second, counted = await answer(
        connection, fresh, statements, TYPEAHEAD, text="injection", first=10, after=after
    )
    assert counted == 1
    assert second != first
    assert await answer(
        connection, fresh, statements, TYPEAHEAD, text="injection", first=10, after=after
    ) == (second, 0)


async def test_the_kept_answer_is_the_answer_ranked_again(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    kept = replace(cold(catalog), search_cache=SearchCache(many=1))
    # Words, a code's start, words with numbers, a typo repaired.
    for text in ("wheelchair", "j90", "injection 10 mg", "paitent"):
        ranked, _ = await answer(connection, cold(catalog), statements, TYPEAHEAD, text=text)
        assert (await answer(connection, kept, statements, TYPEAHEAD, text=text))[0] == ranked
        assert await answer(connection, kept, statements, TYPEAHEAD, text=text) == (ranked, 0)


async def test_a_filter_is_part_of_what_is_kept(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    fresh = cold(catalog)
    every, _ = await answer(connection, fresh, statements, FILTERED, text="injection")
    some = {"codePrefix": {"eq": "J1"}}
    filtered, _ = await answer(
        connection, fresh, statements, FILTERED, text="injection", filter=some
    )
    assert filtered["search"]["totalCount"] >= MANY_MATCHES
    assert filtered != every
    assert await answer(connection, fresh, statements, FILTERED, text="injection", filter=some) == (
        filtered,
        0,
    )
    assert await answer(connection, fresh, statements, FILTERED, text="injection") == (every, 0)


async def test_a_search_of_few_codes_is_ranked_each_time(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    fresh = cold(catalog)
    first, counted = await answer(connection, fresh, statements, TYPEAHEAD, text="j90")
    assert first["search"]["totalCount"] < MANY_MATCHES
    assert counted == 3
    assert await answer(connection, fresh, statements, TYPEAHEAD, text="j90") == (
        first,
        counted,
    )


async def test_a_page_asked_without_its_count_is_not_kept(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    # Keeping it would need the count, a statement the query did not ask for.
    fresh = cold(catalog)
    first, counted = await answer(connection, fresh, statements, WITHOUT_COUNT, text="injection")
    assert counted == 1
    assert await answer(connection, fresh, statements, WITHOUT_COUNT, text="injection") == (
        first,
        1,
    )


async def test_a_cache_of_no_rows_keeps_no_page(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    off = replace(cold(catalog), search_cache=SearchCache(rows=0))
    first, _ = await answer(connection, off, statements, TYPEAHEAD, text="injection")
    assert await answer(connection, off, statements, TYPEAHEAD, text="injection") == (first, 1)
