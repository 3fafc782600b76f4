"""The CORS layer (http/middleware/cors.py) answers as Starlette's own, whose work it skips for a
request without an Origin."""

from __future__ import annotations

import httpx
import pytest
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from hcpcs_graphql.http.middleware.cors import Cors

RESPONSE_HEADERS = [
    [],
    [(b"vary", b"accept")],
    [(b"content-type", b"application/json"), (b"vary", b"accept"), (b"etag", b'"a"')],
    [(b"vary", b"accept"), (b"x-a", b"1"), (b"vary", b"cookie"), (b"x-b", b"2")],
]
REQUEST_HEADERS = [
    {},
    {"origin": "https://example.org"},
    {"origin": "https://example.org", "access-control-request-method": "POST"},
]


def answering(headers: list[tuple[bytes, bytes]]) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": list(headers)})
        await send({"type": "http.response.body", "body": b"{}"})

    return app


async def answer(
    layer: type[CORSMiddleware], headers: list[tuple[bytes, bytes]], request: dict[str, str]
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    app = layer(
        answering(headers),
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["content-type"],
        expose_headers=["etag"],
        max_age=86400,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        method = "OPTIONS" if "access-control-request-method" in request else "GET"
        response = await client.request(method, "/graphql", headers=request)
    return response.status_code, response.headers.raw, response.content


@pytest.mark.parametrize("headers", RESPONSE_HEADERS)
@pytest.mark.parametrize("request_headers", REQUEST_HEADERS)
async def test_the_layer_answers_as_starlettes(
    headers: list[tuple[bytes, bytes]], request_headers: dict[str, str]
) -> None:
    ours = await answer(Cors, headers, request_headers)
    assert ours == await answer(CORSMiddleware, headers, request_headers)
