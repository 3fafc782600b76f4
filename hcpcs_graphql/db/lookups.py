"""Lookups of many codes in one statement, whatever their number: the codes travel as one JSON
array that SQLite's json_each reads (one variable, not one per code), and the (release_id, code)
index finds each."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from hcpcs_graphql.db.conditions import STATUS_SQL
from hcpcs_graphql.db.queries import code_row
from hcpcs_graphql.db.rows import CodeRow
from hcpcs_graphql.db.search import BM25_WEIGHTS
from hcpcs_graphql.db.tables import CODE_COLUMNS
from hcpcs_graphql.domain.status import Status

_COLUMNS = ", ".join(f"c.{column}" for column in CODE_COLUMNS)
DESCRIPTION_SEARCHES = 100
"""Description searches in one statement (three variables each, and two for the date)."""


async def fetch_code_rows(
    connection: aiosqlite.Connection, release_ids: Sequence[str], codes: Sequence[str]
) -> list[CodeRow]:
    """Every row of these codes in these releases, in no particular order."""
    if not release_ids or not codes:
        return []
    placeholders = ", ".join("?" for _ in release_ids)
    rows = await connection.execute_fetchall(
        f"select {_COLUMNS} from code c where c.release_id in ({placeholders})"
        " and c.code in (select value from json_each(?))",
        (*release_ids, json.dumps(sorted(set(codes)))),
    )
    return [code_row(values) for values in rows]


async def fetch_code_history(
    connection: aiosqlite.Connection, release_ids: Sequence[str], codes: Sequence[str]
) -> dict[str, list[CodeRow]]:
    """Each code's rows in the given releases, in the order of the releases given."""
    found: dict[str, list[CodeRow]] = {code: [] for code in codes}
    for row in await fetch_code_rows(connection, release_ids, codes):
        found[row.code].append(row)
    order = {release_id: index for index, release_id in enumerate(release_ids)}
    for history in found.values():
        history.sort(key=lambda row: order[row.release_id])
    return found


async def fetch_code_pairs(
    connection: aiosqlite.Connection, pairs: Sequence[tuple[str, str]]
) -> list[CodeRow]:
    """The rows of the (release id, code) pairs that exist, in no particular order."""
    if not pairs:
        return []
    rows = await connection.execute_fetchall(
        f"select {_COLUMNS} from json_each(?) j"
        " join code c on c.release_id = j.value ->> 0 and c.code = j.value ->> 1",
        (json.dumps(sorted(set(pairs))),),
    )
    return [code_row(values) for values in rows]


@dataclass(frozen=True, slots=True)
class DescriptionSearch:
    """The procedure codes of one release (its rowids) whose descriptions match an FTS5 query,
    in effect on a day."""

    first_rowid: int
    last_rowid: int
    fts_query: str
    day: datetime.date


async def description_matches(
    connection: aiosqlite.Connection, searches: Sequence[DescriptionSearch], limit: int
) -> list[list[CodeRow]]:
    """For each search, its best `limit` matches by relevance (bm25, as `search` ranks them),
    ties by code; one statement per hundred searches."""
    found: list[list[CodeRow]] = [[] for _ in searches]
    for start in range(0, len(searches), DESCRIPTION_SEARCHES):
        batch = searches[start : start + DESCRIPTION_SEARCHES]
        parts = []
        parameters: list[object] = []
        for index, search in enumerate(batch, start):
            parts.append(
                f"select * from (select {index}, bm25(code_fts, {BM25_WEIGHTS}) as score,"
                f" {_COLUMNS} from code_fts f"
                " join code c on c.rowid = f.rowid"
                " where code_fts match ? and f.rowid between ? and ? and c.kind = 'PROCEDURE'"
                f" and {STATUS_SQL[Status.ACTIVE]}"
                f" order by score, c.code limit {int(limit)})"
            )
            day = search.day.isoformat()
            parameters += [search.fts_query, search.first_rowid, search.last_rowid, day, day]
        rows = await connection.execute_fetchall(" union all ".join(parts), parameters)
        # A union keeps no order: each search's rows are put in order again.
        for index, _, *values in sorted(rows, key=lambda row: (row[0], row[1], row[3])):
            found[index].append(code_row(values))
    return found
