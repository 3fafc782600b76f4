"""Pages, counts and facets of a set of codes: a filtered listing, a search, or the codes that
carry one value of a code table. Each is fetched at most once per connection object, and only
when the query asks for it."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar

from hcpcs_graphql.db import codeset
from hcpcs_graphql.db.codeset import CodeSet, Facet, FacetCount, Listing, Ranked, RankedRow
from hcpcs_graphql.db.rows import CodeRow, ReleaseRow
from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.pagination import Page
from hcpcs_graphql.services.search_cache import SearchCache
from hcpcs_graphql.services.vocabulary import WordRepair


@dataclass(frozen=True, slots=True)
class Hit:
    row: CodeRow
    offset: int
    tier: int


@dataclass(frozen=True, slots=True)
class CodePage:
    hits: list[Hit]
    has_next: bool
    has_previous: bool


@dataclass(frozen=True, slots=True)
class Correction:
    original: str
    corrected: tuple[str, ...]


class CodeSource(Protocol):
    release: ReleaseRow
    page: Page

    async def fetch_page(self, context: Context) -> CodePage: ...

    async def total(self, context: Context) -> int: ...

    async def facets(self, context: Context, on: datetime.date) -> list[FacetCount]: ...


T = TypeVar("T")


class Once:
    """Runs a coroutine function once and hands its result to every caller."""

    def __init__(self) -> None:
        self._tasks: dict[str, asyncio.Future[object]] = {}

    async def run(self, key: str, make: Callable[[], Awaitable[T]]) -> T:
        task = self._tasks.get(key)
        if task is None:
            task = self._tasks[key] = asyncio.ensure_future(make())
        return await task  # type: ignore[return-value]

    def started(self, key: str) -> bool:
        return key in self._tasks


async def _facets(context: Context, codes: CodeSet, on: datetime.date) -> list[FacetCount]:
    # A release never changes: the counts of one set on one date can be kept (in any order).
    if isinstance(codes, Listing):
        codes = replace(codes, orders=())
    key = (codes, on)
    found = context.catalog.facet_cache.get(key)
    if found is None:
        found = await codeset.facet_counts(context.connection, codes, list(Facet), on.isoformat())
        context.catalog.facet_cache[key] = found
    return found


@dataclass(slots=True)
class SetSource:
    """A listing or a search: `codes` ranks; `fast`, when given, is the part of `codes` that
    matches by code alone and comes first in it (it spares ranking the description matches
    when the page lies within it)."""

    release: ReleaseRow
    codes: CodeSet
    page: Page
    words: tuple[str, ...] = ()
    correction: Correction | None = None
    fast: CodeSet | None = None
    repairs: tuple[WordRepair, ...] = ()
    """The words and the code of the text that the search repaired, in text order."""
    ignored: tuple[str, ...] = ()
    """The words of the text left out because no code holds them with the others."""
    _once: Once = field(default_factory=Once)

    async def fetch_page(self, context: Context) -> CodePage:
        return await self._once.run("page", lambda: self._fetch_page(context))

    async def _fetch_page(self, context: Context) -> CodePage:
        async def rows(limit: int, offset: int) -> list[RankedRow]:
            kept = self._kept(context)
            if kept is not None and (found := kept.page(self.codes, limit, offset)) is not None:
                return found
            codes = self.codes
            fast = self.fast
            if fast is not None and await codeset.count(context.connection, fast) >= offset + limit:
                codes = fast
            found = await codeset.page(context.connection, codes, limit, offset)
            if kept is not None and self._once.started("total"):
                # Kept only when the count is asked anyway: never a statement more.
                kept.keep_page(self.codes, limit, offset, found, await self.total(context))
            return found

        found = await self.page.fetch(lambda: self.total(context), rows)
        hits = [
            Hit(ranked.row, found.offset + index, ranked.tier)
            for index, ranked in enumerate(found.items)
        ]
        return CodePage(hits, found.has_next, found.has_previous)

    async def total(self, context: Context) -> int:
        return await self._once.run("total", lambda: self._count(context))

    async def _count(self, context: Context) -> int:
        kept = self._kept(context)
        if kept is not None and (found := kept.count(self.codes)) is not None:
            return found
        found = await codeset.count(context.connection, self.codes)
        if kept is not None:
            kept.keep_count(self.codes, found)
        return found

    def _kept(self, context: Context) -> SearchCache | None:
        """Where a search's pages and counts are kept (not a listing's: they are cheap)."""
        return context.catalog.search_cache if isinstance(self.codes, Ranked) else None

    async def facets(self, context: Context, on: datetime.date) -> list[FacetCount]:
        return await _facets(context, self.codes, on)


@dataclass(slots=True)
class ValueSource:
    """The codes of a release that carry one value of a code table, in code order; the pages of
    every value asked for in one request come from one statement (a DataLoader)."""

    release: ReleaseRow
    table: str
    value: str
    page: Page

    async def _value_page(self, context: Context, offset: int, size: int) -> codeset.ValuePage:
        key = (self.table, self.release.id, offset, size, self.value)
        return await context.loaders.value_page.load(key)

    async def fetch_page(self, context: Context) -> CodePage:
        total = await self.total(context) if self.page.needs_total else None
        window = self.page.window(total)
        found = await self._value_page(context, window.offset, window.size)
        hits = [Hit(row, window.offset + index, 0) for index, row in enumerate(found.rows)]
        has_next = window.offset + len(found.rows) < found.total
        return CodePage(
            hits, has_next if window.has_next is None else window.has_next, window.has_previous
        )

    async def total(self, context: Context) -> int:
        # The page's statement counts the value's codes too; only `last` without `before`
        # needs the count first (a page of none).
        if self.page.needs_total:
            return (await self._value_page(context, 0, 0)).total
        window = self.page.window(None)
        return (await self._value_page(context, window.offset, window.size)).total

    async def facets(self, context: Context, on: datetime.date) -> list[FacetCount]:
        key = (self.table, self.release.id, on, self.value)
        return await context.loaders.value_facets.load(key)
