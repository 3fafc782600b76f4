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
        task = asyncio.current_task()
        assert task is not None
        # One timer that cancels the request's task, as asyncio.timeout would, without its
        # context manager (a tenth of a lookup's work in the layers): the cancellation is ours
        # when the timer fired and no other is pending (the count asyncio.timeout compares).
        cancelling = task.cancelling()
        timer = Timer(task)
        timer.handle = asyncio.get_running_loop().call_later(self.seconds, timer.fire)
        started = False

        async def send_started(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start" and not started:
                started = True
                timer.handle.cancel()
            await send(message)

        try:
            await self.app(scope, receive, send_started)
        except asyncio.CancelledError:
            if not timer.fired or task.uncancel() > cancelling:
                raise
            if started:
                raise TimeoutError from None
            message = f"The request took longer than {self.seconds:g} s and was stopped."
            refusal = error_response(503, message, ErrorCode.TIMEOUT, data=True)
            await refusal(scope, receive, send)
        finally:
            timer.handle.cancel()


class Timer:
    """The request's timer: whether it fired (and cancelled TASK)."""

    handle: asyncio.TimerHandle

    def __init__(self, task: asyncio.Task[object]) -> None:
        self.task = task
        self.fired = False

    def fire(self) -> None:
        self.fired = True
        self.task.cancel()
