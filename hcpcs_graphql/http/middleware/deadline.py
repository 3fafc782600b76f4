"""A deadline on each request until its answer starts: past it the client gets a clear answer
(503) instead of waiting; the statement that holds it up is stopped by its own time limit. An
answer that has started is not cut: a GraphQL answer starts when it is complete, and an export
streams for as long as its client takes to read it (each of its statements has its time limit)."""

from __future__ import annotations

import asyncio
from collections import deque

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.http.errors import error_response

REQUEST_SECONDS = 10.0


class Deadline:
    def __init__(
        self, app: ASGIApp, seconds: float = REQUEST_SECONDS, watches: Watches | None = None
    ) -> None:
        self.app = app
        self.watches = Watches(seconds) if watches is None else watches
        """The requests in flight: WATCHES when given, shared with the common lane (lane.py)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watch = self.watches.watch()
        started = False

        async def send_started(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start" and not started:
                started = watch.done = True
            await send(message)

        try:
            await self.app(scope, receive, send_started)
        except asyncio.CancelledError:
            if not watch.expired():
                raise
            if started:
                raise TimeoutError from None
            await self.watches.refusal()(scope, receive, send)
        finally:
            watch.end()


class Watch:
    """A request's deadline: when it falls (the loop's clock), whether the answer started or
    the request ended (done), and whether the deadline cancelled its task (fired)."""

    __slots__ = ("cancelling", "deadline", "done", "fired", "task")

    def __init__(self, task: asyncio.Task[object], deadline: float) -> None:
        self.task: asyncio.Task[object] | None = task
        self.deadline = deadline
        self.done = self.fired = False
        # The cancellation is the deadline's when it cancelled the task and no other is
        # pending besides those that were when it began (what asyncio.timeout compares).
        self.cancelling = task.cancelling()

    def expired(self) -> bool:
        """Whether the cancellation being handled is the deadline's (then taken back)."""
        task = self.task
        return self.fired and task is not None and task.uncancel() <= self.cancelling

    def end(self) -> None:
        """The request is answered: its task (and the frames it holds) is let go now, not when
        a later request takes its place out of the queue."""
        self.done = True
        self.task = None


class Watches:
    """The requests in flight, oldest first, with one timer, at the oldest's deadline. Every
    request has the same time limit, so arrival order is deadline order: when the timer fires,
    the requests past their deadline are cancelled and the timer is set again at the deadline
    of the oldest left. A request costs a place in a queue, not a timer of its own (set and
    cancelled, a timer a request was a twentieth of a lookup's work on uvloop)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.waiting: deque[Watch] = deque()
        self.timer: asyncio.TimerHandle | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def refusal(self) -> JSONResponse:
        """The answer to a request stopped by its deadline."""
        message = f"The request took longer than {self.seconds:g} s and was stopped."
        return error_response(503, message, ErrorCode.TIMEOUT, data=True)

    def watch(self) -> Watch:
        """The deadline of the request running now (its task's)."""
        loop = asyncio.get_running_loop()
        task = asyncio.current_task(loop)
        assert task is not None
        if loop is not self.loop:  # a loop of its own (tests): the last one's timer is gone
            self.loop, self.timer = loop, None
            self.waiting.clear()
        watch = Watch(task, loop.time() + self.seconds)
        waiting = self.waiting
        while waiting and waiting[0].done:  # those answered: the queue holds those in flight
            waiting.popleft()
        waiting.append(watch)
        if self.timer is None:
            self.timer = loop.call_at(watch.deadline, self._fire)
        return watch

    def _fire(self) -> None:
        self.timer = None
        loop = self.loop
        assert loop is not None
        now, waiting = loop.time(), self.waiting
        while waiting and (waiting[0].done or waiting[0].deadline <= now):
            watch = waiting.popleft()
            if not watch.done and watch.task is not None:
                watch.fired = True
                watch.task.cancel()
        if waiting:
            self.timer = loop.call_at(waiting[0].deadline, self._fire)
