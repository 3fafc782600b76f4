"""A limit on the size of a request's URL (path and query string): 414 past it, as bodies are
limited (body_limit.py). The request line is also within the header limit (protocols.py)."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from hcpcs_graphql.http.errors import error_response

MAX_URL = 16 * 1024
"""Bytes of a request's path with its query string (HCPCS_MAX_URL_KB); 414 past it. A GET of
GraphQL holds its document there: one of 2,000 tokens takes about 10 KB."""


class UrlLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_URL) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and url_bytes(scope) > self.max_bytes:
            message = f"The URL is longer than {self.max_bytes:,} bytes: send a POST."
            await error_response(414, message)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def url_bytes(scope: Scope) -> int:
    """The bytes of the request's path and query string: what is limited."""
    return len(scope.get("raw_path") or scope["path"].encode()) + len(
        scope.get("query_string", b"")
    )
