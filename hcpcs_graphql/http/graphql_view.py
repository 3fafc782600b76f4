"""The GraphQL view: Strawberry's ASGI view reading the request as the HTTP cache parsed it,
encoding with orjson, and noting for the middleware what the execution found (its errors, the
releases that answered)."""

from __future__ import annotations

import contextvars
import json
from collections.abc import Mapping
from typing import Any, cast

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException, StarletteRequestAdapter
from cross_web.request._base import QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from hcpcs_graphql.domain.unicode import lone_surrogate
from hcpcs_graphql.http import graphiql_page
from hcpcs_graphql.http.errors import error_response
from hcpcs_graphql.http.graphiql_page import POLICY
from hcpcs_graphql.http.media_types import GRAPHQL_RESPONSE, negotiate
from hcpcs_graphql.http.request_headers import first_header
from hcpcs_graphql.services.admission import RETRY_SECONDS
from hcpcs_graphql.services.context import Context, make_context

_PARSED: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "parsed", default=None
)
"""The request as the HTTP cache parsed it, while Strawberry reads the request."""
_METHODS = ("GET", "POST")
_ALLOWED = {
    "GET": frozenset(OperationType.from_http("GET")),
    "POST": frozenset(OperationType.from_http("POST")),
}
"""The operation types each method may run (Strawberry's from_http, built once)."""
_STREAMED = 64
"""Accept headers whose streaming transport is remembered (clients send few distinct ones)."""
_NOT_AN_OBJECT = "The GraphQL operation's `{}` must be an object or null, if provided."


class ParsedRequestAdapter(StarletteRequestAdapter):
    """Strawberry's request adapter, whose query parameters are those the HTTP cache parsed, when
    it did: Starlette would parse the query string (the whole document) once more for Strawberry
    to find `query` in it."""

    @property
    def query_params(self) -> QueryParams:
        request = self._request
        found = request.scope.get("hcpcs", {}).get("request")
        if found is not None and request.method == "GET":
            # Read only by Strawberry's `should_render_graphql_ide` (`query`) and passed to
            # parse_query_params below, which returns this very parse.
            return cast(QueryParams, found)
        return super().query_params


class GraphQLApp(GraphQL[Context, None]):
    request_adapter_class = ParsedRequestAdapter
    common_path = True
    """The common request (one operation the HTTP cache parsed, a GET or a JSON POST, no
    GraphiQL, no streaming) skips Strawberry's view (its Request, request adapter, sub-response,
    parse_http_body): the same checks, the same execution, the same answer
    (tests/http/test_common_path.py compares them). False: Strawberry's view for every request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._streamed: dict[str, bool] = {}
        """By Accept header: whether a streaming transport takes it (`_streams`)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        accept = _accept(scope)
        response = await self.response(scope, receive, accept, self.common(scope, accept))
        await response(scope, receive, send)

    async def response(
        self, scope: Scope, receive: Receive, accept: str, found: dict[str, Any] | None
    ) -> Response:
        """The answer to the request of SCOPE, whose Accept header is ACCEPT; FOUND, the
        request when it takes the common path (`common`)."""
        media_type = negotiate(accept)
        try:
            if found is None:
                response = await self.run(Request(scope=scope, receive=receive))
            else:
                response = await self._run_common(scope, found, accept, media_type)
        except HTTPException as error:
            # Strawberry refuses a malformed request in plain text; clients read JSON.
            status = error.status_code
            allow = {"allow": "GET, POST"} if status == 405 else None
            response = error_response(status, error.reason, headers=allow)
        if response.media_type != "text/html":
            # Starlette gives a text/ type a charset; a response made as this type has it.
            if response.media_type != media_type or media_type.startswith("text/"):
                response.headers["content-type"] = media_type
            note = scope.get("hcpcs", {})
            if note.get("overloaded"):
                response.status_code = 503
                response.headers["retry-after"] = str(RETRY_SECONDS)
            elif media_type == GRAPHQL_RESPONSE and note.get("request_error"):
                response.status_code = 400
        return response

    def common(self, scope: Scope, accept: str) -> dict[str, Any] | None:
        """The request as the HTTP cache parsed it, when it takes the common path."""
        found = scope.get("hcpcs", {}).get("request")
        if (
            not self.common_path
            or not isinstance(found, dict)
            or scope["method"] not in _METHODS
            # Strawberry's view: GraphiQL (no query), an error for a query not a string.
            or not isinstance(found.get("query"), str)
            or self._streams(accept)
        ):
            return None
        return found

    def _streams(self, accept: str) -> bool:
        """Whether a streaming transport (multipart, SSE) accepts ACCEPT: Strawberry's view."""
        streams = self._streamed
        found = streams.get(accept)
        if found is None:
            if len(streams) >= _STREAMED:
                streams.clear()
            found = streams[accept] = (
                self._get_stream_transport_from_headers({"accept": accept}) is not None
            )
        return found

    async def _run_common(
        self, scope: Scope, found: dict[str, Any], accept: str, media_type: str
    ) -> Response:
        """What Strawberry's `run` does for FOUND, in its order, without its request objects."""
        method = scope["method"]
        if method == "GET":
            self._checked_query_params(found)
        else:  # a JSON POST: the HTTP cache parses no other (caching.py)
            self._checked(found)
        variables, extensions = found.get("variables"), found.get("extensions")
        if not isinstance(variables, dict | None):
            raise HTTPException(400, _NOT_AN_OBJECT.format("variables"))
        if not isinstance(extensions, dict | None):
            raise HTTPException(400, _NOT_AN_OBJECT.format("extensions"))
        context = self._context(scope)
        try:
            result = await self.schema.execute(
                found["query"],
                root_value=None,
                variable_values=variables,
                context_value=context,
                operation_name=found.get("operationName"),
                allowed_operation_types=_ALLOWED[method],
                operation_extensions=extensions,
            )
        except CannotGetOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason()) from error
        except InvalidOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason(method)) from error
        except MissingQueryError as error:
            raise HTTPException(400, "No GraphQL query found in the request") from error
        processed = self._processed(scope, accept, result)
        # Made as the type it goes out as: no header to replace (__call__).
        return Response(self.encode_json(processed), status_code=200, media_type=media_type)

    async def render_graphql_ide(self, request: Request) -> Response:
        # GraphiQL with its assets from this server and a few ready example queries.
        return HTMLResponse(graphiql_page.PAGE, headers={"content-security-policy": POLICY})

    def encode_json(self, data: object) -> bytes:
        # orjson: several times json's speed on an answer; the same JSON, in UTF-8 rather than
        # with non-ASCII characters escaped. What it refuses (an integer past 64 bits, which no
        # field of ours holds) json still encodes.
        try:
            return orjson.dumps(data)
        except TypeError:  # orjson.JSONEncodeError
            return json.dumps(data, separators=(",", ":")).encode()

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        # Strawberry answers another content type with a 400; it is a 415, known from the
        # request's content type (the rule of Strawberry's parse_http_body).
        if request.method != "GET":  # a GET's content type is not read
            content_type, _ = parse_content_type(request.content_type or "")
            accepted = "application/json" in content_type or (
                self.multipart_uploads_enabled and content_type == "multipart/form-data"
            )
            if not accepted:
                raise HTTPException(415, "Unsupported content type")
        # Strawberry reads what the HTTP cache already parsed (parse_query_params, parse_json).
        inner = getattr(request, "_request", None)
        note = inner.scope.get("hcpcs", {}) if isinstance(inner, Request) else {}
        token = _PARSED.set(note.get("request"))
        try:
            return await super().parse_http_body(request)
        finally:
            _PARSED.reset(token)

    def parse_query_params(self, params: Mapping[str, str | None]) -> dict[str, Any]:
        found = _PARSED.get()
        if found is None:
            return super().parse_query_params(params)
        return self._checked_query_params(found)

    def _checked_query_params(self, found: dict[str, Any]) -> dict[str, Any]:
        # What the HTTP cache parsed of this query string, checked as parse_json checks.
        for name in ("variables", "extensions"):
            if name in found:
                self._checked(found[name])
        return found

    def parse_json(self, data: str | bytes) -> Any:
        found = _PARSED.get()
        if found is not None:  # this very body, parsed by the HTTP cache
            return self._checked(found)
        return self._checked(self._decoded(data))

    @staticmethod
    def _decoded(data: str | bytes) -> Any:
        try:
            return json.loads(data)
        except RecursionError:
            raise HTTPException(400, "The request body is nested too deeply") from None
        except UnicodeDecodeError:
            raise HTTPException(400, "The request body is not valid UTF-8") from None
        except ValueError:  # not JSON, or an integer past Python's int_max_str_digits
            raise HTTPException(400, "Unable to parse request body as JSON") from None

    @staticmethod
    def _checked(parsed: Any) -> Any:
        # Also the variables and extensions of a GET, which must be objects too.
        try:
            surrogate = lone_surrogate(parsed)
        except RecursionError:
            raise HTTPException(400, "The request body is nested too deeply") from None
        if surrogate:
            raise HTTPException(400, "The request holds a lone surrogate: not valid Unicode")
        if not isinstance(parsed, dict):  # a batch (an array) is split up before (batches.py)
            raise HTTPException(400, "The request body must be a JSON object")
        return parsed

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return self._context(request.scope)

    @staticmethod
    def _context(scope: Scope) -> Context:
        state = scope["app"].state
        context = make_context(
            state.connection, state.catalog, limits=state.settings.limits, gate=state.gate
        )
        scope.setdefault("hcpcs", {})["context"] = context
        return context

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        return self._processed(request.scope, _accept(request.scope), result)

    @staticmethod
    def _processed(scope: Scope, accept: str, result: ExecutionResult) -> GraphQLHTTPResponse:
        # The facts the middleware (caching, metrics) decide by: the execution's errors and the
        # releases that answered.
        note = scope.setdefault("hcpcs", {})
        note["errors"] = bool(result.errors)
        for error in result.errors or ():
            # Logged already (schema/errors.py) and never sent: the traceback holds the frames
            # that hold the error, a cycle left for the collector by each refusal.
            error.__traceback__ = None
            if error.original_error is not None:
                error.original_error.__traceback__ = None
        # Found before execution (no field ran, so no error has a path): the document does not
        # parse or validate, or the variables do not coerce.
        note["request_error"] = request_error = (
            result.data is None
            and bool(result.errors)
            and all(error.path is None for error in result.errors or ())
        )
        context = note.pop("context", None)
        if isinstance(context, Context):
            note["answered"] = tuple(context.answered)
            note["overloaded"] = context.overloaded
        processed = process_result(result)  # Strawberry's own (its view's process_result)
        if request_error and negotiate(accept) == GRAPHQL_RESPONSE:
            processed.pop("data", None)
        return processed


def _accept(scope: Scope) -> str:
    return first_header(scope, b"accept")
