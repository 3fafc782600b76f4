"""Relay pagination over an ordered, immutable set: opaque cursors that hold an offset and the
fingerprint of the query they belong to.

A release never changes once loaded and every order ends with the code, so an offset names the
same place in the set on every request: paging with `after` (or back with `before`) visits
every code exactly once. The fingerprint (the field, its arguments other than the paging ones,
and the object it hangs from) makes a cursor of another query, filter or release an error
rather than a place in a different set."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.services.errors import ClientError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
PAGING_ARGUMENTS = frozenset({"first", "after", "last", "before"})
"""The arguments of a connection field that choose a page; every other one chooses the set."""
PAGE_SIZE_ARGUMENTS = ("first", "last")
_VERSION = "c1"

T = TypeVar("T")


def scope_of(*parts: object) -> str:
    """The fingerprint of a query: a short digest of what chooses and orders the set."""
    text = json.dumps(parts, sort_keys=True, default=repr, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def cursor(scope: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_VERSION}:{scope}:{offset}".encode()).decode()


def _offset(scope: str, name: str, given: str) -> int:
    try:
        text = base64.urlsafe_b64decode(given.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    version, _, rest = text.partition(":")
    owner, _, number = rest.partition(":")
    if version != _VERSION or not number.isdigit() or len(number) > 9:
        raise ClientError(
            ErrorCode.BAD_CURSOR, f"`{name}` is not a cursor this API gave: {given[:40]!r}"
        )
    if owner != scope:
        raise ClientError(
            ErrorCode.BAD_CURSOR,
            f"`{name}` is a cursor of another query (another field, filter, text, order or "
            "release): page with the cursors of this one, or start again without a cursor",
        )
    return int(number)


def _size(name: str, size: int | None) -> None:
    if size is not None and size < 0:
        raise ClientError(ErrorCode.BAD_PAGE, f"`{name}` must be 0 or more; {size} was given")
    if size is not None and size > MAX_PAGE_SIZE:
        raise ClientError(
            ErrorCode.BAD_PAGE, f"`{name}` may be at most {MAX_PAGE_SIZE}; {size} was given"
        )


@dataclass(frozen=True, slots=True)
class Window:
    """The offsets a page holds, and what lies around it (Relay's pageInfo)."""

    offset: int
    size: int
    has_previous: bool
    has_next: bool | None
    """None: fetch one item more than `size` to learn it."""


@dataclass(frozen=True, slots=True)
class Slice(Generic[T]):
    items: list[T]
    offset: int
    has_previous: bool
    has_next: bool


@dataclass(frozen=True, slots=True)
class Page:
    """Relay's cursor connection arguments: the window between `after` and `before`, then its
    `first` items, then the `last` of those."""

    scope: str
    start: int
    end: int | None
    """The offset of `before`; None: the end of the set."""
    first: int | None
    last: int | None

    @classmethod
    def of(
        cls,
        scope: str,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Page:
        _size("first", first)
        _size("last", last)
        if first is None and last is None:
            first = DEFAULT_PAGE_SIZE
        start = 0 if after is None else _offset(scope, "after", after) + 1
        end = None if before is None else _offset(scope, "before", before)
        return cls(scope, start, end, first, last)

    @classmethod
    def at(cls, offset: int, size: int) -> Page:
        """`size` items from `offset`, for the endpoints that page by offset (no cursors)."""
        _size("first", size)
        return cls("offset", offset, None, size, None)

    @property
    def needs_total(self) -> bool:
        """Whether the window can only be placed by counting the set (`last` without
        `before`)."""
        return self.last is not None and self.end is None

    def window(self, total: int | None) -> Window:
        end = self.end if self.end is not None else total
        if end is not None:
            end = max(end, self.start)
        high = end
        if self.first is not None:
            high = self.start + self.first if end is None else min(end, self.start + self.first)
        low = self.start
        if self.last is not None:
            assert high is not None, "`last` without `before` needs the total"
            if total is not None:
                high = min(high, total)
            low = max(self.start, high - self.last)
        assert high is not None
        if self.first is not None:
            has_next = None if end is None else end - self.start > self.first
        else:
            has_next = self.end is not None
        if self.last is not None:
            assert end is not None
            has_previous = end - self.start > self.last
        else:
            has_previous = self.start > 0
        return Window(low, max(0, high - low), has_previous, has_next)

    def cursor(self, offset: int) -> str:
        return cursor(self.scope, offset)

    async def fetch(
        self,
        total: Callable[[], Awaitable[int]],
        items: Callable[[int, int], Awaitable[list[T]]],
    ) -> Slice[T]:
        """The page's items, from `items(limit, offset)`; `total` is called only when needed."""
        window = self.window(await total() if self.needs_total else None)
        probe = 1 if window.has_next is None else 0
        found = await items(window.size + probe, window.offset)
        has_next = len(found) > window.size if window.has_next is None else window.has_next
        return Slice(found[: window.size], window.offset, window.has_previous, has_next)

    def of_list(self, items: list[T]) -> Slice[T]:
        window = self.window(len(items))
        shown = items[window.offset : window.offset + window.size]
        has_next = window.offset + len(shown) < len(items)
        if window.has_next is not None:
            has_next = window.has_next
        return Slice(shown, window.offset, window.has_previous, has_next)
