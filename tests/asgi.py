"""The one ASGI HTTP scope the tests and benches send straight to the app, without a server."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import Scope


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
