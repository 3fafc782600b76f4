"""A deadline on each request until its answer starts: past it the client gets a clear answer
(503) instead of waiting; the statement that holds it up is stopped by its own time limit. An
answer that has started is not cut: a GraphQL answer starts when it is complete, and an export
streams for as long as its client takes to read it (each of its statements has its time limit)."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.http.errors import error_response

REQUEST_SECONDS = 10.0


class Deadline:
    def __init__(self, app: ASGIApp, seconds: float = REQUEST_SECONDS) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        deadline = asyncio.timeout(self.seconds)

        async def send_started(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start" and not started:
                started = True
                if not deadline.expired():
                    deadline.reschedule(None)
            await send(message)

        try:
            async with deadline:
                await self.app(scope, receive, send_started)
        except TimeoutError:
            if started:
                raise
            message = f"The request took longer than {self.seconds:g} s and was stopped."
            refusal = error_response(503, message, ErrorCode.TIMEOUT, data=True)
            await refusal(scope, receive, send)
