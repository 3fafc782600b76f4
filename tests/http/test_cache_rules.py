"""Caching that never lies (issue 11, item 8), over HTTP on the real server: `immutable` only for
an answer without errors whose every release is named by id and pinned by its content tag, with
nothing judged on today's date or read from every release; answers with errors are not stored
anywhere; everything else has a short max-age and an ETag to revalidate with."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hcpcs_graphql.http.content import EXTENSION, HEADER, content_tag
from hcpcs_graphql.http.middleware.caching import IMMUTABLE, NO_STORE
from hcpcs_graphql.services.catalog import Catalog
from tests.serving import running

SHORT = "public, max-age=300"
CODE = 'query($r: String) { code(code: "A9597", release: $r) { code } }'
RELEASES = "{ releases { id } }"
HISTORY = '{ code(code: "A9597", release: "2026-01") { history { records { code } } } }'
STATUS = (
    'query($on: Date) { code(code: "A9597", release: "2026-01") { status(on: $on) { status } } }'
)
FACETS = (
    '{ allCodes(release: "2026-01", first: 0)'
    ' { facets(statusOn: "2026-01-01") { betos { code count } } } }'
)


@pytest.fixture(scope="module")
def tags(server: str) -> dict[str, str]:
    found = httpx.get(f"{server}/healthz").json()["content"]
    assert isinstance(found, dict)
    return found


def get(
    server: str,
    query: str,
    variables: dict[str, object] | None = None,
    pins: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    params = {"query": query}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    if pins is not None:
        params["extensions"] = json.dumps({EXTENSION: pins})
    return httpx.get(f"{server}/graphql", params=params, headers=headers)


def test_an_answer_pinned_by_id_and_content_is_immutable(server: str, tags: dict[str, str]) -> None:
    response = get(server, CODE, {"r": "2026-01"}, tags)
    assert (response.status_code, response.headers["cache-control"]) == (200, IMMUTABLE)
    assert response.headers[HEADER] == f"2026-01={tags['2026-01']}"
    again = get(server, CODE, {"r": "2026-01"}, tags, {"if-none-match": response.headers["etag"]})
    assert (again.status_code, again.headers["cache-control"]) == (304, IMMUTABLE)


def test_an_answer_pinned_by_id_alone_is_short(server: str, tags: dict[str, str]) -> None:
    response = get(server, CODE, {"r": "2026-01"})
    assert response.headers["cache-control"] == SHORT
    # The content tag it would pin, for a client to learn it from.
    assert response.headers[HEADER] == f"2026-01={tags['2026-01']}"
    assert "etag" in response.headers


def test_a_stale_content_tag_is_short(server: str) -> None:
    response = get(server, CODE, {"r": "2026-01"}, {"2026-01": "0" * 16})
    assert response.headers["cache-control"] == SHORT


def test_the_newest_release_is_short(server: str, tags: dict[str, str]) -> None:
    response = get(server, CODE, {"r": None}, tags)
    assert response.headers["cache-control"] == SHORT


@pytest.mark.parametrize("query", [RELEASES, HISTORY])
def test_what_reads_every_release_is_short(server: str, tags: dict[str, str], query: str) -> None:
    response = get(server, query, pins=tags)
    assert (response.status_code, response.headers["cache-control"]) == (200, SHORT)
    assert "etag" in response.headers


def test_an_undated_status_is_short_a_dated_one_immutable(
    server: str, tags: dict[str, str]
) -> None:
    assert get(server, STATUS, {"on": None}, tags).headers["cache-control"] == SHORT
    dated = get(server, STATUS, {"on": "2026-02-01"}, tags)
    assert dated.headers["cache-control"] == IMMUTABLE
    assert get(server, FACETS, pins=tags).headers["cache-control"] == IMMUTABLE


def test_a_release_not_loaded_yet_is_not_stored(server: str, tags: dict[str, str]) -> None:
    for _ in range(2):  # nor sent again from memory
        response = get(server, CODE, {"r": "2099-01"}, {**tags, "2099-01": "0" * 16})
        answer = response.json()
        assert [error["extensions"]["code"] for error in answer["errors"]] == ["UNKNOWN_RELEASE"]
        assert response.headers["cache-control"] == NO_STORE
        assert "etag" not in response.headers


def test_a_reloaded_release_has_another_content_tag(catalog: Catalog) -> None:
    release = catalog.release("2026-01")
    corrected = dataclasses.replace(
        release,
        files=(dataclasses.replace(release.files[0], sha256="0" * 64), *release.files[1:]),
    )
    assert content_tag(corrected) != content_tag(release)
    assert content_tag(dataclasses.replace(release)) == content_tag(release)


@pytest.fixture(scope="module")
def hurried(real_db: Path) -> Iterator[str]:
    """A server whose statements may run 10,000 SQLite steps: it starts all the same (the
    catalog is read without that limit) and stops the statements of requests."""
    with running(real_db, HCPCS_STATEMENT_STEPS="1") as url:
        yield url


def test_a_statement_timeout_is_not_stored(hurried: str) -> None:
    response = httpx.post(f"{hurried}/graphql", json={"query": FACETS})
    answer = response.json()
    assert [error["extensions"]["code"] for error in answer["errors"]] == ["STATEMENT_TIMEOUT"]
    assert response.headers["cache-control"] == NO_STORE
    assert "etag" not in response.headers
