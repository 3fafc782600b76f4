"""The real server over HTTP: hostile requests never get a 5xx or hang; SIGTERM under load
finishes the requests in flight."""

from __future__ import annotations

import asyncio
import json
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.serving import running, start


@pytest.fixture(scope="module", params=["0", "4"], ids=["no batches", "batches of 4"])
def server(real_db: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    with running(real_db, HCPCS_BATCH_MAX=request.param) as url:
        yield url


JSON = {"content-type": "application/json"}


def post(query: str, **fields: object) -> tuple[str, str, dict[str, str], bytes]:
    return ("POST", "/graphql", JSON, json.dumps({"query": query, **fields}).encode())


def raw(body: bytes, headers: dict[str, str] = JSON) -> tuple[str, str, dict[str, str], bytes]:
    return ("POST", "/graphql", headers, body)


def get(path: str, method: str = "GET") -> tuple[str, str, dict[str, str], bytes]:
    return (method, path, {}, b"")


FAN_OUT = " ".join(f"fragment F{n} on Code {{ ...F{n + 1} ...F{n + 1} }}" for n in range(30))
FAN_OUT_QUERY = '{ code(code: "A") { ...F0 } } ' + FAN_OUT + " fragment F30 on Code { code }"
HOSTILE: list[tuple[str, str, dict[str, str], bytes]] = [
    raw(b"nope"),
    raw(b"5"),
    raw(b'"x"'),
    raw(b"null"),
    raw(b"[]"),
    raw(b"[" * 30_000 + b"]" * 30_000),
    raw(b"[" * 100_000),
    raw(b"{}"),
    raw(b'{"query": 5}'),
    raw(b'{"query": "{", "variables": 1}'),
    raw(b"{" + b" " * 70_000 + b"}"),
    raw(b"{ releases { id } }", {"content-type": "text/plain"}),
    raw(b"--x--", {"content-type": "multipart/form-data; boundary=x"}),
    post("{ code }"),
    post("{ nope }"),
    post("{ code(code: 5) { code } }"),
    post("query($f: Int) { allCodes(first: $f) { totalCount } }", variables={"f": 2**70}),
    post("{ allCodes(first: -1) { totalCount } }"),
    post("{ allCodes(first: 99999999999) { totalCount } }"),
    post('{ code(code: "A9597") { code } }', operationName=7),
    post('{ search(text: "\\"*NEAR(^") { totalCount } }'),
    post('{ search(text: "' + "a" * 5000 + '") { totalCount } }'),
    post("{ ...A } fragment A on Query { ...A }"),
    post(FAN_OUT_QUERY),
    post("mutation { x }"),
    post('{ codes(codes: ["A"]) { code } }', extensions={"persistedQuery": 5}),
    raw(b'[{"query": "{ releases { id } }"}]'),
    raw(b"[5, null, [], {}]"),
    raw(b'[[{"query": "{ releases { id } }"}]]'),
    raw(b"[" + b",".join([b'{"query": "{ releases { id } }"}'] * 10) + b"]"),
    raw(
        b'[{"query": 5}, {"query": "{"}, {"variables": 1}, {"query": "{ x }", "operationName": 7}]'
    ),
    raw(b'[{"query": "{ releases { id } }", "extensions": {"persistedQuery": 5}}]'),
    raw(b'[{"extensions": {"persistedQuery": {"sha256Hash": "00"}}}]'),
    raw(b'[{"query": "{ releases { id } }"}]', {"content-type": "text/plain"}),
    raw(json.dumps([{"query": FAN_OUT_QUERY}] * 4).encode()),
    get("/graphql", "PUT"),
    get("/graphql", "DELETE"),
    get("/graphql?query=%7B"),
    get("/graphql?query=mutation%7Ba%7D"),
    get("/graphql?variables=%7B"),
    get("/graphql?query=%7Breleases%7Bid%7D%7D&variables=5"),
    get("/graphql?extensions=%7B%22persistedQuery%22%3A5%7D"),
    get("/nope"),
]


@pytest.mark.parametrize(("method", "path", "headers", "body"), HOSTILE)
def test_hostile_requests_get_a_clear_answer(
    server: str, method: str, path: str, headers: dict[str, str], body: bytes
) -> None:
    response = httpx.request(method, f"{server}{path}", headers=headers, content=body, timeout=5)
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text
    assert "sqlite" not in response.text.lower()


HUNDRED = (
    "{ allCodes(first: 100) { edges { node {"
    " code longDescription coverage { description } betos { description } } } } }"
)


def test_sigterm_finishes_requests_in_flight(real_db: Path) -> None:
    server = start(real_db)
    process, url = server.process, server.url

    async def load() -> list[int]:
        sent = 0
        all_sent = asyncio.Event()

        async def trace(event: str, info: dict[str, Any]) -> None:
            # httpcore's trace extension: the signal goes once every request is on the wire,
            # whatever the time that takes, not after a guessed pause.
            nonlocal sent
            if event == "http11.send_request_body.complete":
                sent += 1
                if sent == 12:
                    all_sent.set()

        async with httpx.AsyncClient(timeout=20) as client:

            async def one(fewer: int) -> int:
                query = HUNDRED.replace("first: 100", f"first: {100 - fewer}")
                response = await client.post(
                    f"{url}/graphql", json={"query": query}, extensions={"trace": trace}
                )
                return response.status_code

            requests = [asyncio.create_task(one(n)) for n in range(12)]
            await all_sent.wait()
            process.send_signal(signal.SIGTERM)
            return list(await asyncio.gather(*requests))

    statuses = asyncio.run(load())
    # uvicorn finishes the requests in flight, then ends by the signal it caught.
    assert process.wait(timeout=15) in {0, -signal.SIGTERM}
    assert statuses == [200] * 12
