"""The common lane (http/lane.py) answers each GET it takes exactly as the layers do: the same
status, headers and body, the same metrics; and leaves every other request to them. Each
request goes to the app twice, with the lane and without it (the full path)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from starlette.applications import Starlette
from starlette.types import Message, Receive, Scope

from hcpcs_graphql.db.loader import load
from hcpcs_graphql.http.app import create_app
from hcpcs_graphql.http.graphql_view import GraphQLApp
from hcpcs_graphql.http.lane import Answered, Taken
from hcpcs_graphql.http.settings import Settings
from hcpcs_graphql.http.stored_answers import StoredAnswers
from hcpcs_graphql.ingest.sources import find_releases
from hcpcs_graphql.services.admission import AdmissionSettings
from tests.asgi import Answer, call, http_scope, metrics_text
from tests.conftest import FIXTURES

LOOKUP = 'query One($code: String!) { code(code: $code, release: "2025-10") { code } }'
SPEC = "application/graphql-response+json"
HASH = hashlib.sha256(LOOKUP.encode()).hexdigest()
PERSISTED = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": HASH}})
GOOD = {"query": LOOKUP, "variables": '{"code":"A0021"}'}
COUNTED = ("hcpcs_requests_total", "hcpcs_response_cache_total", "hcpcs_request_seconds_count")
"""The metrics both paths must count alike (the others are times)."""

# (name, query fields, headers, whether the lane takes it)
REQUESTS: list[tuple[str, dict[str, str], dict[str, str], bool]] = [
    *(
        (f"good {accept!r}", GOOD, {"accept": accept} if accept else {}, True)
        for accept in ("", "*/*", "application/json", SPEC)
    ),
    ("an unused variable", {**GOOD, "variables": '{"code":"A0021","n":1}'}, {}, True),
    ("a code not in the release", {**GOOD, "variables": '{"code":"ZZZZZ"}'}, {}, True),
    ("syntax error", {"query": "{ code("}, {"accept": SPEC}, True),
    ("variables of the wrong type", {**GOOD, "variables": '{"code":1}'}, {}, True),
    ("unknown field", {"query": "{ nothing }"}, {}, True),
    ("a mutation", {"query": "mutation { nothing }"}, {}, True),
    ("unknown operation", {**GOOD, "operationName": "Other"}, {}, True),
    ("a release not loaded", {"query": '{ code(code: "A0021", release: "1999-01") { code } }'},
     {}, True),
    ("revalidated", GOOD, {"if-none-match": "ETAG"}, True),
    ("revalidated with another tag", GOOD, {"if-none-match": '"other"'}, True),
    ("a document with its hash", {**GOOD, "extensions": PERSISTED}, {}, True),
    ("the hash alone", {"variables": GOOD["variables"], "extensions": PERSISTED}, {}, False),
    ("a hash that is not the document's",
     {"query": "{ __typename }", "extensions": PERSISTED}, {}, False),
    ("variables not an object", {**GOOD, "variables": "1"}, {}, False),
    ("variables not JSON", {**GOOD, "variables": "{"}, {}, False),
    ("another site", GOOD, {"origin": "https://picker.example"}, False),
    ("a URL too long", {**GOOD, "variables": json.dumps({"code": "A" * 17_000})}, {}, False),
    ("GraphiQL", {}, {"accept": "text/html"}, False),
    ("a stream, none configured", {"query": "{ __typename }"}, {"accept": "text/event-stream"},
     True),
    ("no query", {}, {}, False),
]  # fmt: skip


@pytest.fixture(scope="module")
def october(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("lane") / "hcpcs.db"
    load(db, find_releases(FIXTURES / "HCPC2025_OCT_ANWEB.xlsx"))
    return db


@dataclasses.dataclass
class Served:
    app: Starlette
    taken: int = 0
    """Requests the lane answered."""


@contextlib.asynccontextmanager
async def serving(db: Path, lane: bool, **settings: Any) -> AsyncIterator[Served]:
    """The app on DB with its lane or without it, nothing sent again from its store."""
    replaced = dataclasses.replace(Settings.from_environment({}), **settings)
    served = Served(create_app(db, dataclasses.replace(replaced, response_cache_bytes=0)))
    front = served.app.middleware_stack
    assert isinstance(front, StoredAnswers)
    assert front.lane is not None
    if not lane:
        front.lane = None
    else:
        answer = front.lane.answer

        async def counted(scope: Scope, receive: Receive, taken: Taken) -> Answered:
            served.taken += 1
            return await answer(scope, receive, taken)

        front.lane.answer = counted  # type: ignore[method-assign]
    async with served.app.router.lifespan_context(served.app):
        yield served


def counted_metrics(text: str) -> list[str]:
    return sorted(line for line in text.splitlines() if line.startswith(COUNTED))


def etag(answer: Answer) -> str:
    return dict(answer[1])[b"etag"].decode()


async def test_the_lane_answers_as_the_layers_do(october: Path) -> None:
    async with serving(october, lane=True) as lane, serving(october, lane=False) as full:
        tag = etag(await call(full.app, GOOD))
        assert tag == etag(await call(lane.app, GOOD))
        taken: dict[str, bool] = {}
        statuses = set()
        for name, fields, given, _ in REQUESTS:
            headers = {key: tag if value == "ETAG" else value for key, value in given.items()}
            before = lane.taken
            answer = await call(lane.app, fields, headers)
            assert answer == await call(full.app, fields, headers), name
            taken[name] = lane.taken > before
            statuses.add(answer[0])
        assert counted_metrics(await metrics_text(lane.app)) == counted_metrics(
            await metrics_text(full.app)
        )
    assert taken == {name: takes for name, _, _, takes in REQUESTS}
    assert {200, 304, 400, 414} <= statuses


async def test_a_get_with_a_body_goes_to_the_full_path(october: Path) -> None:
    async with serving(october, lane=True) as lane, serving(october, lane=False) as full:
        headers = {"content-length": "2"}
        answer = await call(lane.app, GOOD, headers, body=b"{}")
        assert answer == await call(full.app, GOOD, headers, body=b"{}")
    assert (answer[0], lane.taken) == (200, 0)


async def test_an_overloaded_answer_is_the_layers(october: Path) -> None:
    # No heavy operation may run: every one is refused.
    refusing = AdmissionSettings(heavy_cost=1, heavy_max=0, heavy_queue=0)
    fields = {"query": "{ allCodes(first: 100) { totalCount } }"}
    async with (
        serving(october, lane=True, admission=refusing) as lane,
        serving(october, lane=False, admission=refusing) as full,
    ):
        answer = await call(lane.app, fields)
        assert answer == await call(full.app, fields)
        assert counted_metrics(await metrics_text(lane.app)) == counted_metrics(
            await metrics_text(full.app)
        )
    assert (answer[0], lane.taken) == (503, 1)


async def test_past_the_deadline_the_lane_answers_as_the_layers_do(
    october: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def slow(*arguments: Any) -> None:
        await asyncio.sleep(10)

    monkeypatch.setattr(GraphQLApp, "_run_common", slow)
    async with (
        serving(october, lane=True, request_seconds=0.05) as lane,
        serving(october, lane=False, request_seconds=0.05) as full,
    ):
        answer = await call(lane.app, GOOD)
        assert answer == await call(full.app, GOOD)
        metrics = counted_metrics(await metrics_text(lane.app))
        assert metrics == counted_metrics(await metrics_text(full.app))
    assert (answer[0], lane.taken) == (503, 1)
    assert 'hcpcs_requests_total{operation="One",outcome="rejected"} 1.0' in metrics


async def test_a_fault_is_answered_and_raised_as_on_the_full_path(
    october: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Fault(Exception):
        pass

    async def failing(*arguments: Any) -> None:
        raise Fault

    async def sent(app: Starlette) -> list[Message]:
        messages: list[Message] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Message) -> None:
            messages.append(message)

        scope = http_scope(query_string=urlencode(GOOD).encode())
        with pytest.raises(Fault):
            await app(scope, receive, send)
        return messages

    monkeypatch.setattr(GraphQLApp, "_run_common", failing)
    async with serving(october, lane=True) as lane, serving(october, lane=False) as full:
        answer = await sent(lane.app)
        assert answer == await sent(full.app)
        metrics = counted_metrics(await metrics_text(lane.app))
        assert metrics == counted_metrics(await metrics_text(full.app))
    assert (answer[0]["status"], lane.taken) == (500, 1)
