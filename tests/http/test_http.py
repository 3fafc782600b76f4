"""The API over HTTP, through the ASGI app with its lifespan."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator

import httpx
import pytest

from hcpcs_graphql.http.content import content_tag
from hcpcs_graphql.http.middleware.body_limit import MAX_BODY
from hcpcs_graphql.services.catalog import Catalog

QUERY = "query Code($code: String!) { code(code: $code) { code coverage { code description } } }"
A9597 = {
    "data": {
        "code": {"code": "A9597", "coverage": {"code": "C", "description": "Carrier judgment"}}
    },
    "extensions": {"releases": ["2026-01"]},
}


async def test_post(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": QUERY, "variables": {"code": "A9597"}})
    assert (response.status_code, response.json()) == (200, A9597)


async def test_get(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": QUERY, "variables": json.dumps({"code": "A9597"})}
    )
    assert (response.status_code, response.json()) == (200, A9597)


async def test_graphiql_in_a_browser(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_healthz(client: httpx.AsyncClient, catalog: Catalog) -> None:
    response = await client.get("/healthz")
    content = {release.id: content_tag(release) for release in catalog.releases}
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ok", "releases": ["2026-01", "2025-10"], "content": content},
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"nope", "Unable to parse request body as JSON"),
        (b"5", "The request body must be a JSON object"),
        (b'"query"', "The request body must be a JSON object"),
        (b"null", "The request body must be a JSON object"),
        (b"[" * 30_000 + b"]" * 30_000, "The request body is nested too deeply"),
        (b"{}", "No GraphQL query found in the request"),
        (b'{"query": 5}', "The GraphQL operation's `query` must be a string or null, if provided."),
    ],
)
async def test_malformed_bodies_are_400(
    client: httpx.AsyncClient, body: bytes, message: str
) -> None:
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert (response.status_code, response.json()) == (400, refusal(message, "BAD_REQUEST"))


def refusal(message: str, code: str) -> dict[str, object]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


async def test_unsupported_method(client: httpx.AsyncClient) -> None:
    response = await client.put("/graphql", json={"query": QUERY})
    assert (response.status_code, response.headers["allow"], response.json()) == (
        405,
        "GET, POST",
        refusal("GraphQL only supports GET and POST requests.", "METHOD_NOT_ALLOWED"),
    )


async def test_unsupported_content_type(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b"query=x", headers={"content-type": "text/csv"}
    )
    assert (response.status_code, response.json()) == (
        415,
        refusal("Unsupported content type", "UNSUPPORTED_MEDIA_TYPE"),
    )


async def test_an_unknown_operation_name(client: httpx.AsyncClient) -> None:
    body = {"query": "query A { releases { id } }", "operationName": "B"}
    response = await client.post("/graphql", json=body)
    assert (response.status_code, response.json()) == (
        400,
        refusal('Unknown operation named "B".', "BAD_REQUEST"),
    )


async def test_readyz(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert (response.status_code, response.json()) == (
        200,
        {
            "status": "ready",
            "releases": ["2025-10", "2026-01"],
            # The tests' today is 2026-03-02 (conftest.py): January is in effect and newest.
            "freshness": {
                "newestRelease": "2026-01",
                "ageDays": 60,
                "expectedRelease": "2026-01",
                "stale": False,
            },
        },
    )


async def test_readyz_says_when_the_data_is_stale(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On 2026-12-02 CMS has 2026-10 in effect; the newest loaded is 2026-01. Still ready: stale
    # data is served, and said to be stale.
    monkeypatch.setenv("HCPCS_TODAY", "2026-12-02")
    response = await client.get("/readyz")
    assert (response.status_code, response.json()["freshness"]) == (
        200,
        {"newestRelease": "2026-01", "ageDays": 335, "expectedRelease": "2026-10", "stale": True},
    )


@pytest.mark.parametrize("size", [MAX_BODY, MAX_BODY + 1])
async def test_request_bodies_up_to_64_kib(client: httpx.AsyncClient, size: int) -> None:
    body = json.dumps({"query": "{ releases { id } }", "extensions": {"pad": ""}})
    body = body.replace('"pad": ""', '"pad": "' + "x" * (size - len(body)) + '"')
    assert len(body) == size
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    if size <= MAX_BODY:
        assert response.status_code == 200
    else:
        assert (response.status_code, response.json()) == (
            413,
            refusal("The request body is larger than 65,536 bytes", "BODY_TOO_LARGE"),
        )


async def test_a_body_larger_than_it_says_is_413(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(3):
            yield b" " * 100_000

    response = await client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_graphiql_needs_no_other_host(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    icon, *assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert icon == "data:,"  # an empty icon: the browser asks for no /favicon.ico
    assert assets == [
        "/graphiql/static/graphiql.min.css",
        "/graphiql/static/react.production.min.js",
        "/graphiql/static/react-dom.production.min.js",
        "/graphiql/static/graphiql.min.js",
    ]
    assert "://" not in page.text
    for asset in assets:
        response = await client.get(asset)
        assert response.status_code == 200, asset
        assert response.headers["content-type"].split(";")[0] in {
            "text/css",
            "text/javascript",
            "application/javascript",
        }
