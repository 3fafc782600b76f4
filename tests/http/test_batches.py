"""Batches: a JSON array of operations in one POST, refused unless HCPCS_BATCH_MAX allows it."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from hcpcs_graphql.http.middleware.batches import Batches
from hcpcs_graphql.http.middleware.deadline import Deadline
from tests.conftest import allow_only, app_client

CODE = "query Code($code: String!) { code(code: $code) { code shortDescription } }"
RELEASES = "{ releases { id } }"
ANSWERED_BY = {"releases": ["2026-01"]}
A9597 = {
    "data": {"code": {"code": "A9597", "shortDescription": "Pet, dx, for tumor id, noc"}},
    "extensions": ANSWERED_BY,
}
J9035 = {
    "data": {"code": {"code": "J9035", "shortDescription": "Bevacizumab injection"}},
    "extensions": ANSWERED_BY,
}
BOTH = {"data": {"releases": [{"id": "2026-01"}, {"id": "2025-10"}]}}
MAX = 3


def code(value: str) -> dict[str, object]:
    return {"query": CODE, "variables": {"code": value}}


def error(message: str, code: str) -> dict[str, object]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


@pytest.fixture
async def batching(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[httpx.AsyncClient]:
    monkeypatch.setenv("HCPCS_BATCH_MAX", str(MAX))
    async with app_client(real_db) as client:
        yield client


async def test_batches_are_refused_by_default(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=[code("A9597")])
    assert (response.status_code, response.json()) == (
        400,
        error(
            "Batches are not accepted here: send one operation per request.",
            "BATCH_NOT_ALLOWED",
        ),
    )


async def test_a_batch_of_the_most_operations_allowed(batching: httpx.AsyncClient) -> None:
    response = await batching.post(
        "/graphql", json=[code("A9597"), {"query": RELEASES}, code("j9035")]
    )
    assert (response.status_code, response.json()) == (200, [A9597, BOTH, J9035])
    assert "etag" not in response.headers  # a batch's answer is not cacheable


async def test_one_operation_more_is_refused(batching: httpx.AsyncClient) -> None:
    response = await batching.post("/graphql", json=[code("A9597")] * (MAX + 1))
    assert (response.status_code, response.json()) == (
        400,
        error("The batch holds 4 operations; at most 3 are allowed.", "BATCH_TOO_LARGE"),
    )


async def test_an_empty_batch_is_refused(batching: httpx.AsyncClient) -> None:
    response = await batching.post("/graphql", json=[])
    assert (response.status_code, response.json()) == (
        400,
        error("The batch holds no operation.", "BAD_REQUEST"),
    )


@pytest.mark.parametrize(
    ("operation", "answer"),
    [
        ({"query": "{ nope }"}, "GRAPHQL_VALIDATION_FAILED"),
        ({"query": "{ allCodes(first: 101) { totalCount } }"}, "BAD_PAGE"),
        ({"query": "{"}, "GRAPHQL_PARSE_FAILED"),
        ({"variables": {}}, error("No GraphQL query found in the request", "BAD_REQUEST")),
        (
            {"query": 5},
            error(
                "The GraphQL operation's `query` must be a string or null, if provided.",
                "BAD_REQUEST",
            ),
        ),
        (5, error("Each operation of a batch must be a JSON object.", "BAD_REQUEST")),
        ([code("A9597")], error("Each operation of a batch must be a JSON object.", "BAD_REQUEST")),
        (None, error("Each operation of a batch must be a JSON object.", "BAD_REQUEST")),
    ],
)
async def test_a_failing_operation_does_not_fail_the_others(
    batching: httpx.AsyncClient, operation: object, answer: dict[str, object] | str
) -> None:
    response = await batching.post("/graphql", json=[code("A9597"), operation, code("J9035")])
    assert response.status_code == 200
    first, failed, last = response.json()
    assert (first, last) == (A9597, J9035)
    if isinstance(answer, str):
        assert [error["extensions"]["code"] for error in failed["errors"]] == [answer]
    else:
        assert failed == answer


ALIASES = "{ " + " ".join(f"a{n}: releases {{ id }}" for n in range(10)) + " }"
TOO_MANY_ALIASES = "{ " + " ".join(f"a{n}: releases {{ id }}" for n in range(16)) + " }"


async def test_the_limits_apply_to_each_operation(batching: httpx.AsyncClient) -> None:
    # 10 aliases each: 30 in the batch, over the 15 of one request, but each operation is
    # within it; an operation over it is refused alone.
    response = await batching.post(
        "/graphql", json=[{"query": ALIASES}, {"query": TOO_MANY_ALIASES}, {"query": ALIASES}]
    )
    first, refused, last = response.json()
    assert first == last
    assert first["data"]["a9"] == BOTH["data"]["releases"]
    assert refused == {
        "data": None,
        "errors": [
            {
                "message": "the query's aliases is 16; at most 15 is allowed",
                "extensions": {"code": "QUERY_TOO_LARGE"},
            }
        ],
    }


async def test_the_whole_batch_counts_against_the_body_limit(batching: httpx.AsyncClient) -> None:
    # Each operation would pass alone (30,000 bytes); together they are over 64 KiB.
    padded = {"query": RELEASES, "extensions": {"pad": "x" * 30_000}}
    alone = await batching.post("/graphql", json=padded)
    assert alone.status_code == 200
    response = await batching.post("/graphql", json=[padded] * 3)
    assert (response.status_code, response.json()) == (
        413,
        {
            "errors": [
                {
                    "message": "The request body is larger than 65,536 bytes",
                    "extensions": {"code": "BODY_TOO_LARGE"},
                }
            ]
        },
    )


async def test_the_whole_batch_counts_against_the_deadline() -> None:
    # The first operation answers at once, the second never does: the batch as a whole is past
    # its deadline, so the first answer is not sent either. Nothing here is timed: the only
    # wait is for the deadline to pass. (The app puts the deadline outside the batches in the
    # same way.)
    answered = 0

    async def slow(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal answered
        answered += 1
        if answered == 3:  # the second operation of the second request
            await asyncio.Event().wait()
        await JSONResponse({"data": {}})(scope, receive, send)

    app = Deadline(Batches(slow, path="/graphql", max_operations=MAX), seconds=0.15)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        one = await client.post("/graphql", json=[{"query": RELEASES}])
        two = await client.post("/graphql", json=[{"query": RELEASES}] * 2)
    assert (one.status_code, one.json()) == (200, [{"data": {}}])
    assert (two.status_code, two.json()["errors"][0]["extensions"]) == (503, {"code": "TIMEOUT"})


async def test_persisted_queries_in_a_batch(batching: httpx.AsyncClient) -> None:
    sha = hashlib.sha256(RELEASES.encode()).hexdigest()
    by_hash = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}}}
    response = await batching.post(
        "/graphql", json=[by_hash, {"query": RELEASES, **by_hash}, by_hash]
    )
    assert response.json() == [
        error("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND"),
        BOTH,
        BOTH,
    ]


async def test_the_allow_list_applies_to_each_operation(
    real_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    allow_only(monkeypatch, tmp_path, RELEASES)
    monkeypatch.setenv("HCPCS_BATCH_MAX", str(MAX))
    async with app_client(real_db) as client:
        response = await client.post("/graphql", json=[{"query": RELEASES}, code("A9597")])
    assert (response.status_code, response.json()) == (
        200,
        [BOTH, error("Only registered documents are accepted.", "NOT_ALLOWED")],
    )


async def test_if_none_match_does_not_reach_the_operations(batching: httpx.AsyncClient) -> None:
    single = await batching.post("/graphql", json={"query": RELEASES})
    response = await batching.post(
        "/graphql", json=[{"query": RELEASES}], headers={"if-none-match": single.headers["etag"]}
    )
    assert (response.status_code, response.json()) == (200, [BOTH])


async def test_each_operation_is_counted_in_the_metrics(batching: httpx.AsyncClient) -> None:
    lookup = {"query": "query Lookup { releases { id } }", "operationName": "Lookup"}
    # Kept from its second answer (answer_store.admits): the third is sent again.
    await batching.post("/graphql", json=[lookup, lookup, {"query": "{ nope }"}])
    await batching.post("/graphql", json=[lookup])
    lines = set((await batching.get("/metrics")).text.splitlines())
    for line in (
        'hcpcs_requests_total{operation="Lookup",outcome="ok"} 2.0',
        'hcpcs_requests_total{operation="Lookup",outcome="cached"} 1.0',
        'hcpcs_requests_total{operation="anonymous",outcome="error"} 1.0',
        "hcpcs_request_seconds_count 4.0",
    ):
        assert line in lines, line
