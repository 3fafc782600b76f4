"""DataLoaders, created fresh for each request so that nothing is cached across requests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite
from strawberry.dataloader import DataLoader

from hcpcs_graphql.db.queries import fetch_codes
from hcpcs_graphql.db.rows import CodeRow

CodeKey = tuple[str, str]
"""(release id, code)"""


def _load_codes(connection: aiosqlite.Connection):  # type: ignore[no-untyped-def]
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


@dataclass(frozen=True, slots=True)
class Loaders:
    code: DataLoader[CodeKey, CodeRow | None]
    """Codes by (release id, code): root lookups and cross-reference targets alike."""

    @classmethod
    def create(cls, connection: aiosqlite.Connection) -> Loaders:
        return cls(code=DataLoader(load_fn=_load_codes(connection)))
