"""ETag, Cache-Control and 304 on GraphQL answers over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from hcpcs_graphql.db.connection import statement_clock
from hcpcs_graphql.http.app import create_app

PINNED = 'query { code(code: "A9597", release: "2026-01") { code } }'
NEWEST = 'query { code(code: "A9597") { code } }'
YEAR = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"


@pytest.mark.parametrize(("query", "control"), [(PINNED, YEAR), (NEWEST, SHORT)])
async def test_get_is_cacheable_and_revalidates(
    client: httpx.AsyncClient, query: str, control: str
) -> None:
    tags = await content_tags(client)
    params = {"query": query, "extensions": json.dumps({"releaseContent": tags})}
    first = await client.get("/graphql", params=params)
    assert first.status_code == 200
    assert first.headers["cache-control"] == control
    etag = first.headers["etag"]
    again = await client.get("/graphql", params=params, headers={"if-none-match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    # A 304 sends the Vary and Cache-Control the 200 would have (RFC 9110, 15.4.5).
    for name in ("vary", "cache-control"):
        assert again.headers[name] == first.headers[name]
    other = await client.get("/graphql", params=params, headers={"if-none-match": '"other"'})
    assert (other.status_code, other.json()) == (200, first.json())


async def content_tags(client: httpx.AsyncClient) -> dict[str, str]:
    """The content tag of each release, from /healthz."""
    found = (await client.get("/healthz")).json()["content"]
    assert isinstance(found, dict)
    return found


async def test_the_etag_depends_on_variables(client: httpx.AsyncClient) -> None:
    query = "query($c: String!) { code(code: $c) { code } }"
    tags = set()
    for code in ("A9597", "A9598"):
        response = await client.post("/graphql", json={"query": query, "variables": {"c": code}})
        tags.add(response.headers["etag"])
    assert len(tags) == 2


@pytest.mark.parametrize(
    "variables",
    [
        '{"c": NaN}',  # Python's JSON reads it; strict JSON (orjson) does not
        '{"c": ' + "[" * 300 + "]" * 300 + "}",  # deeper than orjson writes
    ],
)
async def test_variables_without_one_canonical_text_get_no_etag(
    client: httpx.AsyncClient, variables: str
) -> None:
    body = '{"query": "query($c: String) { code(code: $c) { code } }", "variables": %s}'
    response = await client.post(
        "/graphql", content=body % variables, headers={"content-type": "application/json"}
    )
    assert response.status_code < 500
    assert "etag" not in response.headers


async def test_post_revalidates_too(client: httpx.AsyncClient) -> None:
    body = {"query": NEWEST}
    first = await client.post("/graphql", json=body)
    again = await client.post(
        "/graphql", content=json.dumps(body), headers={
            "content-type": "application/json", "if-none-match": first.headers["etag"]
        },
    )  # fmt: skip
    assert again.status_code == 304


async def test_bad_requests_carry_no_etag(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b"5", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "etag" not in response.headers


async def test_cors_any_origin_without_credentials(client: httpx.AsyncClient) -> None:
    preflight = await client.options(
        "/graphql",
        headers={
            "origin": "https://picker.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in preflight.headers
    response = await client.get(
        "/graphql", params={"query": NEWEST}, headers={"origin": "https://picker.example"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-expose-headers"] == (
        "etag, content-disposition, hcpcs-release-content"
    )


async def test_an_answer_given_is_sent_again_without_execution(real_db: Path) -> None:
    app = create_app(real_db)
    async with app.router.lifespan_context(app):
        seen: list[str] = []
        statement_clock(app.state.connection).listeners.append(seen.append)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            body = {"query": NEWEST}
            first = await client.post("/graphql", json=body)
            ran = len(seen)
            again = await client.post("/graphql", json=body)
    assert ran == 1
    assert len(seen) == ran
    assert (again.status_code, again.content, again.headers["etag"]) == (
        200,
        first.content,
        first.headers["etag"],
    )


LOOKUP = {"query": 'query Lookup { code(code: "A9597") { code } }', "operationName": "Lookup"}


async def test_metrics(client: httpx.AsyncClient) -> None:
    first = await client.post("/graphql", json=LOOKUP)
    await client.post("/graphql", json=LOOKUP)  # kept (answer_store.admits)
    await client.post("/graphql", json=LOOKUP)  # sent again from the store
    await client.post("/graphql", json=LOOKUP, headers={"if-none-match": first.headers["etag"]})
    await client.post("/graphql", json={"query": "{ nope }"})
    await client.post("/graphql", content=b"5", headers={"content-type": "application/json"})
    await metrics_say(client)


async def test_metrics_of_gets(client: httpx.AsyncClient) -> None:
    # Recorded by the stored answers in front (stored_answers.py), as the metrics layer would.
    first = await client.get("/graphql", params=LOOKUP)
    await client.get("/graphql", params=LOOKUP)  # kept (answer_store.admits)
    await client.get("/graphql", params=LOOKUP)  # sent again from the store
    await client.get("/graphql", params=LOOKUP, headers={"if-none-match": first.headers["etag"]})
    await client.get("/graphql", params={"query": "{ nope }"})
    await client.get("/graphql", params={"query": "{ nope }", "variables": "5"})
    await metrics_say(client)


async def metrics_say(client: httpx.AsyncClient) -> None:
    """/metrics counts the six requests both tests send, by outcome."""
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    lines = set(response.text.splitlines())
    for line in (
        'hcpcs_requests_total{operation="Lookup",outcome="ok"} 2.0',
        'hcpcs_requests_total{operation="Lookup",outcome="cached"} 1.0',
        'hcpcs_requests_total{operation="Lookup",outcome="not_modified"} 1.0',
        'hcpcs_requests_total{operation="anonymous",outcome="error"} 1.0',
        'hcpcs_requests_total{operation="anonymous",outcome="rejected"} 1.0',
        'hcpcs_response_cache_total{result="hit"} 1.0',
        'hcpcs_response_cache_total{result="miss"} 3.0',
        "hcpcs_request_seconds_count 6.0",
        'hcpcs_newest_release{expected="2026-01",release="2026-01"} 1.0',
        "hcpcs_newest_release_age_days 60.0",
    ):
        assert line in lines, line
