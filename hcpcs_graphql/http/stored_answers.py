"""Answers already given, sent again from in front of the whole app: the first thing uvicorn
calls. A GET of /graphql whose exact request (path, query string, and the request headers the
layers behind read: ANSWER_HEADERS) was answered before with an answer the HTTP cache let be kept
(caching.py: 200 with an ETag and a public Cache-Control, no errors; or its 304) is sent the
same bytes (status, every header as the full path sent them, body) without running any layer.
Anything else is answered by the common lane (lane.py: the layers' decisions without the
layers) when it takes the request, else by the full app; the answer goes out whole
(whole_response.py) and is kept when the cache allows, from the second time its request is
answered (answer_store.admits).

What the full path guarantees stays true: the releases are looked at first (live.py), and every
answer is forgotten when what the app serves or the day changes (answers depend on both:
answer_store.generation); an answer is sent again only while fresh (its max-age: a year for an
immutable one, HCPCS_CACHE_SECONDS for one that may change); each request is counted in the
metrics as the full path counts one answered from memory. POSTs (persisted queries and batches
too) go to the full path, where the HTTP cache keeps their answers by ETag in the same store."""

from __future__ import annotations

import time

from starlette.middleware.errors import ServerErrorMiddleware
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from hcpcs_graphql.http.answer_store import Answer, ResponseStore, answer, generation
from hcpcs_graphql.http.arrival import arrived
from hcpcs_graphql.http.lane import Lane, Taken
from hcpcs_graphql.http.live import LiveReleases
from hcpcs_graphql.http.middleware.metrics import CACHED, NOT_MODIFIED, Metrics
from hcpcs_graphql.http.whole_response import header_block, offered, send_whole

METHOD = "GET"
ANSWER_HEADERS: dict[bytes, bool] = {
    b"accept": True,  # the media type (media_types.py, graphql_view.py); GraphiQL's page
    b"if-none-match": True,  # a 304 (caching.py)
    b"origin": True,  # CORS: whether and how the answer is shared with another site
    b"cookie": False,  # CORS: with any origin allowed, a request with cookies gets its own back
}
"""The request headers the layers behind this one read for a GET of /graphql, each with whether
its value (True) or only its presence (False) can change the answer: they are part of the key
an answer is kept by. The others (Host, User-Agent, ...) change nothing in it."""
BODY_HEADERS = (b"content-length", b"transfer-encoding")
"""A GET that announces a body (a length other than 0) goes to the full path: the body limit
(body_limit.py) reads its length."""
OUTCOMES = {200: CACHED, 304: NOT_MODIFIED}
"""The statuses kept, with the outcome the metrics count a request sent one of them again by."""

Key = tuple[bytes, ...]
Sent = tuple[int, list[tuple[bytes, bytes]], bytes, bytes | None]
"""An answer sent whole: status, headers, body, and its header block (whole_response.py)."""


def request_key(scope: Scope) -> Key | None:
    """What the answer to a GET depends on in its request; None when it has a body."""
    parts = [scope.get("raw_path") or scope["path"].encode(), scope.get("query_string", b"")]
    for name, value in scope["headers"]:
        if name in ANSWER_HEADERS:
            parts += (name, value if ANSWER_HEADERS[name] else b"")
        elif name in BODY_HEADERS and value != b"0":
            return None
    return tuple(parts)


class StoredAnswers:
    def __init__(
        self,
        app: LiveReleases,
        *,
        path: str,
        store: ResponseStore,
        metrics: Metrics,
        lane: Lane | None = None,
    ) -> None:
        self.app = app
        self.lane = lane
        """What answers the common GET without the layers (lane.py); None: the full path."""
        self.path = path
        self.store = store
        self.metrics = metrics
        self.generation: tuple[str, str] | None = None
        """What the answers in the store were given for (answer_store.generation)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != METHOD or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        key = request_key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        state = scope["app"].state
        # What the releases are now, as the full path would see them first (a look since the
        # request arrived serves it: no coroutine to run then).
        came = arrived(scope)
        if not self.app.looked_after(came):
            await self.app.refresh(state, came)
        current = generation(state)
        if current != self.generation:
            self.store.clear()  # the answers of other releases, or of another day
            self.generation = current
        found = self.store.fresh(key)
        if found is not None:
            await self._send_again(scope, found, send, began)
            return
        await self._answer(scope, receive, send, key, current)

    async def _send_again(self, scope: Scope, found: Answer, send: Send, began: float) -> None:
        await send_whole(send, offered(scope), found.status, found.headers, found.head, found.body)
        self.metrics.record(found.operation, OUTCOMES[found.status], time.perf_counter() - began)
        if found.status == 200:  # a 304 is decided before the store is looked at
            self.metrics.record_lookup("hit")

    async def _answer(
        self, scope: Scope, receive: Receive, send: Send, key: Key, current: tuple[str, str]
    ) -> None:
        """The answer of the common lane or of the full path, kept when the HTTP cache allows."""
        note: dict[str, object] = {}
        # Past live.py's layer: the releases were looked at for this request already.
        inner = {**scope, "hcpcs": note}
        lane = self.lane
        taken = None if lane is None else lane.takes(inner)
        sent: Sent | None
        if lane is not None and taken is not None:
            sent = await self._by_lane(lane, taken, inner, receive, send)
        else:
            sent = await self._by_full_path(inner, receive, send)
        seconds = note.get("keep")
        # Given for the releases and the day the request began with, which may be gone.
        stale = current != generation(scope["app"].state) or current != self.generation
        if sent is None or sent[0] not in OUTCOMES or not isinstance(seconds, int) or stale:
            return
        if not self.store.admits(key):
            return
        status, headers, body, head = sent
        operation = note.get("operation")
        found = answer(
            key,
            status,
            headers,
            body,
            operation=operation if isinstance(operation, str) else None,
            seconds=seconds,
            head=head,
        )
        self.store.put(key, found)

    async def _by_lane(
        self, lane: Lane, taken: Taken, scope: Scope, receive: Receive, send: Send
    ) -> Sent:
        try:
            status, headers, body = await lane.answer(scope, receive, taken)
        except Exception as error:
            # What Starlette's outermost layer sends for a fault (then raised again, for the
            # server to log), with no layer's headers, as on the full path.
            fault = ServerErrorMiddleware(self.app).error_response(Request(scope), error)
            await fault(scope, receive, send)
            raise
        head = header_block(status, headers, body)
        await send_whole(send, offered(scope), status, headers, head, body)
        return status, headers, body, head

    async def _by_full_path(self, scope: Scope, receive: Receive, send: Send) -> Sent | None:
        """What the full path sent, when it went out whole (and so may be kept)."""
        whole = Whole(send, offered(scope))
        await self.app.app(scope, receive, whole)
        if whole.start is None or not whole.complete:
            return None
        start = whole.start
        return start["status"], list(start.get("headers", [])), whole.body, whole.head


class Whole:
    """The ASGI send of a response that goes out whole when it can (whole_response.py): its
    start is held until its body is complete, and a response of one body message goes out in
    one message with the header block encoded once, which the store keeps (answer_store.py).
    Anything else (a body in parts, another message) goes on as it came."""

    def __init__(self, send: Send, offered: bool) -> None:
        self.send = send
        self.offered = offered
        """Whether the server offers the whole-response extension."""
        self.start: Message | None = None
        self.body = b""
        self.head: bytes | None = None
        self.complete = False
        """A start and a body in one message, and nothing else: what may be kept."""
        self.streaming = False
        """Whether messages go on as they come."""

    async def __call__(self, message: Message) -> None:
        if self.streaming:
            self.complete = False
            await self.send(message)
            return
        kind = message["type"]
        if kind == "http.response.start" and self.start is None:
            self.start = message
            return
        if (
            kind == "http.response.body"
            and self.start is not None
            and not message.get("more_body", False)
        ):
            await self._send_whole(self.start, message.get("body", b""))
            return
        # Not one body: what was held, then everything, as it comes.
        self.streaming = True
        if self.start is not None:
            await self.send(self.start)
        await self.send(message)

    async def _send_whole(self, start: Message, body: bytes) -> None:
        status, headers = start["status"], start.get("headers", [])
        # Whatever comes after it goes on as it comes, and the answer is not kept.
        self.body, self.complete, self.streaming = body, True, True
        self.head = header_block(status, headers, body)
        await send_whole(self.send, self.offered, status, headers, self.head, body)
