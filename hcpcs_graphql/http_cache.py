"""HTTP caching of GraphQL answers. A loaded release never changes, so an answer is fixed by the
database's releases, the document, the variables and the operation name: their hash is the
answer's ETag, known before anything is executed. A request whose If-None-Match holds it gets 304
without execution, and an answer already given is sent again from memory (bounded) without
execution. Answers that name their release for every root field may be cached for a year
(`immutable`); others follow the newest release, which a new database may change: a short time."""

from __future__ import annotations

import functools
import hashlib
import json
from collections import OrderedDict
from collections.abc import Sequence
from urllib.parse import parse_qs

from graphql import FieldNode, OperationDefinitionNode, parse
from graphql.error import GraphQLError
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

YEAR = 365 * 24 * 3600
STORE_BYTES = 64 * 1024 * 1024
"""Bytes of answers kept in memory (HCPCS_RESPONSE_CACHE_MB)."""
SHORT = 300
"""Seconds an answer about the newest release may be reused (HCPCS_CACHE_SECONDS)."""
# Root fields whose answer depends on no release argument: fixed by the database alone.
_RELEASE_FREE = frozenset(
    {
        "releases",
        "betosCodes",
        "betosCategories",
        "pricingIndicators",
        "multiplePricingIndicators",
        "coverageCodes",
        "typesOfService",
        "actionCodes",
        "labCertifications",
        "__typename",
        "__schema",
        "__type",
    }
)


@functools.lru_cache(maxsize=1024)
def pins_release(query: str, operation_name: str | None) -> bool:
    """Whether every root field of the operation names its release (or needs none)."""
    try:
        document = parse(query, max_tokens=2000)
    except GraphQLError:
        return False
    operations = [
        definition
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
        and (
            operation_name is None or (definition.name and definition.name.value == operation_name)
        )
    ]
    if len(operations) != 1:
        return False
    for selection in operations[0].selection_set.selections:
        if not isinstance(selection, FieldNode):
            return False  # fragments at the root: don't guess
        if selection.name.value in _RELEASE_FREE:
            continue
        if not any(argument.name.value == "release" for argument in selection.arguments or ()):
            return False
    return True


class ResponseStore:
    """Answers by ETag, the least recently used forgotten first past a size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[str, tuple[list[tuple[bytes, bytes]], bytes]] = OrderedDict()

    def get(self, etag: str) -> tuple[list[tuple[bytes, bytes]], bytes] | None:
        found = self._entries.get(etag)
        if found is not None:
            self._entries.move_to_end(etag)
        return found

    def put(self, etag: str, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        if etag in self._entries or len(body) > self.max_bytes:
            return
        self._entries[etag] = (headers, body)
        self.size += len(body)
        while self.size > self.max_bytes:
            _, (_, dropped) = self._entries.popitem(last=False)
            self.size -= len(dropped)


class HttpCache:
    def __init__(
        self, app: ASGIApp, *, path: str, short: int = SHORT, store_bytes: int = STORE_BYTES
    ) -> None:
        self.app = app
        self.path = path
        self.short = short
        self.store = ResponseStore(store_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["method"] == "GET" and "text/html" in headers.get("accept", ""):
            await self.app(scope, receive, send)  # GraphiQL
            return
        body = b""
        messages: list[Message] = []
        if scope["method"] == "POST":
            while True:
                message = await receive()
                messages.append(message)
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
        request = self._request(scope, body)

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        if request is None:
            await self.app(scope, replay, send)
            return
        query, variables, operation_name = request
        # The app's lifespan keeps the fingerprint of what it serves: releases and code.
        fingerprint = scope["app"].state.fingerprint
        key = json.dumps([fingerprint, query, variables, operation_name], sort_keys=True)
        etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
        seconds = YEAR if pins_release(query, operation_name) else self.short
        control = f"public, max-age={seconds}" + (", immutable" if seconds == YEAR else "")
        if etag in _tags(headers.get("if-none-match", "")):
            await Response(status_code=304, headers={"etag": etag, "cache-control": control})(
                scope, receive, send
            )
            return

        stored = self.store.get(etag)
        if stored is not None:
            stored_headers, stored_body = stored
            await send({"type": "http.response.start", "status": 200, "headers": stored_headers})
            await send({"type": "http.response.body", "body": stored_body})
            return
        started: list[Message] = []
        chunks: list[bytes] = []

        async def send_with_tags(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                message["headers"] = [
                    *message.get("headers", []),
                    (b"etag", etag.encode()),
                    (b"cache-control", control.encode()),
                ]
                started.append(message)
            elif message["type"] == "http.response.body" and started:
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, replay, send_with_tags)
        answer = b"".join(chunks)
        # An answer with errors may not be the same next time (a time limit, a fault): not kept.
        if started and b'"errors":' not in answer:
            self.store.put(etag, list(started[0]["headers"]), answer)

    @staticmethod
    def _request(scope: Scope, body: bytes) -> tuple[str, object, str | None] | None:
        """(query, variables, operation name) of a plain GraphQL request; None for anything
        else, which the app answers (and rejects) itself."""
        try:
            if scope["method"] == "GET":
                params = parse_qs(scope.get("query_string", b"").decode("latin-1"))
                found: dict[str, object] = {name: values[0] for name, values in params.items()}
                if isinstance(found.get("variables"), str):
                    found["variables"] = json.loads(str(found["variables"]))
            elif scope["method"] == "POST":
                found = json.loads(body)
            else:
                return None
        except (ValueError, RecursionError):
            return None
        if not isinstance(found, dict):
            return None
        query, operation_name = found.get("query"), found.get("operationName")
        if not isinstance(query, str) or not isinstance(operation_name, str | None):
            return None
        return query, found.get("variables"), operation_name


def _tags(value: str) -> Sequence[str]:
    return [tag.strip().removeprefix("W/") for tag in value.split(",") if tag.strip()]


def fingerprint(release_files: Sequence[str], version: str) -> str:
    """What answers depend on besides the request: the releases' files and this program."""
    return hashlib.sha256(json.dumps([sorted(release_files), version]).encode()).hexdigest()
