"""The catalog keeps code rows in memory (bounded): a lookup seen before runs no SQL."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import aiosqlite
from cachetools import LRUCache

from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import make_context
from hcpcs_graphql.services.loaders import known_rows
from tests.schema.test_codes import EVERY_FIELD, codes_with_cross_references

CODES = """
query Codes($codes: [String!]!) { codes(codes: $codes, release: "2026-01") { code } }
"""
ABSENT = "NOPE"
"""A code no release has: its place in the answer is null."""


async def lookup(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str], *codes: str
) -> int:
    """How many statements looking the codes up on CATALOG's row cache takes."""
    statements.clear()
    context = make_context(connection, catalog)
    result = await schema.execute(CODES, {"codes": list(codes)}, context_value=context)
    assert result.errors is None
    assert result.data == {"codes": [None if code == ABSENT else {"code": code} for code in codes]}
    return len(statements)


async def test_rows_seen_before_cost_no_statement(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    cold = Catalog(releases=catalog.releases, code_values=catalog.code_values, rows=LRUCache(2))
    look = partial(lookup, connection, cold, statements)
    assert await look("A9597", "J9035") == 1
    assert await look("A9597", "J9035") == 0
    assert await look("J9035", "A9597") == 0
    assert await look("G0019") == 1  # the least recently used, J9035, makes room for it
    assert await look("A9597", "G0019") == 0
    assert await look("J9035") == 1


async def test_a_row_cache_of_size_zero_keeps_nothing(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    off = Catalog(releases=catalog.releases, code_values=catalog.code_values, rows=LRUCache(0))
    for _ in range(2):
        assert await lookup(connection, off, statements, "A9597") == 1
    assert len(off.rows) == 0


async def test_a_code_the_release_lacks_is_remembered(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    cold = Catalog(releases=catalog.releases, code_values=catalog.code_values, rows=LRUCache(10))
    look = partial(lookup, connection, cold, statements)
    assert await look(ABSENT, "A9597") == 1
    assert await look(ABSENT) == 0
    assert await look("A9597", ABSENT) == 0
    assert cold.rows["2026-01", ABSENT] is None


async def test_a_page_seen_before_runs_no_statement_and_gives_the_same_answer(
    connection: aiosqlite.Connection, catalog: Catalog, real_db: Path, statements: list[str]
) -> None:
    cold = Catalog(releases=catalog.releases, code_values=catalog.code_values)
    codes = codes_with_cross_references(real_db, 100)
    answers = []
    for expected in (2, 0, 0):  # the codes and their targets, some of which the release lacks
        statements.clear()
        context = make_context(connection, cold)
        result = await schema.execute(EVERY_FIELD, {"codes": codes}, context_value=context)
        assert result.errors is None
        assert len(statements) == expected, statements
        assert result.data is not None
        answers.append(result.data)
    assert answers[0] == answers[1] == answers[2]
    targets = [ref["target"] for code in answers[0]["codes"] for ref in code["crossReferences"]]
    assert None in targets


async def test_known_rows_answer_only_when_the_cache_knows_every_key(catalog: Catalog) -> None:
    cold = Catalog(releases=catalog.releases, code_values=catalog.code_values)
    cold.rows["2026-01", ABSENT] = None
    assert known_rows(cold, [("2026-01", ABSENT)]) == [None]
    assert known_rows(cold, [("2026-01", ABSENT), ("2026-01", "A9597")]) is None
    assert known_rows(cold, []) == []
