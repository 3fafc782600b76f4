"""The common lane: the usual GET of /graphql (no Origin, a URL within its limit, a GraphQL
request the HTTP cache parses, no GraphiQL, no persisted query by hash, one the view answers on
its common path) answered without the ASGI layers, by the same decisions each layer makes,
composed in the layers' order:

- the deadline (deadline.py), on the Watches the Deadline layer keeps, with its 503;
- the metrics (metrics.py: Measured's `record_answer`);
- the HTTP cache (caching.py: its ruling, 304, lookup and tags);
- the view (graphql_view.py: `response`, the answer of its `__call__`);
- CORS without an Origin (cors.py: `vary_origin`) and the security headers (`secured`).

The body limit and batches have nothing to do for a GET without a body, the only one it takes
(stored_answers.py: `request_key`). Each layer is an ASGI app around the next, and an ASGI
message per layer per response: about a tenth of a distinct lookup's work, which the lane
leaves out. The answer comes back whole to the stored answers (stored_answers.py), which send
and keep it as they do the full path's (tests/http/test_lane.py compares the two)."""

from __future__ import annotations

import asyncio
import time
from typing import Any, NamedTuple

from starlette.responses import Response
from starlette.types import Receive, Scope

from hcpcs_graphql.http.graphql_view import GraphQLApp
from hcpcs_graphql.http.middleware.caching import Asked, CacheRules
from hcpcs_graphql.http.middleware.cors import from_a_site, vary_origin
from hcpcs_graphql.http.middleware.deadline import Watches
from hcpcs_graphql.http.middleware.metrics import Metrics
from hcpcs_graphql.http.middleware.security_headers import secured
from hcpcs_graphql.http.middleware.url_limit import url_bytes
from hcpcs_graphql.http.request_headers import first_header

Headers = list[tuple[bytes, bytes]]


class Taken(NamedTuple):
    """A request the lane answers: what the HTTP cache parsed of it, what it asks, and its
    Accept header."""

    found: dict[str, Any]
    asked: Asked
    accept: str


class Answered(NamedTuple):
    """A whole answer: status, headers as the full path would send them, body."""

    status: int
    headers: Headers
    body: bytes


class Lane:
    def __init__(
        self,
        *,
        view: GraphQLApp,
        cache: CacheRules,
        watches: Watches,
        metrics: Metrics,
        max_url_bytes: int,
    ) -> None:
        self.view = view
        self.cache = cache
        self.watches = watches
        self.metrics = metrics
        self.max_url_bytes = max_url_bytes

    def takes(self, scope: Scope) -> Taken | None:
        """The request of SCOPE (a GET of /graphql without a body, its note in scope["hcpcs"])
        when the lane answers it; None for the full path."""
        if from_a_site(scope) or url_bytes(scope) > self.max_url_bytes:
            return None
        accept, cache = first_header(scope, b"accept"), self.cache
        if cache.asks_for_graphiql(accept):
            return None
        found = cache.parsed(scope, b"")
        # A persisted query by hash or a refusal: the full path, which resolves it again (a
        # document registered once more, the same refusal).
        if found is None or cache.documents.resolve(found) is not False:
            return None
        asked = cache.asked(found)
        if asked is None:
            return None
        scope["hcpcs"]["request"] = found
        if self.view.common(scope, accept) is None:
            return None
        return Taken(found, asked, accept)

    async def answer(self, scope: Scope, receive: Receive, taken: Taken) -> Answered:
        """The answer to TAKEN, past the deadline and the metrics as the full path's."""
        watch = self.watches.watch()
        try:
            status, headers, body = await self._measured(scope, receive, taken)
        except asyncio.CancelledError:
            if not watch.expired():
                raise
            refusal = self.watches.refusal()
            status, headers, body = refusal.status_code, refusal.raw_headers, _body(refusal)
        finally:
            watch.end()
        return Answered(status, secured(vary_origin(headers)), body)

    async def _measured(self, scope: Scope, receive: Receive, taken: Taken) -> Answered:
        note: dict[str, Any] = scope["hcpcs"]
        status = 0
        started = time.perf_counter()
        try:
            found = await self._cached(scope, receive, taken, note)
            status = found.status
            return found
        finally:
            self.metrics.record_answer(note, status, time.perf_counter() - started)

    async def _cached(
        self, scope: Scope, receive: Receive, taken: Taken, note: dict[str, Any]
    ) -> Answered:
        cache = self.cache
        found, asked, accept = taken
        ruling = cache.rule(scope["app"].state, accept, asked, found.get("extensions"), note)
        response: Response | None = cache.not_modified(
            ruling, first_header(scope, b"if-none-match"), note
        )
        if response is not None:
            return Answered(response.status_code, response.raw_headers, _body(response))
        cache.stored(scope["method"], ruling, note)  # a GET's answer is kept in front, not here
        response = await self.view.response(scope, receive, accept, found)
        headers = response.raw_headers
        if response.status_code == 200:
            headers = [*headers, *cache.tags(ruling, note)]
        return Answered(response.status_code, headers, _body(response))


def _body(response: Response) -> bytes:
    body = response.body
    return body if isinstance(body, bytes) else bytes(body)
