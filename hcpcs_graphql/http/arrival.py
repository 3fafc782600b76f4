"""When a request arrived: an ASGI extension of ours, which the guarded httptools protocol offers
(httptools_protocol.py) and live publishing reads (live.py).

Live publishing looks at the database's files before each request, so that a request that
arrives after a load committed is answered from it. A look that began after a request arrived
serves it as well as its own would: requests parsed in one read of the sockets share one. The
protocol notes, when it begins parsing a request (after its bytes arrived), the monotonic clock
under EXTENSION in scope["extensions"]; a request without it (h11, a test client) looks itself."""

from __future__ import annotations

import time

from starlette.types import Scope

EXTENSION = "hcpcs.arrival"
"""The key of scope["extensions"]: {"monotonic_ns": time.monotonic_ns() when it arrived}."""


def arrival() -> dict[object, object]:
    """The extension's value for a request arriving now (typed as uvicorn types extensions)."""
    return {"monotonic_ns": time.monotonic_ns()}


def arrived(scope: Scope) -> int | None:
    """When the request of SCOPE arrived (time.monotonic_ns()); None when the server did not say."""
    extensions = scope.get("extensions")
    found = extensions.get(EXTENSION) if extensions else None
    value = found.get("monotonic_ns") if isinstance(found, dict) else None
    return value if isinstance(value, int) else None
