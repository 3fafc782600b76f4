"""Facts of the loaded data that bound the size of an answer (the cost model reads them at
start, so that loading more releases never makes it under-count)."""

from __future__ import annotations

import aiosqlite

from hcpcs_graphql.domain.layout import DETAIL_FIELDS

_XREFS = ", ".join(
    f"c.{field.column}" for field in DETAIL_FIELDS if field.column.startswith("xref")
)


async def most_referrers(connection: aiosqlite.Connection) -> int:
    """The most codes of one release that cross-reference one code (its `referencedBy`)."""
    rows = await connection.execute_fetchall(
        "select coalesce(max(n), 0) from ("
        " select count(distinct c.code) as n"
        f" from code c, json_each(json_array({_XREFS})) j"
        " where j.value is not null group by c.release_id, j.value)"
    )
    return int(next(iter(rows))[0])
