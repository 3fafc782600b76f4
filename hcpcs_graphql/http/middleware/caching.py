"""HTTP caching of GraphQL answers. An answer is fixed by the database's releases, the document,
the variables and the operation name: their hash is the answer's ETag, known before anything is
executed. A request whose If-None-Match holds it gets 304 without execution, and an answer given
twice to a POST is sent again from memory (http/answer_store.py, `admits`) without execution.
A GET's answer is kept, and sent again, by the layer in front of the whole app
(http/stored_answers.py), with every header the layers outside this one add: this layer notes
in scope["hcpcs"]["keep"] for how many seconds an answer (or a 304) may be sent again.

What a cache may do with an answer is decided from facts: the parsed document (document_facts.py)
and the execution's result (its `errors`, noted by the app in scope["hcpcs"]). `immutable` (a
year) only for an answer that cannot change: no errors, every release it read named by id and
pinned by its content tag (content.py) in the request's `extensions.releaseContent`, nothing
judged on today's date or read from every release. An answer with errors (a release not loaded
yet, a time limit, a fault) is `no-store`. Everything else: a short max-age and ETag revalidation.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple
from urllib.parse import urlencode

import orjson
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hcpcs_graphql.http.answer_store import (
    STORE_BYTES,
    Answer,
    ResponseStore,
    answer,
    generation,
)
from hcpcs_graphql.http.content import EXTENSION, HEADER, header_value
from hcpcs_graphql.http.document_facts import (
    DocumentFacts,
    document_facts,
    remembered_facts,
    scalar_variables,
    variables_named,
)
from hcpcs_graphql.http.media_types import JSON, negotiate
from hcpcs_graphql.http.persisted_queries import PersistedQueries
from hcpcs_graphql.http.request_body import read_messages
from hcpcs_graphql.http.url_decoding import unquote_plus

YEAR = 365 * 24 * 3600
SHORT = 300
"""Seconds an answer that may change may be reused before revalidation (HCPCS_CACHE_SECONDS)."""
REMEMBERED_BYTES = 4096
"""A request's document and variables up to this size have their facts remembered."""
IMMUTABLE = f"public, max-age={YEAR}, immutable"
NO_STORE = "no-store"

VARY = "accept"
"""The request header an answer depends on besides its URL or body: its media type (and, added
by the CORS layer outside, Origin)."""
VARY_RAW = VARY.encode()
NO_STORE_RAW = NO_STORE.encode()
HEADER_RAW = HEADER.encode()

_SCALARS = (str, int, float, bool, type(None))
"""What a JSON value is when it is neither an object nor an array."""

KEPT_METHOD = "POST"
"""The method whose answers this layer keeps (GET's are kept in front: http/stored_answers.py)."""


class Asked(NamedTuple):
    """What a GraphQL request asks: its document, variables (with their canonical text) and
    operation name."""

    query: str
    variables: object
    text: bytes
    operation_name: str | None


class Ruling(NamedTuple):
    """What a cache knows of a request's answer before it is executed: the request's facts,
    the answer's ETag, the releases it is fixed by (content_pinned), its Cache-Control, the
    key this layer keeps it by, and the content tags of the releases served when it began."""

    facts: DocumentFacts
    etag: str
    fixed: frozenset[str]
    control: str
    stored_key: str
    content_tags: dict[str, str]


class CacheRules:
    """What the HTTP cache decides for a request, apart from the ASGI layer (HttpCache) that
    applies it: shared with the common lane (lane.py), with its persisted queries and store."""

    def __init__(
        self,
        *,
        short: int = SHORT,
        store: ResponseStore | None = None,
        allow_list: dict[str, str] | None = None,
    ) -> None:
        self.short = short
        self.short_control = f"public, max-age={short}"
        """The Cache-Control of an answer that may change."""
        self.store = ResponseStore(STORE_BYTES) if store is None else store
        self.documents = PersistedQueries(allow_list)

    def rule(
        self,
        state: Any,
        accept: str,
        request: Asked,
        extensions: object,
        note: dict[str, Any],
    ) -> Ruling:
        """What the answer to REQUEST is, as far as a cache knows before it is executed (the
        Accept header ACCEPT and the request's EXTENSIONS given)."""
        facts, etag = _identity(state, accept, request)
        note["operation"] = facts.operation
        tags: dict[str, str] = state.content_tags
        fixed = _content_pinned(facts, extensions, tags)
        control = IMMUTABLE if fixed else self.short_control
        # The same answer goes out with another Cache-Control to a request that pins content.
        return Ruling(facts, etag, fixed, control, f"{etag} {control}", tags)

    def not_modified(
        self, ruling: Ruling, if_none_match: str, note: dict[str, Any]
    ) -> Response | None:
        """The 304 answering a request whose If-None-Match (IF_NONE_MATCH) holds its ETag."""
        if ruling.etag not in entity_tags(if_none_match):
            return None
        note["outcome"] = "not_modified"
        note["keep"] = YEAR if ruling.fixed else self.short
        # With the Vary the answer carries (RFC 9110, 15.4.5: a 304 sends the 200's Vary).
        validators = {"etag": ruling.etag, "cache-control": ruling.control, "vary": VARY}
        return Response(status_code=304, headers=validators)

    def stored(self, method: str, ruling: Ruling, note: dict[str, Any]) -> Answer | None:
        """The answer this layer kept for the request (of METHOD), when it keeps them."""
        stored = self.store.fresh(ruling.stored_key) if method == KEPT_METHOD else None
        note["cache"] = "miss" if stored is None else "hit"
        if stored is not None:
            note["outcome"] = "cached"
        return stored

    def tags(self, ruling: Ruling, note: dict[str, Any]) -> list[tuple[bytes, bytes]]:
        """The headers of a 200 the app answered (its result noted in NOTE): the validators
        and Cache-Control of an answer that may be kept (NOTE's `keep` set), else no-store; and
        the content tag of each release it read."""
        read = dict.fromkeys([*note.get("answered", ()), *sorted(ruling.facts.releases or ())])
        unchanging = ruling.fixed.issuperset(read)
        if note.get("errors") is False:
            note["keep"] = YEAR if ruling.fixed and unchanging else self.short
            control = ruling.control if unchanging else self.short_control
            tagged = [
                (b"etag", ruling.etag.encode()),
                (b"cache-control", control.encode()),
                (b"vary", VARY_RAW),
            ]
        else:
            tagged = [(b"cache-control", NO_STORE_RAW)]
        content = header_value(ruling.content_tags, read)
        if content:
            tagged.append((HEADER_RAW, content.encode()))
        return tagged

    @staticmethod
    def asks_for_graphiql(accept: str) -> bool:
        """Whether a GET with this Accept header asks for GraphiQL's page, which the app
        serves: not a GraphQL request of this layer's."""
        return "text/html" in accept

    @staticmethod
    def parsed(scope: Scope, body: bytes) -> dict[str, object] | None:
        """The fields of a GraphQL request (variables and extensions decoded); None for
        anything else, which the app answers (and rejects) itself."""
        try:
            if scope["method"] == "GET":
                # As Starlette parses it for the app: blanks kept, the last of a repeated name.
                query_string = scope.get("query_string", b"").decode("latin-1")
                found: object = _query_fields(query_string)
                assert isinstance(found, dict)
                for name in ("variables", "extensions"):
                    if isinstance(found.get(name), str):
                        found[name] = orjson.loads(str(found[name]))
            elif scope["method"] == "POST":
                found = orjson.loads(body)
            else:
                return None
        except (ValueError, RecursionError):
            return None
        return found if isinstance(found, dict) else None

    @staticmethod
    def asked(found: dict[str, object]) -> Asked | None:
        """What FOUND asks; None for what the app refuses as a request, and for variables
        nested past what orjson writes (hundreds of levels), which the app refuses or answers
        without this layer."""
        query, operation_name = found.get("query"), found.get("operationName")
        if not isinstance(query, str) or not isinstance(operation_name, str | None):
            return None
        if not all(
            isinstance(found.get(name), dict | None) for name in ("variables", "extensions")
        ):
            return None
        variables = found.get("variables")
        try:
            text = canonical(variables)
        except TypeError:  # orjson.JSONEncodeError: nested too deeply
            return None
        return Asked(query, variables, text, operation_name)


class HttpCache:
    def __init__(
        self,
        app: ASGIApp,
        *,
        path: str,
        view: ASGIApp | None = None,
        rules: CacheRules | None = None,
    ) -> None:
        self.app = app
        self.path = path
        self.view = app if view is None else view
        """The app of PATH, which the requests this layer answers go to directly: the router and
        the exception layer in between serve the other paths (a twentieth of a lookup's work)."""
        self.rules = CacheRules() if rules is None else rules

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        headers, rules = Headers(scope=scope), self.rules
        if scope["method"] == "GET" and rules.asks_for_graphiql(headers.get("accept", "")):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "POST" and _media_type(headers) != JSON:
            await self.app(scope, receive, send)  # the app refuses it (or it is a batch)
            return
        messages = await read_messages(receive) if scope["method"] == "POST" else []
        found = rules.parsed(scope, b"".join(message.get("body", b"") for message in messages))
        if found is not None:
            resolved = rules.documents.resolve(found)
            if isinstance(resolved, Response):
                await resolved(scope, receive, send)
                return
            if resolved:  # the query came from the hash: the app must see it
                scope, messages = _with_query(scope, found)
            # Parsed once: the app reads the request from here (app.py: parse_http_body).
            scope.setdefault("hcpcs", {})["request"] = found
        request = None if found is None else rules.asked(found)

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        if request is None or found is None:
            await self.app(scope, replay, send)
            return
        await self._answer(scope, replay, send, headers, request, found.get("extensions"))

    async def _answer(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: Headers,
        request: Asked,
        extensions: object,
    ) -> None:
        note, rules = scope.get("hcpcs", {}), self.rules
        ruling = rules.rule(
            scope["app"].state, headers.get("accept", ""), request, extensions, note
        )
        not_modified = rules.not_modified(ruling, headers.get("if-none-match", ""), note)
        if not_modified is not None:
            await not_modified(scope, receive, send)
            return
        stored = rules.stored(scope["method"], ruling, note)
        if stored is not None:
            # A copy: the layers outside (CORS) add to the headers of the message they are sent.
            start = {"type": "http.response.start", "status": 200, "headers": [*stored.headers]}
            await send(start)
            await send({"type": "http.response.body", "body": stored.body})
            return
        started: list[Message] = []
        chunks: list[bytes] = []

        async def send_with_tags(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                # The app has executed the operation by now and noted its result.
                message["headers"] = [*message.get("headers", []), *rules.tags(ruling, note)]
                started.append({**message, "headers": [*message["headers"]]})
            elif message["type"] == "http.response.body" and started:
                chunks.append(message.get("body", b""))
            await send(message)

        await self.view(scope, receive, send_with_tags)
        if (
            started
            and note.get("errors") is False
            and scope["method"] == KEPT_METHOD
            and rules.store.admits(ruling.stored_key)
        ):
            kept = list(started[0]["headers"])
            found = answer(
                ruling.stored_key, 200, kept, b"".join(chunks), operation=ruling.facts.operation,
                seconds=int(note["keep"]),
            )  # fmt: skip
            rules.store.put(ruling.stored_key, found)


def _query_fields(query_string: str) -> dict[str, str]:
    """dict(parse_qsl(QUERY_STRING, keep_blank_values=True)), each field decoded once: parse_qsl
    decodes each `name=value` on its own, and a GET's document (most of its URL) repeats."""
    found: dict[str, str] = {}
    for part in query_string.split("&"):
        field = _query_field(part)
        if field is not None:
            found[field[0]] = field[1]
    return found


@functools.lru_cache(maxsize=256)
def _query_field(part: str) -> tuple[str, str] | None:
    # parse_qsl's reading of one field, without its list of fields and checks.
    if not part:
        return None
    name, _, value = part.partition("=")
    return unquote_plus(name), unquote_plus(value)


def canonical(value: object) -> bytes:
    """VALUE as JSON with its keys sorted: one text for one value. A value orjson parsed (in
    strict JSON: no NaN, no integer past 64 bits, which orjson would write as null or refuse)
    has one text, and two values the same text only when they are equal."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def _identity(state: object, accept: str, asked: Asked) -> tuple[DocumentFacts, str]:
    """The request's facts and its answer's ETag."""
    query, variables, text, operation_name = asked
    facts = _facts(query, variables, text, operation_name)
    # The media type the answer goes out as (media_types.py): part of what it is.
    etag = _etag(state, negotiate(accept), query, text, operation_name)
    return facts, etag


def _facts(query: str, variables: object, text: bytes, operation_name: str | None) -> DocumentFacts:
    """The facts of the request whose variables are VARIABLES, TEXT their canonical text."""
    used = variables_named(query)
    if isinstance(variables, dict) and used is not None:
        # The facts read a variable only where the document names it (not a client's nonce),
        # and a scalar given as a whole argument only to find it is not a status filter (not
        # a lookup's code): neither is part of the key they are remembered by.
        scalars = scalar_variables(query)
        kept = {
            name: value
            for name, value in variables.items()
            if name in used and not (name in scalars and isinstance(value, _SCALARS))
        }
        if len(kept) != len(variables):
            variables, text = kept, canonical(kept)
    # Remembered for small requests only: the memory it takes stays bounded.
    if len(query) + len(text) <= REMEMBERED_BYTES:
        return remembered_facts(query, text, operation_name)
    return document_facts(query, variables if isinstance(variables, dict) else None, operation_name)


def _etag(
    state: object, media_type: str, query: str, variables: bytes, operation_name: str | None
) -> str:
    """The answer's ETag: the hash of everything it depends on, VARIABLES their canonical text."""
    found = _hashed(*generation(state), media_type, query, operation_name).copy()
    found.update(variables)
    return '"' + found.hexdigest()[:32] + '"'


@functools.lru_cache(maxsize=256)
def _hashed(
    fingerprint: str, today: str, media_type: str, query: str, operation_name: str | None
) -> hashlib._Hash:
    """The hash of what an ETag depends on besides the variables, which follow it: a request
    hashes its variables, not its document again. A JSON array ends where it ends, so no
    variables can make two prefixes one."""
    return hashlib.sha256(orjson.dumps([fingerprint, today, media_type, query, operation_name]))


def _media_type(headers: Headers) -> str:
    return headers.get("content-type", "").partition(";")[0].strip().lower()


def _content_pinned(
    facts: DocumentFacts, extensions: object, tags: Mapping[str, str]
) -> frozenset[str]:
    """The releases the answer is fixed by, when the request pins each by its current content
    tag; empty when the answer may change."""
    pins = extensions.get(EXTENSION) if isinstance(extensions, dict) else None
    if facts.releases is None or not isinstance(pins, dict):
        return frozenset()
    if all(release in tags and pins.get(release) == tags[release] for release in facts.releases):
        return facts.releases
    return frozenset()


def entity_tags(value: str) -> Sequence[str]:
    """The entity tags of an If-None-Match header, weak ones as strong (a GET compares weakly)."""
    return [tag.strip().removeprefix("W/") for tag in value.split(",") if tag.strip()]


def fingerprint(release_files: Sequence[str], version: str) -> str:
    """What answers depend on besides the request: the releases' files and this program."""
    return hashlib.sha256(json.dumps([sorted(release_files), version]).encode()).hexdigest()


def _with_query(scope: Scope, found: dict[str, object]) -> tuple[Scope, list[Message]]:
    """The request as the app must see it: with the query the hash stood for."""
    if scope["method"] == "GET":
        fields = {
            name: value if isinstance(value, str) else json.dumps(value)
            for name, value in found.items()
        }
        return {**scope, "query_string": urlencode(fields).encode()}, []
    body = json.dumps(found).encode()
    headers = [(name, value) for name, value in scope["headers"] if name != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    message: Message = {"type": "http.request", "body": body, "more_body": False}
    return {**scope, "headers": headers}, [message]
