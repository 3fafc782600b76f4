"""The ASGI app: GraphQL (with GraphiQL) on /graphql, each release as CSV or NDJSON on
/export/{release}.csv and .ndjson, liveness on /healthz, readiness on /readyz; request bodies of
at most 64 KiB (HCPCS_MAX_BODY_KB); batches when HCPCS_BATCH_MAX allows them."""

from __future__ import annotations

import contextlib
import contextvars
import gc
import json
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.applications import Starlette
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.types import ExecutionResult

from hcpcs_graphql.db.connection import DEFAULT_DB, connect_read_only, statement_clock
from hcpcs_graphql.db.health import async_problem, changed, file_identity
from hcpcs_graphql.domain.calendar import today_from
from hcpcs_graphql.domain.unicode import lone_surrogate
from hcpcs_graphql.http import clinical_tables, graphiql_page
from hcpcs_graphql.http.content import HEADER as CONTENT_HEADER
from hcpcs_graphql.http.content import content_tag
from hcpcs_graphql.http.errors import error_response
from hcpcs_graphql.http.export import export
from hcpcs_graphql.http.feed import PATH as FEED_PATH
from hcpcs_graphql.http.feed import feed
from hcpcs_graphql.http.fhir.routes import fhir_mount
from hcpcs_graphql.http.graphiql_page import POLICY, STATIC
from hcpcs_graphql.http.live import LiveReleases, catalog_fingerprint
from hcpcs_graphql.http.media_types import GRAPHQL_RESPONSE, negotiate
from hcpcs_graphql.http.middleware.batches import Batches
from hcpcs_graphql.http.middleware.body_limit import BodyLimit
from hcpcs_graphql.http.middleware.caching import HttpCache
from hcpcs_graphql.http.middleware.deadline import Deadline
from hcpcs_graphql.http.middleware.metrics import Measured, Metrics
from hcpcs_graphql.http.middleware.security_headers import SecurityHeaders
from hcpcs_graphql.http.middleware.url_limit import UrlLimit
from hcpcs_graphql.http.settings import Settings
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.admission import RETRY_SECONDS, Gate
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context, make_context
from hcpcs_graphql.services.freshness import freshness

_PARSED: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "parsed", default=None
)
"""The request as the HTTP cache parsed it, while Strawberry reads the request."""

STARTUP_STATEMENT_SECONDS = 60.0
"""The time limit of the statements that read the catalog at start-up: HCPCS_STATEMENT_SECONDS
is for requests, and may be shorter than reading every release takes."""


class GraphQLApp(GraphQL[Context, None]):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        try:
            response = await self.run(request)
        except HTTPException as error:
            # Strawberry refuses a malformed request in plain text; clients read JSON.
            status = error.status_code
            allow = {"allow": "GET, POST"} if status == 405 else None
            response = error_response(status, error.reason, headers=allow)
        if response.media_type != "text/html":
            media_type = negotiate(request.headers.get("accept", ""))
            response.headers["content-type"] = media_type
            note = scope.get("hcpcs", {})
            if note.get("overloaded"):
                response.status_code = 503
                response.headers["retry-after"] = str(RETRY_SECONDS)
            elif media_type == GRAPHQL_RESPONSE and note.get("request_error"):
                response.status_code = 400
        await response(scope, receive, send)

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
        content_type, _ = parse_content_type(request.content_type or "")
        accepted = "application/json" in content_type or (
            self.multipart_uploads_enabled and content_type == "multipart/form-data"
        )
        if request.method != "GET" and not accepted:
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
        state = request.app.state
        context = make_context(
            state.connection, state.catalog, limits=state.settings.limits, gate=state.gate
        )
        request.scope.setdefault("hcpcs", {})["context"] = context
        return context

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # The facts the middleware (caching, metrics) decide by: the execution's errors and the
        # releases that answered.
        note = request.scope.setdefault("hcpcs", {})
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
        processed = await super().process_result(request, result)
        if request_error and negotiate(request.headers.get("accept", "")) == GRAPHQL_RESPONSE:
            processed.pop("data", None)
        return processed


async def healthz(request: Request) -> JSONResponse:
    """Alive: the process answers. With the content tag of each release (content.py)."""
    catalog: Catalog = request.app.state.catalog
    return JSONResponse(
        {
            "status": "ok",
            "releases": [release.id for release in catalog.releases],
            "content": request.app.state.content_tags,
        }
    )


async def readyz(request: Request) -> JSONResponse:
    """Ready: the database answers a query and holds a release, and every table can be read."""
    connection = request.app.state.connection
    try:
        rows = list(await connection.execute_fetchall("select id from release order by id"))
    except (sqlite3.Error, ValueError):
        return JSONResponse({"status": "database unavailable"}, status_code=503)
    state = request.app.state
    damage = changed(state.db_path, state.db_identity) or await async_problem(connection)
    if damage is not None:
        return JSONResponse({"status": "database damaged", "problem": damage}, status_code=503)
    if not rows:
        return JSONResponse({"status": "no release loaded"}, status_code=503)
    current = freshness(state.catalog, today_from())
    return JSONResponse(
        {
            "status": "ready",
            "releases": [release_id for (release_id,) in rows],
            "freshness": None if current is None else current.as_json(),
        }
    )


async def refused(request: Request, error: Exception) -> Response:
    """A path or method the app does not serve: in JSON with a code, as every refusal."""
    assert isinstance(error, StarletteHTTPException)
    headers = dict(error.headers) if error.headers else None
    return error_response(error.status_code, error.detail, headers=headers)


def create_app(db_path: Path, settings: Settings | None = None) -> Starlette:
    """The app serving DB_PATH; its settings from the environment (HCPCS_*) unless given."""
    if settings is None:
        settings = Settings.from_environment(os.environ)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.db_path = db_path
        app.state.db_identity = file_identity(db_path)
        connection = await connect_read_only(db_path, STARTUP_STATEMENT_SECONDS)
        try:
            app.state.connection = connection
            app.state.catalog = catalog = await Catalog.read(connection, settings.row_cache)
            statement_clock(connection).seconds = settings.statement_seconds
            app.state.content_tags = {
                release.id: content_tag(release) for release in catalog.releases
            }
            app.state.fingerprint = catalog_fingerprint(catalog)
            # Everything loaded so far lives as long as the process: keep it out of the
            # collector's way (fewer, shorter pauses under load).
            gc.collect()
            gc.freeze()
            yield
        finally:
            await connection.close()

    graphql = GraphQLApp(schema, allow_queries_via_get=True)
    metrics = Metrics()
    app = Starlette(
        routes=[
            Route("/graphql", graphql),  # the app itself refuses other methods, in JSON
            Route("/export/{name}", export, methods=["GET"]),
            Route("/api/hcpcs/v3/search", clinical_tables.search, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route(FEED_PATH, feed, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics.endpoint, methods=["GET"]),
            fhir_mount(metrics),  # FHIR R4 terminology: docs/fhir.md
            Mount("/graphiql/static", StaticFiles(directory=STATIC / "graphiql")),
        ],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(LiveReleases, db_path=db_path),
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=list(settings.cors_headers),
                expose_headers=["etag", "content-disposition", CONTENT_HEADER],
                max_age=86400,
            ),
            Middleware(UrlLimit, max_bytes=settings.max_url_bytes),
            Middleware(
                Deadline,
                seconds=settings.request_seconds,
            ),
            Middleware(BodyLimit, max_bytes=settings.max_body_bytes),
            Middleware(
                Batches,
                path="/graphql",
                max_operations=settings.batch_max,
            ),
            Middleware(Measured, path="/graphql", metrics=metrics),
            Middleware(
                HttpCache,
                path="/graphql",
                short=settings.cache_seconds,
                store_bytes=settings.response_cache_bytes,
                allow_list=settings.allow_list,
            ),
        ],
        lifespan=lifespan,
        exception_handlers={404: refused, 405: refused},
    )
    app.state.settings = settings
    # One gate a worker: its event loop is what heavy operations would hold.
    app.state.gate = Gate(settings.admission)
    return app


def app_from_environment() -> Starlette:
    """The factory uvicorn calls in each worker: the database path comes from HCPCS_DB."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    return create_app(Path(os.environ.get("HCPCS_DB", DEFAULT_DB)))
