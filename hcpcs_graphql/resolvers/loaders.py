"""DataLoaders, created fresh for each request so that nothing is cached across requests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import aiosqlite
from strawberry.dataloader import DataLoader

from hcpcs_graphql.db.codeset import ValuePage, pages_by_value
from hcpcs_graphql.db.queries import fetch_codes
from hcpcs_graphql.db.rows import CodeRow

CodeKey = tuple[str, str]
"""(release id, code)"""


def _load_codes(
    connection: aiosqlite.Connection,
) -> Callable[[Sequence[CodeKey]], Awaitable[list[CodeRow | None]]]:
    async def load(keys: Sequence[CodeKey]) -> list[CodeRow | None]:
        by_release: dict[str, list[str]] = {}
        for release_id, code in keys:
            by_release.setdefault(release_id, []).append(code)
        found: dict[CodeKey, CodeRow] = {}
        for release_id, codes in by_release.items():
            rows = await fetch_codes(connection, release_id, codes)
            found.update(((release_id, code), row) for code, row in rows.items())
        return [found.get(key) for key in keys]

    return load


ValuePageKey = tuple[str, str, int, int, str]
"""(code table, release id, offset, size, value)"""


def _load_value_pages(
    connection: aiosqlite.Connection,
) -> Callable[[Sequence[ValuePageKey]], Awaitable[list[ValuePage]]]:
    async def load(keys: Sequence[ValuePageKey]) -> list[ValuePage]:
        groups: dict[tuple[str, str, int, int], list[str]] = {}
        for table, release_id, offset, size, value in keys:
            groups.setdefault((table, release_id, offset, size), []).append(value)
        found: dict[ValuePageKey, ValuePage] = {}
        for (table, release_id, offset, size), values in groups.items():
            pages = await pages_by_value(
                connection, release_id, table, values, limit=size, offset=offset
            )
            found.update(
                ((table, release_id, offset, size, value), page) for value, page in pages.items()
            )
        return [found[key] for key in keys]

    return load


@dataclass(frozen=True, slots=True)
class Loaders:
    code: DataLoader[CodeKey, CodeRow | None]
    """Codes by (release id, code): root lookups and cross-reference targets alike."""
    value_page: DataLoader[ValuePageKey, ValuePage]
    """Pages of the codes that carry a value of a code table (browsing the code tables)."""

    @classmethod
    def create(cls, connection: aiosqlite.Connection) -> Loaders:
        return cls(
            code=DataLoader(load_fn=_load_codes(connection)),
            value_page=DataLoader(load_fn=_load_value_pages(connection)),
        )
