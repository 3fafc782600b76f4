"""Request headers read from the ASGI scope without a Headers object."""

from __future__ import annotations

from starlette.types import Scope


def first_header(scope: Scope, name: bytes) -> str:
    """The value of the request's first header NAME (lowercase), as Starlette's Headers.get
    reads it; empty when there is none."""
    for found, value in scope["headers"]:
        if found == name:
            return str(value.decode("latin-1"))
    return ""
