"""What the server holds in memory: the loaded releases and the code tables. Both are small, so
each request reads them without SQL; a load while the server runs makes a new catalog, swapped in
whole (http/live.py), so one catalog never changes."""

from __future__ import annotations

import datetime
import weakref
from dataclasses import dataclass, field

import aiosqlite
from cachetools import LRUCache

from hcpcs_graphql.db.bounds import most_referrers
from hcpcs_graphql.db.codeset import FacetCount
from hcpcs_graphql.db.diff import DiffSummary
from hcpcs_graphql.db.queries import fetch_code_values, fetch_releases
from hcpcs_graphql.db.rows import CodeRow, CodeValueRow, ReleaseRow
from hcpcs_graphql.services.errors import UnknownReleaseError
from hcpcs_graphql.services.search_cache import SearchCache
from hcpcs_graphql.services.vocabulary import VocabularyCache

FACET_CACHE_SIZE = 512
ROW_CACHE_SIZE = 10_000
"""Code rows kept in memory (HCPCS_ROW_CACHE): a release has about 9,000."""

Referrers = dict[str, tuple[str, ...]]
"""The codes that cross-reference each code of a release, by the referenced code."""
SUMMARY_CACHE_SIZE = 256


@dataclass(frozen=True, slots=True)
class Catalog:
    releases: tuple[ReleaseRow, ...]
    """Newest first."""
    code_values: dict[tuple[str, str], CodeValueRow]
    facet_cache: LRUCache[object, list[FacetCount]] = field(
        default_factory=lambda: LRUCache[object, list[FacetCount]](FACET_CACHE_SIZE)
    )
    """Facet counts by code set and date: a release never changes while it is served."""
    rows: LRUCache[tuple[str, str], CodeRow | None] = field(
        default_factory=lambda: LRUCache[tuple[str, str], CodeRow | None](ROW_CACHE_SIZE)
    )
    """Code rows by (release id, code), so that a lookup seldom waits for the database's thread;
    None for a code the release does not have (a cross-reference to a CPT code, say)."""
    built: dict[int, tuple[weakref.ref[CodeRow], object]] = field(init=False, default_factory=dict)
    """What the schema built of a code row, by the row's identity while the row lives (the row
    and this catalog decide it; schema/per_row.py)."""
    referrers: dict[str, Referrers] = field(default_factory=dict)
    """By release: the codes that cross-reference each code (filled on first use)."""
    oldest_first: tuple[str, ...] = field(init=False)
    """The release ids, the oldest first."""
    summary_cache: LRUCache[object, DiffSummary] = field(
        default_factory=lambda: LRUCache[object, DiffSummary](SUMMARY_CACHE_SIZE)
    )
    """Summaries of the changes between two releases, by what was compared."""
    vocabulary: VocabularyCache = field(default_factory=VocabularyCache)
    """The words of the descriptions, for forgiving search (read by `read`)."""
    search_cache: SearchCache = field(default_factory=SearchCache)
    """The pages and counts of searches that match many codes, once ranked."""
    most_referrers: int | None = None
    """The longest `referencedBy` list of the loaded releases (read by `read`; None: unknown)."""
    _by_id: dict[str, ReleaseRow] = field(init=False)
    _tables: dict[str, list[CodeValueRow]] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "oldest_first", tuple(r.id for r in reversed(self.releases)))
        object.__setattr__(self, "_by_id", {release.id: release for release in self.releases})
        tables: dict[str, list[CodeValueRow]] = {}
        for (table, _), value in sorted(self.code_values.items()):
            tables.setdefault(table, []).append(value)
        object.__setattr__(self, "_tables", tables)

    @classmethod
    async def read(
        cls, connection: aiosqlite.Connection, row_cache_size: int = ROW_CACHE_SIZE
    ) -> Catalog:
        releases = await fetch_releases(connection)
        values = await fetch_code_values(connection)
        vocabulary = VocabularyCache()
        await vocabulary.get(connection)
        return cls(
            releases=tuple(releases),
            code_values={(value.code_table, value.code): value for value in values},
            rows=LRUCache(row_cache_size),
            vocabulary=vocabulary,
            most_referrers=await most_referrers(connection),
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

    def in_effect(self, day: datetime.date) -> ReleaseRow | None:
        """The newest release whose effective date is on or before the day."""
        return next((release for release in self.releases if release.effective_date <= day), None)

    def default(self, today: datetime.date) -> ReleaseRow:
        """The release in effect today; the oldest when every loaded release is in the future."""
        if not self.releases:
            raise UnknownReleaseError("no release is loaded")
        return self.in_effect(today) or self.releases[-1]

    def meaning(self, table: str, code: str) -> CodeValueRow:
        """The code's entry in the table; a value without a known meaning has no description."""
        found = self.code_values.get((table, code))
        return found if found is not None else CodeValueRow(table, code, None, None)

    def table(self, table: str) -> list[CodeValueRow]:
        """The entries of a code table, by code (sorted once, when the catalog is read)."""
        return self._tables.get(table, [])
