"""A time limit on each SQL statement and a deadline on each request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from hcpcs_graphql.db.connection import connect_read_only, statement_clock
from hcpcs_graphql.http.middleware.deadline import Deadline
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import make_context

FACETS = "{ allCodes(first: 0) { facets { betos { code count } } } }"
DEADLINE = 0.05


async def test_a_statement_past_its_limit_is_stopped(real_db: Path) -> None:
    connection = await connect_read_only(real_db)
    try:
        catalog = await Catalog.read(connection)
        connection_limit = await connect_read_only(real_db)
        # Past its limit after a count of SQLite steps, not of seconds (HCPCS_STATEMENT_STEPS=1):
        # the first check, after 10,000 steps, stops it (the clock is tested in tests/db).
        statement_clock(connection_limit).checks = 1
        try:
            result = await schema.execute(
                FACETS, context_value=make_context(connection_limit, catalog)
            )
        finally:
            await connection_limit.close()
    finally:
        await connection.close()
    assert result.data is None
    assert [(error.message, error.extensions) for error in result.errors or []] == [
        (
            "A database statement ran past its time limit and was stopped.",
            {"code": "STATEMENT_TIMEOUT"},
        )
    ]


async def test_the_same_statement_within_the_default_limit(real_db: Path) -> None:
    connection = await connect_read_only(real_db)
    try:
        catalog = await Catalog.read(connection)
        result = await schema.execute(FACETS, context_value=make_context(connection, catalog))
    finally:
        await connection.close()
    assert result.errors is None


async def slow(scope: Scope, receive: Receive, send: Send) -> None:
    await asyncio.Event().wait()  # never set: only the deadline ends it, however slow the machine


async def test_a_request_past_its_deadline_gets_503() -> None:
    transport = httpx.ASGITransport(app=Deadline(slow, seconds=0.05))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/graphql")
    assert (response.status_code, response.json()) == (
        503,
        {
            "data": None,
            "errors": [
                {
                    "message": "The request took longer than 0.05 s and was stopped.",
                    "extensions": {"code": "TIMEOUT"},
                }
            ],
        },
    )


async def slow_stream(scope: Scope, receive: Receive, send: Send) -> None:
    async def pieces() -> AsyncIterator[bytes]:
        yield b"one,"
        # Ends after the deadline would have, on any machine: this timer is set after the
        # deadline's (the answer has started), for longer, and the loop runs timers in order.
        await asyncio.sleep(DEADLINE * 2)
        yield b"two,"
        yield b"three"

    await StreamingResponse(pieces(), media_type="text/csv")(scope, receive, send)


async def test_an_answer_that_has_started_is_not_cut_by_the_deadline() -> None:
    # Like an export read by a slow client: the whole answer takes longer than the deadline.
    transport = httpx.ASGITransport(app=Deadline(slow_stream, seconds=DEADLINE))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/export/2026-01.csv")
    assert (response.status_code, response.content) == (200, b"one,two,three")
