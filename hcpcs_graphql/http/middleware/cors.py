"""Starlette's CORS layer, which answers a request without an Origin (not from a browser's other
site: most of them) without its header objects: its only work there is to add `Origin` to the
answer's Vary, as Starlette adds it (tests/http/middleware/test_cors.py compares the two)."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.middleware.cors import CORSMiddleware
from starlette.types import Message, Receive, Scope, Send

VARY = b"vary"


class Cors(CORSMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or from_a_site(scope):
            await super().__call__(scope, receive, send)
            return

        async def send_varied(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = vary_origin(message.get("headers", ()))
            await send(message)

        await self.app(scope, receive, send_varied)


def from_a_site(scope: Scope) -> bool:
    """Whether the request names the site it comes from (Origin): what CORS answers."""
    return any(name == b"origin" for name, _ in scope["headers"])


def vary_origin(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """HEADERS with `Origin` added to their Vary: the Vary headers joined in one, where the
    first was (Starlette's MutableHeaders.__setitem__), or last when there was none."""
    found: list[tuple[bytes, bytes]] = []
    values: list[bytes] = []
    first = -1
    for header in headers:
        if header[0] != VARY:
            found.append(header)
            continue
        if first < 0:
            first = len(found)
            found.append(header)
        values.append(header[1])
    values.append(b"Origin")
    joined = (VARY, b", ".join(values))
    if first < 0:
        found.append(joined)
    else:
        found[first] = joined
    return found
