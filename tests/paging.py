"""Cursors and pages in tests: the cursor of the same query as a cursor the API gave, at another
offset, and the connection a page of known codes is answered with."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from hcpcs_graphql.services import pagination


def scope(given: str) -> str:
    return base64.urlsafe_b64decode(given).decode().split(":")[1]


def moved(reference: str, offset: int) -> str:
    return pagination.cursor(scope(reference), offset)


@dataclass(frozen=True)
class PageCase:
    """A page of FIRST codes after the one at offset AFTER (None: the first page): the codes
    from offset START to STOP, and whether more follow."""

    first: int
    after: int | None
    start: int
    stop: int
    has_next: bool


def page_cases(*cases: tuple[int, int | None, int, int, bool]) -> pytest.MarkDecorator:
    """A test run once a case, given as `case`."""
    return pytest.mark.parametrize(
        "case",
        [PageCase(*case) for case in cases],
        ids=lambda case: f"first-{case.first}-after-{case.after}",
    )


def expected_page(
    total: int, reference: str, codes: Sequence[str], case: PageCase
) -> dict[str, Any]:
    """The connection CASE is answered with, CODES being every code of the listing in order and
    REFERENCE a cursor of the same listing."""
    start, stop = case.start, case.stop
    return {
        "totalCount": total,
        "pageInfo": {
            "hasNextPage": case.has_next,
            "hasPreviousPage": case.after is not None,
            "startCursor": moved(reference, start) if stop > start else None,
            "endCursor": moved(reference, stop - 1) if stop > start else None,
        },
        "edges": [
            {"cursor": moved(reference, start + index), "node": {"code": code}}
            for index, code in enumerate(codes[start:stop])
        ],
    }


def empty_page(total: int, *, has_next: bool, has_previous: bool = False) -> dict[str, Any]:
    """The connection of a page without codes (first: 0, or after the last one)."""
    return {
        "totalCount": total,
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": has_previous,
            "startCursor": None,
            "endCursor": None,
        },
        "edges": [],
    }
