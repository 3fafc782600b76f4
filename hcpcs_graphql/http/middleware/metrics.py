"""Prometheus metrics of the GraphQL endpoint, per process (each uvicorn worker has its own)."""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from itertools import accumulate

from prometheus_client import CollectorRegistry, Gauge, generate_latest
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString
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


SECONDS_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
"""The upper bounds of hcpcs_request_seconds' buckets."""


class Metrics:
    """The counts are plain numbers this process adds to (one event loop: no lock), which the
    registry reads when /metrics is asked for (`_Counts`): prometheus_client's own Counter and
    Histogram take a lock and look their labels up on every count, a twentieth of a lookup's
    work."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests: dict[tuple[str, str], int] = {}
        """GraphQL requests by operation name and outcome."""
        self.buckets = [0] * (len(SECONDS_BUCKETS) + 1)
        """Requests by the first bucket of SECONDS_BUCKETS their time is within (the last:
        past them all)."""
        self.seconds = 0.0
        """The time of every request, added up."""
        self.lookups: dict[str, int] = {}
        """Lookups of the in-memory answers by result."""
        self.registry.register(_Counts(self))
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

    def record(self, operation: str | None, outcome: str, seconds: float) -> None:
        # OPERATION is a name from the parsed document (a GraphQL Name: ASCII letters, digits
        # and _), never the request's operationName as sent.
        name = (operation or "anonymous")[:MAX_NAME]
        if name not in self._operations:
            if len(self._operations) >= MAX_OPERATIONS:
                name = "other"
            else:
                self._operations.add(name)
        requests, key = self.requests, (name, outcome)
        requests[key] = requests.get(key, 0) + 1
        self.buckets[bisect_left(SECONDS_BUCKETS, seconds)] += 1
        self.seconds += seconds

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
        lookups = self.lookups
        lookups[result] = lookups.get(result, 0) + 1

    async def endpoint(self, request: Request) -> Response:
        current = freshness(request.app.state.catalog, today_from())
        self.newest.clear()
        if current is not None:
            self.newest.labels(current.newest_release, current.expected_release).set(1)
            self.age.set(current.age_days)
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class _Counts(Collector):
    """The counts of a Metrics, as the registry exposes them."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        metrics = self.metrics
        requests = CounterMetricFamily(
            "hcpcs_requests",
            "GraphQL requests by operation name and outcome: ok, error (answered with errors),"
            " rejected (not a GraphQL request, or refused before execution), cached (sent again"
            " from memory), not_modified (304).",
            labels=["operation", "outcome"],
        )
        for labels, count in metrics.requests.items():
            requests.add_metric(labels, count)
        yield requests
        seconds = HistogramMetricFamily(
            "hcpcs_request_seconds", "Time to answer a GraphQL request."
        )
        bounds = [*map(floatToGoString, SECONDS_BUCKETS), "+Inf"]
        seconds.add_metric([], list(zip(bounds, accumulate(metrics.buckets), strict=True)),
                           metrics.seconds)  # fmt: skip
        yield seconds
        lookups = CounterMetricFamily(
            "hcpcs_response_cache",
            "Lookups of the in-memory answers by result: hit or miss.",
            labels=["result"],
        )
        for result, count in metrics.lookups.items():
            lookups.add_metric([result], count)
        yield lookups


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
