"""A lookup leaves nothing for the garbage collector: what the request made is freed by reference
counting as it ends. Under load, the collector's full collections of every request's reference
cycles took a fifth of the event loop's time, up to 65 ms each."""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from graphql import Lexer, Source, TokenKind
from starlette.applications import Starlette
from starlette.types import Message

from hcpcs_graphql.http.app import create_app
from tests.asgi import http_scope

QUERY = "query Code($code: String!) { code(code: $code) { code coverage { code description } } }"
WARM_UP = ("A9597", "A0021", "A0080")
LOOKUPS = ("A0090", "A0100", "A0110", "A0120", "A0130", "A0140", "A0160", "A0170", "A0180")
LEFT_IN_LIBRARIES = 0
"""What the lookups may leave in cycles: nothing, now that graphql-core's executor and visitors do
not close theirs on each request (schema/execution.py, http/document_facts.py)."""
NOT_PARSED = "query Code($code: String!) { code(code: $code) { code"


def tokens(text: str) -> int:
    lexer = Lexer(Source(text))
    read = 1  # the start of the source
    while lexer.advance().kind != TokenKind.EOF:
        read += 1
    return read + 1


TOKENS_LEFT = tokens(NOT_PARSED)
"""What a syntax error leaves: graphql-core's lexer links its tokens both ways (Token.prev and
.next), a cycle of every token read."""


async def test_lookups_leave_no_cycles(real_db: Path) -> None:
    app = create_app(real_db)
    async with app.router.lifespan_context(app):
        for code in WARM_UP:  # caches filled, first-time imports done
            await lookup(app, "POST", code)
            await lookup(app, "GET", code)
        with collector_paused():
            answers = [
                await lookup(app, method, code) for code in LOOKUPS for method in ("POST", "GET")
            ]
            left = gc.collect()
    assert [(status, data["code"]["code"]) for status, data in answers] == [
        (200, code) for code in LOOKUPS for _ in ("POST", "GET")
    ]
    assert left <= LEFT_IN_LIBRARIES


async def test_refusals_leave_what_graphql_core_leaves(real_db: Path) -> None:
    app = create_app(real_db)
    async with app.router.lifespan_context(app):
        for code in WARM_UP:
            await lookup(app, "POST", code, query=NOT_PARSED)
        with collector_paused():
            answers = [await lookup(app, "POST", code, query=NOT_PARSED) for code in LOOKUPS]
            left = gc.collect()
    assert answers == [(200, None)] * len(LOOKUPS)
    assert left <= TOKENS_LEFT * len(LOOKUPS)


async def test_variables_refused_leave_no_cycles(real_db: Path) -> None:
    app = create_app(real_db)
    async with app.router.lifespan_context(app):
        for number in range(len(WARM_UP)):
            await lookup(app, "POST", number)
        with collector_paused():
            answers = [await lookup(app, "POST", number) for number in range(len(LOOKUPS))]
            left = gc.collect()
    assert answers == [(200, None)] * len(LOOKUPS)
    assert left <= LEFT_IN_LIBRARIES


@contextmanager
def collector_paused() -> Iterator[None]:
    # Nothing collected on its own while the requests run: gc.collect() then counts everything
    # they left in cycles (the unreachable objects it finds).
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def lookup(app: Starlette, method: str, code: object, query: str = QUERY) -> tuple[int, Any]:
    """One request straight through the ASGI app (an HTTP client leaves cycles of its own)."""
    variables = {"code": code}
    body = b""
    query_string = b""
    headers = [(b"host", b"test")]
    if method == "POST":
        body = json.dumps({"query": query, "variables": variables}).encode()
        headers.append((b"content-type", b"application/json"))
    else:
        query_string = urlencode({"query": query, "variables": json.dumps(variables)}).encode()
    scope = http_scope(method=method, query_string=query_string, headers=headers)
    received = False
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal received
        if received:  # the request was read: wait for a disconnect that never comes
            await asyncio.Event().wait()
        received = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    body = b"".join(message.get("body", b"") for message in sent[1:])
    return sent[0]["status"], json.loads(body)["data"]
