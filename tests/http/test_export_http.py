"""GET /export/{release}.csv and .ndjson: the same bytes as `hcpcs export`, streamed in pieces,
with an ETag (304); a year's Cache-Control only when the URL pins the release's content tag;
unknown releases and formats are 404 in JSON."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.types import ASGIApp, Message, Scope

from hcpcs_graphql.cli.main import main
from hcpcs_graphql.db.export import CHUNK_ROWS
from hcpcs_graphql.http import export as export_endpoint
from hcpcs_graphql.http.app import create_app
from hcpcs_graphql.http.content import content_tag
from hcpcs_graphql.http.middleware.caching import HttpCache
from hcpcs_graphql.services.catalog import Catalog
from tests.asgi import http_scope

YEAR = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
LOADED = "loaded releases: 2026-01, 2025-10"


async def command_output(db: Path, tmp_path: Path, release_id: str, suffix: str) -> bytes:
    output = tmp_path / f"export{suffix}"
    # `hcpcs export` runs its own event loop: in a thread of its own.
    code = await asyncio.to_thread(
        main, ["export", release_id, "--db", str(db), "--output", str(output)]
    )
    assert code == 0
    return output.read_bytes()


@pytest.mark.parametrize(
    ("release_id", "suffix", "media_type"),
    [
        ("2026-01", ".csv", "text/csv; charset=utf-8"),
        ("2025-10", ".ndjson", "application/x-ndjson"),
    ],
)
async def test_an_export_is_the_file_the_command_writes(
    client: httpx.AsyncClient,
    real_db: Path,
    tmp_path: Path,
    release_id: str,
    suffix: str,
    media_type: str,
) -> None:
    response = await client.get(f"/export/{release_id}{suffix}")
    assert response.status_code == 200
    assert {
        name: response.headers[name]
        for name in ("content-type", "content-disposition", "cache-control")
    } == {
        "content-type": media_type,
        "content-disposition": f'attachment; filename="hcpcs-{release_id}{suffix}"',
        "cache-control": SHORT,
    }
    assert response.content == await command_output(real_db, tmp_path, release_id, suffix)


def export_scope(spec_version: str) -> Scope:
    """An ASGI scope of `GET /export/2026-01.csv`, sent to the app without a server."""
    return http_scope("/export/2026-01.csv", client=("127.0.0.1", 1234), spec_version=spec_version)


async def test_head_gives_the_headers_without_reading_the_release(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    got = await client.get("/export/2026-01.csv")

    def unread(*arguments: object) -> None:
        raise AssertionError("HEAD read the release")

    monkeypatch.setattr(export_endpoint, "export_chunks", unread)
    head = await client.head("/export/2026-01.csv")
    assert (head.status_code, head.content) == (200, b"")
    wanted = ("content-type", "content-disposition", "cache-control", "etag")
    assert {name: head.headers[name] for name in wanted} == {
        name: got.headers[name] for name in wanted
    }


async def test_the_etag_names_the_release_and_format_and_answers_304(
    client: httpx.AsyncClient,
) -> None:
    tags = {
        path: (await client.get(path)).headers["etag"]
        for path in ("/export/2026-01.csv", "/export/2026-01.ndjson", "/export/2025-10.csv")
    }
    assert len(set(tags.values())) == 3
    etag = tags["/export/2026-01.csv"]
    assert (await client.get("/export/2026-01.csv")).headers["etag"] == etag
    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = await client.get("/export/2026-01.csv", headers={"if-none-match": sent})
        assert (response.status_code, response.content) == (304, b"")
        assert (response.headers["etag"], response.headers["cache-control"]) == (etag, SHORT)
    other = await client.get("/export/2026-01.csv", headers={"if-none-match": '"other"'})
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("path", "message", "code"),
    [
        (
            "/export/2024-01.csv",
            f"No export: release '2024-01' is not loaded; {LOADED}",
            "UNKNOWN_RELEASE",
        ),
        (
            "/export/2026-01.xml",
            "No export '2026-01.xml': ask for /export/RELEASE.csv or",
            "NOT_FOUND",
        ),
        ("/export/2026-01", "No export '2026-01': ask for /export/RELEASE.csv or", "NOT_FOUND"),
    ],
)
async def test_an_unknown_release_or_format_is_404_in_json(
    client: httpx.AsyncClient, path: str, message: str, code: str
) -> None:
    response = await client.get(path)
    assert (response.status_code, response.headers["content-type"]) == (404, "application/json")
    [error] = response.json()["errors"]
    assert error["message"].startswith(message)
    assert error["extensions"] == {"code": code}


async def test_only_an_export_pinned_by_content_is_immutable(
    client: httpx.AsyncClient, catalog: Catalog
) -> None:
    tag = content_tag(catalog.release("2026-01"))
    pinned = await client.head("/export/2026-01.csv", params={"content": tag})
    assert pinned.headers["cache-control"] == YEAR
    # Another tag: the release was loaded again (with CMS's corrections) since.
    stale = await client.head("/export/2026-01.csv", params={"content": "0" * 16})
    assert stale.headers["cache-control"] == SHORT
    assert pinned.headers["etag"] == stale.headers["etag"]


def http_cache(app: ASGIApp) -> HttpCache:
    """The HttpCache middleware in the app's middleware stack (built by its first request)."""
    layer: object = app
    while not isinstance(layer, HttpCache):
        layer = getattr(layer, "app", None) or getattr(layer, "middleware_stack", None)
        assert layer is not None, "no HttpCache in the stack"
    return layer


async def test_the_body_goes_out_in_pieces_and_is_not_kept_in_memory(real_db: Path) -> None:
    app = create_app(real_db)
    messages: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        messages.append(message)

    scope = export_scope("2.4")
    async with app.router.lifespan_context(app):
        await app(scope, receive, send)
        store = http_cache(app).rules.store
    start, *bodies = messages
    assert (start["type"], start["status"]) == ("http.response.start", 200)
    assert not any(name == b"content-length" for name, _ in start["headers"])
    pieces = [message["body"] for message in bodies if message["body"]]
    # 9,006 codes, CHUNK_ROWS a piece (the header with the first).
    full, rest = divmod(9006, CHUNK_ROWS)
    lines = [CHUNK_ROWS + 1] + [CHUNK_ROWS] * (full - 1) + [rest]
    assert [piece.count(b"\r\n") for piece in pieces] == lines
    assert [message["more_body"] for message in bodies] == [True] * len(lines) + [False]
    # The answer store (for /graphql) keeps none of it.
    assert store.size == 0


async def test_an_export_that_fails_midway_is_left_unfinished(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def failing(*arguments: object) -> AsyncIterator[bytes]:
        yield b"code\r\n"
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(export_endpoint, "export_chunks", failing)
    app = create_app(real_db)
    messages: list[Message] = []

    async def receive() -> Message:
        await asyncio.sleep(3600)  # the client stays: no disconnect
        raise AssertionError

    async def send(message: Message) -> None:
        messages.append(message)

    scope = export_scope("2.3")
    async with app.router.lifespan_context(app):
        await app(scope, receive, send)
    start, *bodies = messages
    assert start["status"] == 200
    # No last chunk: the server closes the connection, and no client or cache takes it whole.
    assert [(message["body"], message["more_body"]) for message in bodies] == [(b"code\r\n", True)]
