"""Cursors in tests: the cursor of the same query as a cursor the API gave, at another offset."""

from __future__ import annotations

import base64

from hcpcs_graphql.services import pagination


def scope(given: str) -> str:
    return base64.urlsafe_b64decode(given).decode().split(":")[1]


def moved(reference: str, offset: int) -> str:
    return pagination.cursor(scope(reference), offset)
