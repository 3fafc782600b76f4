"""The catalog keeps code rows in memory (bounded): a lookup seen before runs no SQL."""

from __future__ import annotations

import aiosqlite
from cachetools import LRUCache

from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import make_context

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
