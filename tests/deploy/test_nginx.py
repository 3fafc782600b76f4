"""The shipped nginx configuration (deploy/nginx/hcpcs.conf) in front of two `hcpcs serve`
replicas on loopback: nginx answers a repeated GET from its cache without a replica, answers a
conditional GET with 304, revalidates an expired answer with the replica's 304, and a replica
stopped under load fails no request."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hcpcs_graphql.http.persisted_queries import document_hash
from tests.nginx import NGINX, Balanced, balanced

# LOOKUP names its release: pinned by its content tag too, it is cached for a year. CURRENT
# follows the newest release: HCPCS_CACHE_SECONDS.
LOOKUP = 'query($code: String!) { code(code: $code, release: "2026-01") { code shortDescription } }'
CURRENT = "query($code: String!) { code(code: $code) { code shortDescription } }"
YEAR = "public, max-age=31536000, immutable"
CODES = ["A9597", "J9035", "E0114", "G0008", "A0021", "L3000", "K0001", "Q4100"]
CLIENTS = 8
BEFORE_STOP = 100
"""Answers before one replica is stopped, and at least as many after."""


@pytest.fixture(scope="module", autouse=True)
def nginx_installed() -> None:
    if NGINX is None:
        reason = "the nginx tests need Debian's nginx (`apt-get install nginx`)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; .ci/run installs it")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def front(real_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Balanced]:
    # Every replica knows every registered document: a hash alone is answered by either.
    folder = tmp_path_factory.mktemp("nginx")
    allow_list = folder / "allow-list.json"
    allow_list.write_text(json.dumps([LOOKUP, CURRENT]))
    with balanced(
        real_db, folder / "nginx", HCPCS_ALLOW_LIST=str(allow_list), HCPCS_CACHE_SECONDS="1"
    ) as found:
        yield found


def params(query: str, code: str, **more: object) -> dict[str, str]:
    return {"query": query, "variables": json.dumps({"code": code, **more})}


def by_hash(query: str, code: str) -> dict[str, str]:
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(query)}}
    return {"extensions": json.dumps(persisted), "variables": json.dumps({"code": code})}


def added(before: list[dict[str, float]], after: list[dict[str, float]]) -> dict[str, float]:
    """The requests the replicas counted between BEFORE and AFTER, by outcome."""
    counts: dict[str, float] = {}
    for old, new in zip(before, after, strict=True):
        for outcome, value in new.items():
            if value != old.get(outcome, 0):
                counts[outcome] = counts.get(outcome, 0) + value - old.get(outcome, 0)
    return counts


def direct(front: Balanced, query: dict[str, str]) -> Any:
    response = httpx.get(f"{front.replicas[0].url}/graphql", params=query, timeout=10)
    assert response.status_code == 200
    return response.json()


def pinned(front: Balanced, query: dict[str, str]) -> dict[str, str]:
    """QUERY with the content tag of 2026-01 pinned: what makes an answer immutable."""
    tags = httpx.get(f"{front.replicas[0].url}/healthz", timeout=10).json()["content"]
    extensions = json.loads(query.get("extensions", "{}"))
    return {**query, "extensions": json.dumps({**extensions, "releaseContent": tags})}


@pytest.mark.parametrize(
    "query", [params(LOOKUP, "A9597"), by_hash(LOOKUP, "J9035")], ids=["query", "persisted query"]
)
def test_a_repeated_get_is_answered_from_nginx_cache(
    front: Balanced, query: dict[str, str]
) -> None:
    query = pinned(front, query)
    expected = direct(front, query)
    before = front.requests()
    first = httpx.get(f"{front.url}/graphql", params=query, timeout=10)
    between = front.requests()
    again = httpx.get(f"{front.url}/graphql", params=query, timeout=10)
    assert (first.status_code, first.headers["x-cache-status"], first.json()) == (
        200,
        "MISS",
        expected,
    )
    # One replica answered: by executing, or from its own store when `direct` asked it before.
    assert sum(added(before, between).values()) == 1
    assert (again.status_code, again.headers["x-cache-status"], again.content) == (
        200,
        "HIT",
        first.content,
    )
    assert (again.headers["etag"], again.headers["cache-control"]) == (first.headers["etag"], YEAR)
    assert front.requests() == between  # no replica saw the second request


def test_a_conditional_get_is_answered_304_by_nginx(front: Balanced) -> None:
    query = params(LOOKUP, "E0114")
    first = httpx.get(f"{front.url}/graphql", params=query, timeout=10)
    before = front.requests()
    conditional = httpx.get(
        f"{front.url}/graphql",
        params=query,
        headers={"if-none-match": first.headers["etag"]},
        timeout=10,
    )
    assert (conditional.status_code, conditional.content, conditional.headers["etag"]) == (
        304,
        b"",
        first.headers["etag"],
    )
    assert front.requests() == before


def test_an_expired_answer_is_revalidated_with_the_replicas_304(front: Balanced) -> None:
    query = params(CURRENT, "G0008")
    first = httpx.get(f"{front.url}/graphql", params=query, timeout=10)
    assert (first.headers["x-cache-status"], first.headers["cache-control"]) == (
        "MISS",
        "public, max-age=1",
    )
    # nginx keeps freshness in whole seconds of its own clock and has no way to expire one entry
    # (no purge in open-source nginx; proxy_cache_bypass refetches; a request's Cache-Control is
    # ignored), so the test waits past max-age=1 whichever second it was stored in. A lower
    # bound only: a slower machine waits longer, never too little.
    time.sleep(2.1)
    before = front.requests()
    again = httpx.get(f"{front.url}/graphql", params=query, timeout=10)
    assert (again.status_code, again.headers["x-cache-status"], again.content) == (
        200,
        "REVALIDATED",
        first.content,
    )
    # The replica only compared the ETag: 304, nothing executed.
    assert added(before, front.requests()) == {"not_modified": 1}


def test_graphiql_is_not_cached(front: Balanced) -> None:
    statuses = [
        httpx.get(f"{front.url}/graphql", headers={"accept": "text/html"}, timeout=10)
        for _ in range(2)
    ]
    assert [(page.status_code, page.headers["x-cache-status"]) for page in statuses] == [
        (200, "BYPASS"),
        (200, "BYPASS"),
    ]


async def test_stopping_a_replica_under_load_fails_no_request(
    real_db: Path, tmp_path: Path
) -> None:
    with balanced(real_db, tmp_path / "nginx") as front:
        expected = {code: direct(front, params(LOOKUP, code)) for code in CODES}
        victim = front.replicas[0]
        answers: list[tuple[str, int, bytes]] = []
        stopped_at: list[int] = []
        exited_at: list[int] = []
        stop = asyncio.Event()

        async def client(number: int) -> None:
            async with httpx.AsyncClient(base_url=front.url, timeout=30) as http:
                sent = 0
                while not stop.is_set():
                    sent += 1
                    code = CODES[sent % len(CODES)]
                    # A number the document does not use: every request is new to every cache.
                    variables = {"code": code, "nonce": f"{number}-{sent}"}
                    if sent % 2:
                        response = await http.get(
                            "/graphql",
                            params={"query": LOOKUP, "variables": json.dumps(variables)},
                        )
                    else:
                        response = await http.post(
                            "/graphql", json={"query": LOOKUP, "variables": variables}
                        )
                    answers.append((code, response.status_code, response.content))
                    if len(answers) >= BEFORE_STOP and not stopped_at:
                        stopped_at.append(len(answers))
                        # As an orchestrator stops it (docker stop, systemctl stop): SIGTERM.
                        victim.process.terminate()
                    if stopped_at and not exited_at and victim.process.poll() is not None:
                        exited_at.append(len(answers))
                    # Requests after the replica is gone too (a loaded machine may take longer
                    # to stop it than to send as many again): those find its port closed.
                    if exited_at and len(answers) >= max(2 * stopped_at[0], exited_at[0] + 50):
                        stop.set()
                    if len(answers) >= 100 * BEFORE_STOP:  # it never stops: the wait below fails
                        stop.set()

        await asyncio.gather(*(client(number) for number in range(CLIENTS)))
        # uvicorn finishes what is in flight, then ends by the signal it was given.
        assert victim.process.wait(timeout=15) == -signal.SIGTERM
        failed = [
            (code, status, body[:200])
            for code, status, body in answers
            if status != 200 or json.loads(body) != expected[code]
        ]
        assert failed == []
        log = [entry for entry in front.log() if entry["uri"].startswith("/graphql")]
        upstreams = [entry["upstream"].split(", ") for entry in log]
        # The stopped replica had answered its share, and the requests it failed were sent on.
        assert [victim.address] in upstreams
        assert any(len(tried) == 2 and tried[0] == victim.address for tried in upstreams)
