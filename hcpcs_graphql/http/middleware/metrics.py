"""Prometheus metrics of the GraphQL endpoint, per process (each uvicorn worker has its own)."""

from __future__ import annotations

import time
from collections.abc import Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hcpcs_graphql.domain.calendar import today_from
from hcpcs_graphql.services.freshness import freshness

MAX_OPERATIONS = 100
"""Distinct operation names kept as labels; clients choose them, so later ones count as other."""
MAX_NAME = 40
"""Characters of an operation name kept in its label."""
CACHED = "cached"
"""The outcome of an answer sent again from memory."""
NOT_MODIFIED = "not_modified"
"""The outcome of a 304."""


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "hcpcs_requests",
            "GraphQL requests by operation name and outcome: ok, error (answered with errors),"
            " rejected (not a GraphQL request, or refused before execution), cached (sent again"
            " from memory), not_modified (304).",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.seconds = Histogram(
            "hcpcs_request_seconds",
            "Time to answer a GraphQL request.",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
            registry=self.registry,
        )
        self.cache = Counter(
            "hcpcs_response_cache",
            "Lookups of the in-memory answers by result: hit or miss.",
            ["result"],
            registry=self.registry,
        )
        self.newest = Gauge(
            "hcpcs_newest_release",
            "1 for the newest loaded release, labelled with it and with the release CMS has in"
            " effect today: they differ when the data is stale.",
            ["release", "expected"],
            registry=self.registry,
        )
        self.age = Gauge(
            "hcpcs_newest_release_age_days",
            "Days since the newest loaded release took effect.",
            registry=self.registry,
        )
        self._operations: set[str] = set()
        self._children: dict[tuple[Counter, tuple[str, ...]], Counter] = {}
        """The child of each counter and labels seen: bounded as the operation names are."""

    def record(self, operation: str | None, outcome: str, seconds: float) -> None:
        # OPERATION is a name from the parsed document (a GraphQL Name: ASCII letters, digits
        # and _), never the request's operationName as sent.
        name = (operation or "anonymous")[:MAX_NAME]
        if name not in self._operations:
            if len(self._operations) >= MAX_OPERATIONS:
                name = "other"
            else:
                self._operations.add(name)
        self._child(self.requests, name, outcome).inc()
        self.seconds.observe(seconds)

    def record_answer(self, note: Mapping[str, object], status: int, seconds: float) -> None:
        """A request answered (STATUS; 0: none sent) in SECONDS, by what its note holds
        (Measured)."""
        outcome = note.get("outcome") or (
            "rejected" if status != 200 or "errors" not in note
            else "error" if note["errors"]
            else "ok"
        )  # fmt: skip
        operation = note.get("operation")
        self.record(operation if isinstance(operation, str) else None, str(outcome), seconds)
        cache = note.get("cache")
        if isinstance(cache, str):
            self.record_lookup(cache)

    def record_lookup(self, result: str) -> None:
        """A lookup of the in-memory answers: RESULT is hit or miss."""
        self._child(self.cache, result).inc()

    def _child(self, counter: Counter, *labels: str) -> Counter:
        # labels() takes a lock and checks its labels on every call: once per counter and labels.
        child = self._children.get((counter, labels))
        if child is None:
            child = self._children[counter, labels] = counter.labels(*labels)
        return child

    async def endpoint(self, request: Request) -> Response:
        current = freshness(request.app.state.catalog, today_from())
        self.newest.clear()
        if current is not None:
            self.newest.labels(current.newest_release, current.expected_release).set(1)
            self.age.set(current.age_days)
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class Measured:
    """Times each request to the GraphQL endpoint and records its outcome. The layers inside it
    note in scope["hcpcs"] the operation name (caching.py, from the parsed document), a
    cached outcome, and whether the execution's result had errors (graphql_view.py). The note
    is the one the layer in front (stored_answers.py) gave, which reads it when the answer is
    out; an answer that layer sends again itself is recorded by it (`record`), never here,
    and one the common lane answers (lane.py) by the lane (`record_answer`)."""

    def __init__(self, app: ASGIApp, *, path: str, metrics: Metrics) -> None:
        self.app = app
        self.path = path
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        given = scope.get("hcpcs")
        note: dict[str, object] = given if isinstance(given, dict) else {}
        note.update(operation=None, outcome=None, cache=None)
        # The layers inside read the note from the scope: a copy only when it is not there.
        inner = scope if note is given else {**scope, "hcpcs": note}
        status = 0

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(inner, receive, watch)
        finally:
            self.metrics.record_answer(note, status, time.perf_counter() - started)
