"""The catalog keeps code rows in memory (bounded): a lookup seen before runs no SQL."""

from __future__ import annotations

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


async def test_rows_seen_before_cost_no_statement(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    cold = Catalog(releases=catalog.releases, code_values=catalog.code_values, rows=LRUCache(2))

    async def lookup(*codes: str) -> int:
        statements.clear()
        context = make_context(connection, cold)
        result = await schema.execute(CODES, {"codes": list(codes)}, context_value=context)
        assert result.errors is None
        assert result.data == {"codes": [{"code": code} for code in codes]}
        return len(statements)

    assert await lookup("A9597", "J9035") == 1
    assert await lookup("A9597", "J9035") == 0
    assert await lookup("J9035", "A9597") == 0
    assert await lookup("G0019") == 1  # the least recently used, J9035, makes room for it
    assert await lookup("A9597", "G0019") == 0
    assert await lookup("J9035") == 1


async def test_a_row_cache_of_size_zero_keeps_nothing(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    off = Catalog(releases=catalog.releases, code_values=catalog.code_values, rows=LRUCache(0))
    for _ in range(2):
        statements.clear()
        result = await schema.execute(
            CODES, {"codes": ["A9597"]}, context_value=make_context(connection, off)
        )
        assert result.errors is None
        assert result.data == {"codes": [{"code": "A9597"}]}
        assert len(statements) == 1
    assert len(off.rows) == 0


async def test_a_code_the_release_lacks_is_remembered(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    cold = Catalog(releases=catalog.releases, code_values=catalog.code_values, rows=LRUCache(10))

    async def lookup(*codes: str) -> int:
        statements.clear()
        context = make_context(connection, cold)
        result = await schema.execute(CODES, {"codes": list(codes)}, context_value=context)
        assert result.errors is None
        assert result.data == {
            "codes": [None if code == "NOPE" else {"code": code} for code in codes]
        }
        return len(statements)

    assert await lookup("NOPE", "A9597") == 1
    assert await lookup("NOPE") == 0
    assert await lookup("A9597", "NOPE") == 0
    assert cold.rows["2026-01", "NOPE"] is None


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
    cold.rows["2026-01", "NOPE"] = None
    assert known_rows(cold, [("2026-01", "NOPE")]) == [None]
    assert known_rows(cold, [("2026-01", "NOPE"), ("2026-01", "A9597")]) is None
    assert known_rows(cold, []) == []
