"""The ASGI app: GraphQL (with GraphiQL) on /graphql, each release as CSV or NDJSON on
/export/{release}.csv and .ndjson, liveness on /healthz, readiness on /readyz; request bodies of
at most 64 KiB (HCPCS_MAX_BODY_KB); batches when HCPCS_BATCH_MAX allows them."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from hcpcs_graphql.batches import Batches
from hcpcs_graphql.body_limit import BodyLimit
from hcpcs_graphql.db.connection import DEFAULT_DB, connect_read_only
from hcpcs_graphql.deadline import Deadline
from hcpcs_graphql.export_endpoint import export
from hcpcs_graphql.http import clinical_tables
from hcpcs_graphql.http.feed import PATH as FEED_PATH
from hcpcs_graphql.http.feed import feed
from hcpcs_graphql.http.fhir.routes import fhir_mount
from hcpcs_graphql.http.live import LiveReleases, catalog_fingerprint
from hcpcs_graphql.http_cache import HttpCache
from hcpcs_graphql.http_errors import error_response
from hcpcs_graphql.metrics import Measured, Metrics
from hcpcs_graphql.resolvers.catalog import Catalog
from hcpcs_graphql.resolvers.context import Context, make_context
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.settings import Settings

STATIC = Path(__file__).with_name("static")
GRAPHIQL_PAGE = (STATIC / "graphiql" / "index.html").read_text()


class GraphQLApp(GraphQL[Context, None]):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as error:
            # Strawberry refuses a malformed request in plain text; clients read JSON.
            status = 415 if error.reason == "Unsupported content type" else error.status_code
            allow = {"allow": "GET, POST"} if status == 405 else None
            response = error_response(status, error.reason, headers=allow)
        await response(scope, receive, send)

    async def render_graphql_ide(self, request: Request) -> Response:
        # GraphiQL with its assets from this server (no CDN: hospitals and air-gapped networks
        # block them) and a few ready example queries.
        return HTMLResponse(GRAPHIQL_PAGE)

    def parse_json(self, data: str | bytes) -> Any:
        try:
            parsed = super().parse_json(data)
        except RecursionError:
            raise HTTPException(400, "The request body is nested too deeply") from None
        if not isinstance(parsed, dict):  # a batch (an array) is split up before (batches.py)
            raise HTTPException(400, "The request body must be a JSON object")
        return parsed

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        state = request.app.state
        return make_context(state.connection, state.catalog, limits=state.settings.limits)


async def healthz(request: Request) -> JSONResponse:
    """Alive: the process answers."""
    catalog: Catalog = request.app.state.catalog
    return JSONResponse({"status": "ok", "releases": [release.id for release in catalog.releases]})


async def readyz(request: Request) -> JSONResponse:
    """Ready: the database answers a query and holds a release."""
    connection = request.app.state.connection
    try:
        rows = list(await connection.execute_fetchall("select id from release order by id"))
    except (sqlite3.Error, ValueError):
        return JSONResponse({"status": "database unavailable"}, status_code=503)
    if not rows:
        return JSONResponse({"status": "no release loaded"}, status_code=503)
    return JSONResponse({"status": "ready", "releases": [release_id for (release_id,) in rows]})


def create_app(db_path: Path, settings: Settings | None = None) -> Starlette:
    """The app serving DB_PATH; its settings from the environment (HCPCS_*) unless given."""
    if settings is None:
        settings = Settings.from_environment(os.environ)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        connection = await connect_read_only(db_path, settings.statement_seconds)
        try:
            app.state.connection = connection
            app.state.catalog = catalog = await Catalog.read(connection, settings.row_cache)
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
            Middleware(LiveReleases, db_path=db_path),
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["content-type", "if-none-match"],
                expose_headers=["etag", "content-disposition"],
                max_age=86400,
            ),
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
    )
    app.state.settings = settings
    return app


def app_from_environment() -> Starlette:
    """The factory uvicorn calls in each worker: the database path comes from HCPCS_DB."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    return create_app(Path(os.environ.get("HCPCS_DB", DEFAULT_DB)))
