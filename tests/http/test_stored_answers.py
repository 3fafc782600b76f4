"""Answers already given, sent again from in front of the whole app (http/stored_answers.py):
the same bytes as the full path's, without running it. Counted, never timed: a layer counting
the requests that reach the full path."""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hcpcs_graphql.db.loader import load
from hcpcs_graphql.http.app import create_app
from hcpcs_graphql.http.lane import Answered, Taken
from hcpcs_graphql.http.settings import Settings
from hcpcs_graphql.http.stored_answers import StoredAnswers, request_key
from hcpcs_graphql.http.whole_response import EXTENSION, header_block
from hcpcs_graphql.ingest.sources import find_releases
from tests.asgi import Answer, call, http_scope, metrics_text
from tests.conftest import FIXTURES

OCTOBER = "HCPC2025_OCT_ANWEB.xlsx"
JANUARY = "HCPC2026_JAN_ANWEB_01122026.txt"
LOOKUP = 'query Lookup { code(code: "A0021") { code shortDescription } releases { id } }'
PINNED = 'query Pinned { code(code: "A0021", release: "2025-10") { code } }'
ORIGIN = "https://picker.example"


class Counting:
    """Counts the HTTP requests that reach the app it wraps, or the common lane (lane.py)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.calls += 1
        await self.app(scope, receive, send)

    def lane(self, answer: Callable[[Scope, Receive, Taken], Awaitable[Answered]]) -> Any:
        async def counted(scope: Scope, receive: Receive, taken: Taken) -> Answered:
            self.calls += 1
            return await answer(scope, receive, taken)

        return counted


@pytest.fixture(scope="module")
def october(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("stored") / "hcpcs.db"
    load(db, find_releases(FIXTURES / OCTOBER))
    return db


@contextlib.asynccontextmanager
async def serving(db: Path, **settings: Any) -> AsyncIterator[tuple[Starlette, Counting]]:
    """The app on DB, its lifespan running, with a count of the requests past the store."""
    app = create_app(db, dataclasses.replace(Settings.from_environment({}), **settings))
    front = app.middleware_stack
    assert isinstance(front, StoredAnswers)
    front.app.app = counting = Counting(front.app.app)
    assert front.lane is not None
    front.lane.answer = counting.lane(front.lane.answer)  # type: ignore[method-assign]
    async with app.router.lifespan_context(app):
        yield app, counting


def etag(answer: Answer) -> str:
    return dict(answer[1])[b"etag"].decode()


REQUESTS = {
    "plain": ({"query": LOOKUP}, {}),
    "graphql-response+json": ({"query": LOOKUP}, {"accept": "application/graphql-response+json"}),
    "another site": ({"query": LOOKUP}, {"origin": ORIGIN}),
    "another site, with cookies": ({"query": LOOKUP}, {"origin": ORIGIN, "cookie": "a=1"}),
    "pinned by content": ({"query": PINNED, "extensions": "PINS"}, {"origin": ORIGIN}),
}


async def test_an_answer_sent_again_is_the_full_paths_byte_for_byte(october: Path) -> None:
    async with (
        serving(october) as (stored, past),
        serving(october, response_cache_bytes=0) as (
            full,
            _,
        ),
    ):
        pins = json.dumps({"releaseContent": stored.state.content_tags})
        for given, headers in REQUESTS.values():
            params = {name: pins if value == "PINS" else value for name, value in given.items()}
            first = await call(stored, params, headers)
            assert first[0] == 200
            again = [await call(stored, params, headers) for _ in range(3)]
            assert again == [await call(full, params, headers)] * 3
            revalidate = {**headers, "if-none-match": etag(first)}
            not_modified = [await call(stored, params, revalidate) for _ in range(3)]
            assert not_modified == [await call(full, params, revalidate)] * 3
            assert not_modified[0][0] == 304
        # Twice for the answer and twice for its 304 (kept the second time: store.admits), each
        # request: the rest from the store.
        assert past.calls == 4 * len(REQUESTS)


async def test_offered_the_whole_response_an_answer_goes_in_one_message(october: Path) -> None:
    async with serving(october) as (app, past):
        first = await call(app, {"query": LOOKUP})
        assert await call(app, {"query": LOOKUP}) == first  # kept now
        sent: list[Message] = []

        async def send(message: Message) -> None:
            sent.append(message)

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        scope = http_scope(query_string=urlencode({"query": LOOKUP}).encode())
        await app({**scope, "extensions": {EXTENSION: {}}}, receive, send)
    status, headers, body = first
    assert sent == [
        {
            "type": EXTENSION,
            "status": status,
            "head": header_block(status, headers, body),
            "body": body,
        }
    ]
    assert past.calls == 2


async def test_the_answers_of_other_releases_are_forgotten(october: Path, tmp_path: Path) -> None:
    db = tmp_path / "hcpcs.db"
    db.write_bytes(october.read_bytes())
    async with serving(db) as (app, past):
        before = [await call(app, {"query": LOOKUP}) for _ in range(3)]
        load(db, find_releases(FIXTURES / JANUARY))  # while the app serves the database
        after = [await call(app, {"query": LOOKUP}) for _ in range(3)]
    assert past.calls == 2 + 2  # the third of each from the store
    assert before[0] == before[2]
    assert after[0] == after[2]
    assert json.loads(before[0][2])["data"]["releases"] == [{"id": "2025-10"}]
    assert json.loads(after[0][2])["data"]["releases"] == [{"id": "2026-01"}, {"id": "2025-10"}]
    assert etag(before[0]) != etag(after[0])


async def test_a_short_answer_is_not_sent_again_past_its_freshness(october: Path) -> None:
    async with serving(october, cache_seconds=0) as (app, past):
        answers = [await call(app, {"query": LOOKUP}) for _ in range(3)]
        pins = json.dumps({"releaseContent": app.state.content_tags})
        pinned = [await call(app, {"query": PINNED, "extensions": pins}) for _ in range(3)]
    assert past.calls == 3 + 2  # an immutable answer stays fresh
    assert dict(answers[0][1])[b"cache-control"] == b"public, max-age=0"
    assert answers[0] == answers[2]
    assert pinned[0] == pinned[2]


async def test_answers_sent_again_are_counted(october: Path) -> None:
    async with serving(october) as (app, _):
        first = await call(app, {"query": LOOKUP})
        for _ in range(3):
            await call(app, {"query": LOOKUP})  # answered again, then (kept) from the store
            await call(app, {"query": LOOKUP}, {"if-none-match": etag(first)})
        lines = set((await metrics_text(app)).splitlines())
    for line in (
        'hcpcs_requests_total{operation="Lookup",outcome="ok"} 2.0',
        'hcpcs_requests_total{operation="Lookup",outcome="cached"} 2.0',
        'hcpcs_requests_total{operation="Lookup",outcome="not_modified"} 3.0',
        'hcpcs_response_cache_total{result="hit"} 2.0',
        'hcpcs_response_cache_total{result="miss"} 2.0',
        "hcpcs_request_seconds_count 7.0",
    ):
        assert line in lines


@pytest.mark.parametrize(
    ("method", "params", "headers", "body"),
    [
        pytest.param(
            "POST", {}, {"content-type": "application/json"}, json.dumps({"query": LOOKUP}),
            id="POST (its answer is kept by ETag, behind)",
        ),
        pytest.param("GET", {"query": "{ nope }"}, {}, "", id="an answer with errors"),
        pytest.param("GET", {"query": LOOKUP}, {"content-length": "2"}, "{}", id="a body"),
        pytest.param("GET", {}, {"accept": "text/html"}, "", id="GraphiQL"),
        pytest.param("GET", {"query": "{"}, {}, "", id="a document that does not parse"),
    ],
)  # fmt: skip
async def test_what_is_not_kept_goes_to_the_full_path(
    october: Path, method: str, params: dict[str, str], headers: dict[str, str], body: str
) -> None:
    async with serving(october) as (app, past):
        answers = [await call(app, params, headers, method, body.encode()) for _ in range(3)]
    assert past.calls == 3
    assert answers[0] == answers[2]


async def test_another_origin_goes_to_the_full_path(october: Path) -> None:
    async with serving(october) as (app, past):
        mine = [await call(app, {"query": LOOKUP}, {"origin": ORIGIN}) for _ in range(2)]
        other = await call(app, {"query": LOOKUP}, {"origin": "https://other.example"})
        again = await call(app, {"query": LOOKUP}, {"origin": ORIGIN})
    # Any origin is allowed by default: the answers are alike, but kept apart.
    assert (past.calls, again) == (3, mine[0])
    assert dict(other[1])[b"access-control-allow-origin"] == b"*"


def test_the_key_holds_only_what_the_answer_depends_on() -> None:
    def key(*headers: tuple[bytes, bytes]) -> object:
        scope = {"path": "/graphql", "query_string": b"query=x", "headers": list(headers)}
        return request_key(scope)

    plain = key((b"host", b"a"), (b"user-agent", b"wrk"))
    assert plain == key((b"host", b"b"))
    assert key((b"cookie", b"a=1")) == key((b"cookie", b"b=2")) != plain
    assert key((b"accept", b"application/json")) != plain
    assert key((b"content-length", b"0")) == plain
    assert key((b"content-length", b"2")) is None
    assert key((b"transfer-encoding", b"chunked")) is None


async def test_with_origins_listed_each_origin_gets_the_full_paths_answer(october: Path) -> None:
    listed = {"cors_origins": (ORIGIN,)}
    async with (
        serving(october, **listed) as (stored, past),
        serving(october, response_cache_bytes=0, **listed) as (full, _),
    ):
        for origin in (ORIGIN, "https://other.example", ORIGIN):
            headers = {"origin": origin}
            for _ in range(2):
                answer = await call(stored, {"query": LOOKUP}, headers)
                assert answer == await call(full, {"query": LOOKUP}, headers)
            assert (dict(answer[1]).get(b"access-control-allow-origin") == origin.encode()) == (
                origin == ORIGIN
            )
    assert past.calls == 2 + 2  # each origin's first two: the others from the store
