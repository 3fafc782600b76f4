"""DataLoaders, created fresh for each request so that nothing is cached across requests."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable, Sequence
from functools import cached_property

import aiosqlite
from strawberry.dataloader import DataLoader

from hcpcs_graphql.db.codeset import (
    Facet,
    FacetCount,
    Listing,
    ValuePage,
    facet_counts_by_value,
    pages_by_value,
)
from hcpcs_graphql.db.conditions import carries
from hcpcs_graphql.db.defects import DefectRow, fetch_defects
from hcpcs_graphql.db.lookups import fetch_code_history
from hcpcs_graphql.db.queries import fetch_codes, fetch_cross_references
from hcpcs_graphql.db.rows import CodeRow
from hcpcs_graphql.services.catalog import Catalog, Referrers

CodeKey = tuple[str, str]
"""(release id, code)"""
_UNKNOWN = object()
"""Not in the catalog's row cache (where None says the release has no such code)."""


def known_rows(catalog: Catalog, keys: Sequence[CodeKey]) -> list[CodeRow | None] | None:
    """The rows of the keys from the catalog's row cache (None for a code the release lacks),
    when it knows them all: then no loader, future or turn of the event loop is needed."""
    rows = catalog.rows
    found: list[CodeRow | None] = []
    for key in keys:
        row = rows.get(key, _UNKNOWN)
        if row is _UNKNOWN:
            return None
        found.append(row)  # type: ignore[arg-type]
    return found


def _load_codes(
    connection: aiosqlite.Connection, catalog: Catalog
) -> Callable[[Sequence[CodeKey]], Awaitable[list[CodeRow | None]]]:
    async def load(keys: Sequence[CodeKey]) -> list[CodeRow | None]:
        found: dict[CodeKey, CodeRow | None] = {}
        missing: dict[str, list[str]] = {}
        for key in keys:
            row = catalog.rows.get(key, _UNKNOWN)
            if row is _UNKNOWN:
                missing.setdefault(key[0], []).append(key[1])
            else:
                found[key] = row  # type: ignore[assignment]
        for release_id, codes in missing.items():
            rows = await fetch_codes(connection, release_id, codes)
            for code in codes:
                row = found[release_id, code] = rows.get(code)
                # cachetools refuses any entry when the size is 0 (HCPCS_ROW_CACHE=0: off).
                if catalog.rows.maxsize > 0:
                    catalog.rows[release_id, code] = row
        return [found.get(key) for key in keys]

    return load


def _load_defects(
    connection: aiosqlite.Connection,
) -> Callable[[Sequence[CodeKey]], Awaitable[list[list[DefectRow]]]]:
    async def load(keys: Sequence[CodeKey]) -> list[list[DefectRow]]:
        by_release: dict[str, list[str]] = {}
        for release_id, code in keys:
            by_release.setdefault(release_id, []).append(code)
        found: dict[CodeKey, list[DefectRow]] = {}
        for release_id, codes in by_release.items():
            for code, defects in (await fetch_defects(connection, release_id, codes)).items():
                found[release_id, code] = defects
        return [found[key] for key in keys]

    return load


def _load_histories(
    connection: aiosqlite.Connection, release_ids: Sequence[str]
) -> Callable[[Sequence[str]], Awaitable[list[list[CodeRow]]]]:
    async def load(codes: Sequence[str]) -> list[list[CodeRow]]:
        found = await fetch_code_history(connection, release_ids, codes)
        return [found[code] for code in codes]

    return load


def _load_referrers(
    connection: aiosqlite.Connection, catalog: Catalog
) -> Callable[[Sequence[str]], Awaitable[list[Referrers]]]:
    async def load(release_ids: Sequence[str]) -> list[Referrers]:
        for release_id in release_ids:
            if release_id not in catalog.referrers:
                release = catalog.release(release_id)
                referrers: dict[str, list[str]] = {}
                for code, targets in await fetch_cross_references(connection, release):
                    for target in targets:
                        referrers.setdefault(target, []).append(code)
                catalog.referrers[release_id] = {
                    target: tuple(codes) for target, codes in referrers.items()
                }
        return [catalog.referrers[release_id] for release_id in release_ids]

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


ValueFacetsKey = tuple[str, str, datetime.date, str]
"""(code table, release id, the date statuses are judged on, value)"""


def facet_cache_key(table: str, release_id: str, on: datetime.date, value: str) -> object:
    """The catalog's facet-cache key of the codes that carry a value: the same as the listing's
    that a filter on the value gives."""
    return (Listing(release_id, carries(table, value)), on)


def _load_value_facets(
    connection: aiosqlite.Connection, catalog: Catalog
) -> Callable[[Sequence[ValueFacetsKey]], Awaitable[list[list[FacetCount]]]]:
    async def load(keys: Sequence[ValueFacetsKey]) -> list[list[FacetCount]]:
        found: dict[ValueFacetsKey, list[FacetCount]] = {}
        missing: dict[tuple[str, str, datetime.date], list[str]] = {}
        for key in keys:
            cached = catalog.facet_cache.get(facet_cache_key(*key))
            if cached is None:
                missing.setdefault(key[:3], []).append(key[3])
            else:
                found[key] = cached
        for (table, release_id, on), values in missing.items():
            counts = await facet_counts_by_value(
                connection, release_id, table, values, list(Facet), on.isoformat()
            )
            for value, value_counts in counts.items():
                found[table, release_id, on, value] = value_counts
                catalog.facet_cache[facet_cache_key(table, release_id, on, value)] = value_counts
        return [found[key] for key in keys]

    return load


class Loaders:
    """The request's DataLoaders, each built on first use: most requests need one or none
    (a lookup the catalog's row cache answers needs none)."""

    def __init__(self, connection: aiosqlite.Connection, catalog: Catalog) -> None:
        self._connection = connection
        self._catalog = catalog

    @classmethod
    def create(cls, connection: aiosqlite.Connection, catalog: Catalog) -> Loaders:
        return cls(connection, catalog)

    @property
    def created(self) -> list[str]:
        """The loaders built so far, by name (tests count them)."""
        return [name for name in vars(self) if not name.startswith("_")]

    @cached_property
    def code(self) -> DataLoader[CodeKey, CodeRow | None]:
        """Codes by (release id, code): root lookups and cross-reference targets alike (through
        the catalog's row cache)."""
        return DataLoader(load_fn=_load_codes(self._connection, self._catalog))

    @cached_property
    def defects(self) -> DataLoader[CodeKey, list[DefectRow]]:
        """By (release id, code): CMS's text of the code's values that do not parse."""
        return DataLoader(load_fn=_load_defects(self._connection))

    @cached_property
    def history(self) -> DataLoader[str, list[CodeRow]]:
        """A code's rows in every loaded release, the oldest first."""
        return DataLoader(load_fn=_load_histories(self._connection, self._catalog.oldest_first))

    @cached_property
    def referrers(self) -> DataLoader[str, Referrers]:
        """By release id: the codes that cross-reference each code (kept in the catalog)."""
        return DataLoader(load_fn=_load_referrers(self._connection, self._catalog))

    @cached_property
    def value_page(self) -> DataLoader[ValuePageKey, ValuePage]:
        """Pages of the codes that carry a value of a code table (browsing the code tables)."""
        return DataLoader(load_fn=_load_value_pages(self._connection))

    @cached_property
    def value_facets(self) -> DataLoader[ValueFacetsKey, list[FacetCount]]:
        """Facet counts of the codes that carry a value of a code table (kept in the catalog)."""
        return DataLoader(load_fn=_load_value_facets(self._connection, self._catalog))
