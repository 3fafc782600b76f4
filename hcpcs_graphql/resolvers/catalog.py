"""What the server holds in memory for the life of the process: the loaded releases and the
code tables. Both are small and never change while a database is served (it is opened
immutable), so each request reads them without SQL."""

from __future__ import annotations

from dataclasses import dataclass, field

import aiosqlite

from hcpcs_graphql.db.codeset import FacetCount
from hcpcs_graphql.db.diff import DiffSummary
from hcpcs_graphql.db.queries import fetch_code_values, fetch_releases
from hcpcs_graphql.db.rows import CodeValueRow, ReleaseRow
from hcpcs_graphql.resolvers.cache import LruCache
from hcpcs_graphql.resolvers.errors import UnknownReleaseError

FACET_CACHE_SIZE = 512
SUMMARY_CACHE_SIZE = 256


@dataclass(frozen=True, slots=True)
class Catalog:
    releases: tuple[ReleaseRow, ...]
    """Newest first."""
    code_values: dict[tuple[str, str], CodeValueRow]
    facet_cache: LruCache[object, list[FacetCount]] = field(
        default_factory=lambda: LruCache[object, list[FacetCount]](FACET_CACHE_SIZE)
    )
    """Facet counts by code set and date: a release never changes while it is served."""
    summary_cache: LruCache[object, DiffSummary] = field(
        default_factory=lambda: LruCache[object, DiffSummary](SUMMARY_CACHE_SIZE)
    )
    """Summaries of the changes between two releases, by what was compared."""
    _by_id: dict[str, ReleaseRow] = field(init=False)
    _tables: dict[str, list[CodeValueRow]] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {release.id: release for release in self.releases})
        tables: dict[str, list[CodeValueRow]] = {}
        for (table, _), value in sorted(self.code_values.items()):
            tables.setdefault(table, []).append(value)
        object.__setattr__(self, "_tables", tables)

    @classmethod
    async def read(cls, connection: aiosqlite.Connection) -> Catalog:
        releases = await fetch_releases(connection)
        values = await fetch_code_values(connection)
        return cls(
            releases=tuple(releases),
            code_values={(value.code_table, value.code): value for value in values},
        )

    def release(self, release_id: str | None) -> ReleaseRow:
        """The release with this id; the newest when the id is None."""
        if release_id is None:
            if not self.releases:
                raise UnknownReleaseError("no release is loaded")
            return self.releases[0]
        found = self._by_id.get(release_id.strip())
        if found is None:
            loaded = ", ".join(release.id for release in self.releases) or "none"
            raise UnknownReleaseError(
                f"release {release_id!r} is not loaded; loaded releases: {loaded}"
            )
        return found

    def meaning(self, table: str, code: str) -> CodeValueRow:
        """The code's entry in the table; a value without a known meaning has no description."""
        found = self.code_values.get((table, code))
        return found if found is not None else CodeValueRow(table, code, None, None)

    def table(self, table: str) -> list[CodeValueRow]:
        """The entries of a code table, by code (sorted once, when the catalog is read)."""
        return self._tables.get(table, [])
