"""Headers every answer carries so that a browser neither guesses its type, nor frames it, nor
tells other sites where its user came from. An answer that brings its own Content-Security-Policy
(GraphiQL's page, graphiql_page.py) keeps it; every other answer is data that needs nothing
loaded: `default-src 'none'`."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": DATA_POLICY,
}
_RAW = tuple((name.encode("latin-1"), value.encode("latin-1")) for name, value in HEADERS.items())
"""HEADERS as an ASGI message holds them: encoded once."""


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = secured(message.get("headers", ()))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def secured(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """HEADERS with each of HEADERS that they lack added."""
    # ASGI header names are lowercase: compared as bytes, without a Headers object.
    found = list(headers)
    present = {name.lower() for name, _ in found}
    found += [header for header in _RAW if header[0] not in present]
    return found
