"""Relay pagination over an ordered, immutable set: opaque cursors that hold an offset.

A release never changes once loaded and every order ends with the code, so an offset names the
same place in the set on every request: paging with `after` visits every code exactly once."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import ClassVar

from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.services.errors import ClientError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_PREFIX = "offset:"


class BadPageError(ClientError):
    code: ClassVar[ErrorCode] = ErrorCode.BAD_PAGE


def cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def offset_after(after: str | None) -> int:
    """The offset of the first item after the cursor (0 without a cursor)."""
    if after is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(after.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise BadPageError(f"`after` is not a cursor this API gave: {after[:40]!r}") from None
    number = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not number.isdigit() or len(number) > 9:
        raise BadPageError(f"`after` is not a cursor this API gave: {after[:40]!r}")
    return int(number) + 1


@dataclass(frozen=True, slots=True)
class Page:
    offset: int
    size: int

    @classmethod
    def of(cls, first: int | None, after: str | None) -> Page:
        size = DEFAULT_PAGE_SIZE if first is None else first
        if size < 0:
            raise BadPageError(f"`first` must be 0 or more; {size} was given")
        if size > MAX_PAGE_SIZE:
            raise BadPageError(f"`first` may be at most {MAX_PAGE_SIZE}; {size} was given")
        return cls(offset_after(after), size)
