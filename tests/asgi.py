"""The one ASGI HTTP scope the tests and benches send straight to the app, without a server, and
the calls that send it."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from starlette.types import ASGIApp, Message, Scope

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]
"""A response as uvicorn gets it: status, raw headers, body."""


def http_scope(
    path: str = "/graphql",
    *,
    method: str = "GET",
    query_string: bytes = b"",
    headers: Sequence[tuple[bytes, bytes]] = ((b"host", b"test"),),
    client: tuple[str, int] = ("127.0.0.1", 1),
    server: tuple[str, int] = ("test", 80),
    spec_version: str | None = None,
) -> Scope:
    """A request's scope as uvicorn builds it: HTTP/1.1, plain http, no root path."""
    asgi = (
        {"version": "3.0"}
        if spec_version is None
        else {"version": "3.0", "spec_version": spec_version}
    )
    return {
        "type": "http",
        "asgi": asgi,
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query_string,
        "headers": list(headers),
        "client": client,
        "server": server,
    }


async def call(
    app: ASGIApp,
    params: dict[str, str],
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: bytes = b"",
) -> Answer:
    """The status, raw headers and body the app sends for the request, as uvicorn gets them."""
    scope = http_scope(
        method=method,
        query_string=urlencode(params).encode(),
        headers=[(b"host", b"test")]
        + [(name.encode(), value.encode()) for name, value in (headers or {}).items()],
    )
    request: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[Message] = []

    async def receive() -> Message:
        return request.pop(0) if request else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start, *bodies = sent
    return start["status"], list(start["headers"]), b"".join(m.get("body", b"") for m in bodies)


async def metrics_text(app: ASGIApp) -> str:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(http_scope("/metrics", headers=()), receive, send)
    return b"".join(message.get("body", b"") for message in sent[1:]).decode()
