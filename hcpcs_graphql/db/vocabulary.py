"""The words of the descriptions, as the full-text index holds them."""

from __future__ import annotations

import aiosqlite


async def fetch_terms(connection: aiosqlite.Connection) -> list[tuple[str, int]]:
    """Every word of the index with the number of descriptions that hold it."""
    rows = await connection.execute_fetchall("select term, doc from code_fts_vocabulary")
    return [(str(term), int(documents)) for term, documents in rows]
