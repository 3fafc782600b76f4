"""The ASGI app: GraphQL (with GraphiQL) on /graphql, each release as CSV or NDJSON on
/export/{release}.csv and .ndjson, liveness on /healthz, readiness on /readyz; request bodies of
at most 64 KiB (HCPCS_MAX_BODY_KB); batches when HCPCS_BATCH_MAX allows them."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from hcpcs_graphql.db.connection import DEFAULT_DB, connect_read_only, statement_clock
from hcpcs_graphql.db.health import async_problem, changed, file_identity
from hcpcs_graphql.domain.calendar import today_from
from hcpcs_graphql.http import clinical_tables
from hcpcs_graphql.http.answer_store import ResponseStore
from hcpcs_graphql.http.app_state import AppState
from hcpcs_graphql.http.content import HEADER as CONTENT_HEADER
from hcpcs_graphql.http.content import content_tag
from hcpcs_graphql.http.errors import error_response
from hcpcs_graphql.http.export import export
from hcpcs_graphql.http.feed import PATH as FEED_PATH
from hcpcs_graphql.http.feed import feed
from hcpcs_graphql.http.fhir.system import PREFIX as FHIR_PREFIX
from hcpcs_graphql.http.graphiql_page import STATIC
from hcpcs_graphql.http.graphql_view import GraphQLApp
from hcpcs_graphql.http.lane import Lane
from hcpcs_graphql.http.live import LiveReleases, catalog_fingerprint
from hcpcs_graphql.http.middleware.batches import Batches
from hcpcs_graphql.http.middleware.body_limit import BodyLimit
from hcpcs_graphql.http.middleware.caching import CacheRules, HttpCache
from hcpcs_graphql.http.middleware.cors import Cors
from hcpcs_graphql.http.middleware.deadline import Deadline, Watches
from hcpcs_graphql.http.middleware.metrics import Measured, Metrics
from hcpcs_graphql.http.middleware.security_headers import SecurityHeaders
from hcpcs_graphql.http.middleware.url_limit import UrlLimit
from hcpcs_graphql.http.on_first_request import OnFirstRequest
from hcpcs_graphql.http.settings import Settings
from hcpcs_graphql.http.stored_answers import StoredAnswers
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.admission import Gate
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.freshness import freshness

STARTUP_STATEMENT_SECONDS = 60.0
"""The time limit of the statements that read the catalog at start-up: HCPCS_STATEMENT_SECONDS
is for requests, and may be shorter than reading every release takes."""


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


def _fhir(metrics: Metrics) -> ASGIApp:
    # Its modules were 6 ms of every start; the first FHIR request takes them instead.
    from hcpcs_graphql.http.fhir.routes import fhir_router  # noqa: PLC0415

    return fhir_router(metrics)


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
            clock = statement_clock(connection)
            clock.seconds, clock.checks = settings.statement_seconds, settings.statement_checks
            app.state.content_tags = {
                release.id: content_tag(release) for release in catalog.releases
            }
            app.state.fingerprint = catalog_fingerprint(catalog)
            # Everything loaded so far lives as long as the process: keep it out of the
            # collector's way (fewer, shorter pauses under load). Not collected first: the
            # start leaves under a thousand objects of garbage, and a full collection of what
            # is loaded took about 70 ms of CPU, a tenth of the start.
            gc.freeze()
            yield
        finally:
            await connection.close()

    graphql = GraphQLApp(schema, allow_queries_via_get=True)
    metrics = Metrics()
    store = ResponseStore(settings.response_cache_bytes)
    # Shared by their layers and the common lane, which makes the same decisions (lane.py).
    rules = CacheRules(short=settings.cache_seconds, store=store, allow_list=settings.allow_list)
    watches = Watches(settings.request_seconds)
    app = Starlette(
        routes=[
            Route("/graphql", graphql),  # the app itself refuses other methods, in JSON
            Route("/export/{name}", export, methods=["GET"]),
            Route("/api/hcpcs/v3/search", clinical_tables.search, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route(FEED_PATH, feed, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics.endpoint, methods=["GET"]),
            # FHIR R4 terminology (docs/fhir.md), imported on the first FHIR request.
            Mount(FHIR_PREFIX, app=OnFirstRequest(functools.partial(_fhir, metrics))),
            Mount("/graphiql/static", StaticFiles(directory=STATIC / "graphiql")),
        ],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                Cors,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=list(settings.cors_headers),
                expose_headers=["etag", "content-disposition", CONTENT_HEADER],
                max_age=86400,
            ),
            Middleware(UrlLimit, max_bytes=settings.max_url_bytes),
            Middleware(Deadline, watches=watches),
            Middleware(BodyLimit, max_bytes=settings.max_body_bytes),
            Middleware(
                Batches,
                path="/graphql",
                max_operations=settings.batch_max,
            ),
            Middleware(Measured, path="/graphql", metrics=metrics),
            Middleware(HttpCache, path="/graphql", view=graphql, rules=rules),
        ],
        lifespan=lifespan,
        exception_handlers={404: refused, 405: refused},
    )
    app.state = AppState()
    # In front of everything, even of Starlette's own error handling: the releases looked at
    # (live.py), then an answer already given sent again without any layer (stored_answers.py).
    # Built now, before the lifespan reads the catalog.
    live = LiveReleases(app.build_middleware_stack(), db_path=db_path)
    lane = Lane(
        view=graphql,
        cache=rules,
        watches=watches,
        metrics=metrics,
        max_url_bytes=settings.max_url_bytes,
    )
    app.middleware_stack = StoredAnswers(
        live, path="/graphql", store=store, metrics=metrics, lane=lane
    )
    app.state.settings = settings
    # One gate a worker: its event loop is what heavy operations would hold.
    app.state.gate = Gate(settings.admission)
    return app


def app_from_environment() -> Starlette:
    """The factory uvicorn calls in each worker: the database path comes from HCPCS_DB."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    return create_app(Path(os.environ.get("HCPCS_DB", DEFAULT_DB)))
