"""What the schema builds of a code row, built once while the row lives."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TypeVar

from hcpcs_graphql.db.rows import CodeRow
from hcpcs_graphql.services.catalog import Catalog

T = TypeVar("T")


def once_per_row(row: CodeRow, catalog: Catalog, build: Callable[[CodeRow, Catalog], T]) -> T:
    """BUILD's object of ROW, kept in the catalog by the row's identity until the row is gone
    (a weak reference): a row never changes, nor does the catalog, so neither does what is
    built of them, as long as nothing changes it once built."""
    built = catalog.built
    key = id(row)
    entry = built.get(key)
    if entry is not None and entry[0]() is row:
        return entry[1]  # type: ignore[return-value]
    found = build(row, catalog)

    def forget(ref: weakref.ref[CodeRow]) -> None:
        if built.get(key, (None,))[0] is ref:
            del built[key]

    built[key] = (weakref.ref(row, forget), found)
    return found
