"""Automatic persisted queries (Apollo's protocol) and the allow-list mode."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from hcpcs_graphql.http.persisted_queries import document_hash
from tests.conftest import allow_only, app_client

QUERY = 'query { code(code: "A9597") { code } }'
OTHER = 'query { code(code: "A9598") { code } }'
ANSWER = {"data": {"code": {"code": "A9597"}}, "extensions": {"releases": ["2026-01"]}}
NOT_FOUND = {
    "errors": [
        {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
    ]
}


def persisted(query: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": document_hash(query)}}


async def test_a_hash_then_the_document_then_the_hash_alone(client: httpx.AsyncClient) -> None:
    short_get = {"extensions": json.dumps(persisted(QUERY))}
    unknown = await client.get("/graphql", params=short_get)
    assert (unknown.status_code, unknown.json()) == (200, NOT_FOUND)
    registered = await client.post(
        "/graphql", json={"query": QUERY, "extensions": persisted(QUERY)}
    )
    assert (registered.status_code, registered.json()) == (200, ANSWER)
    by_hash = await client.get("/graphql", params=short_get)
    assert (by_hash.status_code, by_hash.json()) == (200, ANSWER)
    assert by_hash.headers["etag"] == registered.headers["etag"]
    by_post = await client.post("/graphql", json={"extensions": persisted(QUERY)})
    assert (by_post.status_code, by_post.json()) == (200, ANSWER)


async def test_a_hash_that_is_not_the_documents(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": QUERY, "extensions": persisted(OTHER)})
    assert (response.status_code, response.json()) == (
        400,
        {
            "errors": [
                {
                    "message": "The document's sha256 is not the hash given.",
                    "extensions": {"code": "HASH_MISMATCH"},
                }
            ]
        },
    )


async def test_the_allow_list_accepts_its_documents_only(
    real_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    allow_only(monkeypatch, tmp_path, QUERY)
    refused = {
        "errors": [
            {
                "message": "Only registered documents are accepted.",
                "extensions": {"code": "NOT_ALLOWED"},
            }
        ]
    }
    async with app_client(real_db) as client:
        by_hash = await client.get("/graphql", params={"extensions": json.dumps(persisted(QUERY))})
        assert (by_hash.status_code, by_hash.json()) == (200, ANSWER)
        in_full = await client.post("/graphql", json={"query": QUERY})
        assert (in_full.status_code, in_full.json()) == (200, ANSWER)
        other = await client.post("/graphql", json={"query": OTHER})
        assert (other.status_code, other.json()) == (403, refused)
        registering = await client.post(
            "/graphql", json={"query": OTHER, "extensions": persisted(OTHER)}
        )
        assert (registering.status_code, registering.json()) == (403, refused)
