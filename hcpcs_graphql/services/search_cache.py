"""The pages and counts of the searches that match many codes, kept once ranked.

Ranking description matches costs SQLite, for every code the text matches, a bm25 score, a
join and the checks of RANK_RULES: a few milliseconds for the common prefixes a typeahead sends
(`inj`, `pat`, `for`: 1,400-2,100 codes), a fraction of one for most texts. A page of a search
is decided by its statement alone (the text, its inflections and repairs, the day, the filter)
and by the index's statistics, which only a load changes; a load makes a new catalog, and with
it a new cache. So the first request for such a page ranks it and every later one reads it here,
without SQL. Searches that match few codes are not kept: they cost little to rank again."""

from __future__ import annotations

from cachetools import LRUCache

from hcpcs_graphql.db.codeset import CodeSet, RankedRow

MANY_MATCHES = 200
"""Codes a search must match for its pages and count to be kept (ranking 200 costs SQLite about
half a millisecond; the typeahead's slowest texts match ten times as many)."""
KEPT_ROWS = 10_000
"""Code rows the kept pages may hold together (about a release's worth, as the row cache)."""
KEPT_COUNTS = 1_024
"""Counts kept (each key holds its search's SQL, a few kB)."""


def _rows_of(rows: list[RankedRow]) -> int:
    # An empty page still takes a place.
    return len(rows) + 1


class SearchCache:
    """Pages by (search, limit, offset) and counts by search, for searches of MANY codes."""

    def __init__(self, many: int = MANY_MATCHES, rows: int = KEPT_ROWS) -> None:
        self.many = many
        self._pages: LRUCache[tuple[CodeSet, int, int], list[RankedRow]] = LRUCache(
            rows, getsizeof=_rows_of
        )
        self._counts: LRUCache[CodeSet, int] = LRUCache(KEPT_COUNTS)

    def page(self, codes: CodeSet, limit: int, offset: int) -> list[RankedRow] | None:
        return self._pages.get((codes, limit, offset))

    def keep_page(
        self, codes: CodeSet, limit: int, offset: int, rows: list[RankedRow], total: int
    ) -> None:
        if total >= self.many and _rows_of(rows) <= self._pages.maxsize:
            self._pages[codes, limit, offset] = rows

    def count(self, codes: CodeSet) -> int | None:
        return self._counts.get(codes)

    def keep_count(self, codes: CodeSet, total: int) -> None:
        if total >= self.many:
            self._counts[codes] = total
