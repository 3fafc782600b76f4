"""A limit on the size of request bodies: 413 past it, before the app reads the whole body."""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hcpcs_graphql.http.errors import error_response

MAX_BODY = 64 * 1024
"""Bytes of a request body (HCPCS_MAX_BODY_KB). A chargemaster review of 10,000 codes sends about
80 KB of codes: 64 KiB holds about 7,500."""


class _TooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._too_large()(scope, receive, send)
                return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._too_large()(scope, receive, send)

    def _too_large(self) -> JSONResponse:
        # Built when sent: a refusal built for each request (its JSON encoded) is work lost.
        return error_response(413, f"The request body is larger than {self.max_bytes:,} bytes")
