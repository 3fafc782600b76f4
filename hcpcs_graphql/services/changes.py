"""The `changes` root field: the codes that differ between two releases, a page at a time, and
how many differ by kind and by field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hcpcs_graphql.db import diff
from hcpcs_graphql.db.diff import Diff, DiffRow, DiffSummary
from hcpcs_graphql.db.diff_fields import DEFAULT_FIELDS, ChangeKind, DiffField
from hcpcs_graphql.db.filters import CodeFilter
from hcpcs_graphql.services.code_sets import Once
from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.listing import compile_filter
from hcpcs_graphql.services.pagination import Page


@dataclass(frozen=True, slots=True)
class ChangeHit:
    row: DiffRow
    offset: int


@dataclass(frozen=True, slots=True)
class ChangePage:
    hits: list[ChangeHit]
    has_next: bool
    has_previous: bool


@dataclass(slots=True)
class ChangeSource:
    """The differences asked for; the page and the summary are each fetched at most once, and
    only when the query asks for them; summaries are kept in the catalog."""

    diff: Diff
    page: Page
    _once: Once = field(default_factory=Once)

    async def fetch_page(self, context: Context) -> ChangePage:
        return await self._once.run("page", lambda: self._fetch_page(context))

    async def _fetch_page(self, context: Context) -> ChangePage:
        async def total() -> int:
            return (await self.summary(context)).total

        async def rows(limit: int, offset: int) -> list[DiffRow]:
            return await diff.page(context.connection, self.diff, limit, offset)

        found = await self.page.fetch(total, rows)
        hits = [ChangeHit(row, found.offset + index) for index, row in enumerate(found.items)]
        return ChangePage(hits, found.has_next, found.has_previous)

    async def summary(self, context: Context) -> DiffSummary:
        return await self._once.run("summary", lambda: self._summary(context))

    async def _summary(self, context: Context) -> DiffSummary:
        # Two releases never change while they are served: their summary can be kept.
        cache = context.catalog.summary_cache
        found = cache.get(self.diff)
        if found is None:
            found = await diff.summary(context.connection, self.diff)
            cache[self.diff] = found
        return found


def changes(
    context: Context,
    *,
    from_release: str,
    to_release: str,
    fields: Sequence[DiffField] | None,
    kinds: Sequence[ChangeKind] | None,
    code_filter: CodeFilter | None,
    page: Page,
) -> ChangeSource:
    older = context.catalog.release(from_release)
    newer = context.catalog.release(to_release)
    compared = DEFAULT_FIELDS if fields is None else tuple(f for f in DiffField if f in fields)
    listed = tuple(ChangeKind) if kinds is None else tuple(k for k in ChangeKind if k in kinds)
    return ChangeSource(
        Diff(older.id, newer.id, compared, listed, compile_filter(code_filter)), page
    )


def previous_release(context: Context, release_id: str) -> str | None:
    """The loaded release that takes effect just before this one."""
    older = [release.id for release in context.catalog.releases if release.id < release_id]
    return older[0] if older else None


async def summary_from_previous(context: Context, release_id: str) -> DiffSummary | None:
    """What changed from the release before (every kind, the default fields); None for the
    oldest loaded."""
    previous = previous_release(context, release_id)
    if previous is None:
        return None
    source = ChangeSource(Diff(previous, release_id), Page.of("summary"))
    return await source.summary(context)
