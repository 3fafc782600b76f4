"""Every HCPCS_* variable the server reads, each declared once with its kind, default, unit and
docs page: settings.py reads them into Settings, scripts/docgen.py lists them in the docs."""

from __future__ import annotations

from dataclasses import fields

from hcpcs_graphql.db.connection import PROGRESS_STEPS, STATEMENT_CHECKS, STATEMENT_SECONDS
from hcpcs_graphql.domain.request_limits import Limits
from hcpcs_graphql.http.answer_store import STORE_BYTES
from hcpcs_graphql.http.middleware.batches import BATCH_MAX
from hcpcs_graphql.http.middleware.body_limit import MAX_BODY
from hcpcs_graphql.http.middleware.caching import SHORT
from hcpcs_graphql.http.middleware.deadline import REQUEST_SECONDS
from hcpcs_graphql.http.middleware.url_limit import MAX_URL
from hcpcs_graphql.http.setting_kinds import AllowList, Choice, Names, Number, Page, Setting
from hcpcs_graphql.http.stacks import DEFAULT_STACK, STACKS
from hcpcs_graphql.services.admission import HEAVY_COST, HEAVY_MAX, HEAVY_QUEUE
from hcpcs_graphql.services.catalog import ROW_CACHE_SIZE

CORS_HEADERS = (
    "content-type",
    "accept",
    "if-none-match",
    "authorization",
    "traceparent",
    "tracestate",
    "x-request-id",
    "apollographql-client-name",
    "apollographql-client-version",
)
"""Request headers a browser app on another origin may send (HCPCS_CORS_HEADERS): those of
GraphQL clients, tracing (W3C Trace Context) and Apollo's client awareness."""


HEADER_SECONDS = 10.0
"""Seconds a connection has to send the headers of a request (HCPCS_HEADER_SECONDS)."""
KEEP_ALIVE_SECONDS = 5
"""Seconds an idle kept-alive connection stays open (HCPCS_KEEP_ALIVE_SECONDS; uvicorn's)."""
MAX_CONNECTIONS = 1000
"""Connections (and requests in flight) one worker holds; past it, 503 (HCPCS_MAX_CONNECTIONS;
uvicorn's limit_concurrency)."""
MAX_HEADER = 32 * 1024
"""Bytes of a request line with its headers (HCPCS_MAX_HEADER_KB); 431 past it."""

SETTINGS: tuple[Setting, ...] = (
    Number(
        "HCPCS_STATEMENT_SECONDS",
        "statement_seconds",
        float,
        STATEMENT_SECONDS,
        0.001,
        "seconds",
        description="time limit of one SQL statement",
    ),
    Number(
        "HCPCS_STATEMENT_STEPS",
        "statement_checks",
        int,
        STATEMENT_CHECKS,
        0,
        f"{PROGRESS_STEPS:,} steps",
        description="work limit of one SQL statement, in SQLite virtual-machine steps (counted in "
        f"blocks of {PROGRESS_STEPS:,}): the same on any machine, unlike the time limit; 0 sets "
        "none",
    ),
    Number(
        "HCPCS_REQUEST_SECONDS",
        "request_seconds",
        float,
        REQUEST_SECONDS,
        0.001,
        "seconds",
        description="time limit of one request, until its answer starts",
    ),
    Number(
        "HCPCS_CACHE_SECONDS",
        "cache_seconds",
        int,
        SHORT,
        0,
        "seconds",
        description="`max-age` of answers that may change (not pinned to a release)",
    ),
    Number(
        "HCPCS_RESPONSE_CACHE_MB",
        "response_cache_bytes",
        int,
        STORE_BYTES >> 20,
        0,
        "MiB",
        description="memory for answers given before, sent again without execution",
        scale=1 << 20,
    ),
    Number(
        "HCPCS_ROW_CACHE",
        "row_cache",
        int,
        ROW_CACHE_SIZE,
        0,
        "rows",
        description="code rows kept in memory per process (a release has about 9,000); 0 turns it "
        "off",
    ),
    Number(
        "HCPCS_MAX_BODY_KB",
        "max_body_bytes",
        int,
        MAX_BODY >> 10,
        1,
        "KiB",
        description="KiB of a request body (413 above); 128 lets `reconcile` take 10,000 codes",
        scale=1 << 10,
    ),
    Number(
        "HCPCS_BATCH_MAX",
        "batch_max",
        int,
        BATCH_MAX,
        0,
        "operations",
        description="operations in one batch (a JSON array); 0 refuses batches",
    ),
    Names(
        "HCPCS_CORS_ORIGINS",
        "cors_origins",
        ("*",),
        "`*`",
        description="origins allowed by CORS, comma-separated",
    ),
    AllowList(
        "HCPCS_ALLOW_LIST",
        "allow_list",
        description="a JSON file listing the only documents accepted",
    ),
    Number(
        "HCPCS_HEADER_SECONDS",
        "header_seconds",
        float,
        HEADER_SECONDS,
        0.1,
        "seconds",
        description="seconds a connection has to send the headers of a request, from when it opens "
        "(or from the first byte of its next request); past it, 408 and the connection is closed",
        page=Page.OPERATIONS,
    ),
    Number(
        "HCPCS_KEEP_ALIVE_SECONDS",
        "keep_alive_seconds",
        int,
        KEEP_ALIVE_SECONDS,
        1,
        "seconds",
        description="seconds an idle kept-alive connection stays open (uvicorn's "
        "`timeout_keep_alive`)",
        page=Page.OPERATIONS,
    ),
    Number(
        "HCPCS_MAX_CONNECTIONS",
        "max_connections",
        int,
        MAX_CONNECTIONS,
        1,
        "connections",
        description="connections (and requests in flight) one worker holds; past it uvicorn "
        "answers 503 (`limit_concurrency`)",
        page=Page.OPERATIONS,
    ),
    Number(
        "HCPCS_MAX_HEADER_KB",
        "max_header_bytes",
        int,
        MAX_HEADER >> 10,
        1,
        "KiB",
        description="KiB of the request line with its headers; past it, 431 and the connection is "
        "closed",
        page=Page.OPERATIONS,
        scale=1 << 10,
    ),
    Number(
        "HCPCS_MAX_URL_KB",
        "max_url_bytes",
        int,
        MAX_URL >> 10,
        1,
        "KiB",
        description="KiB of the path with its query string; past it, 414 (send a POST)",
        page=Page.OPERATIONS,
        scale=1 << 10,
    ),
    Names(
        "HCPCS_CORS_HEADERS",
        "cors_headers",
        CORS_HEADERS,
        "see below",
        description="request headers a browser app on another origin may send, comma-separated",
        page=Page.OPERATIONS,
        header_names=True,
    ),
    Choice(
        "HCPCS_STACK",
        "stack",
        tuple(STACKS),
        DEFAULT_STACK,
        description="uvicorn's event loop and HTTP parser for `hcpcs serve` (its `--stack` wins): "
        "asyncio with h11, asyncio with httptools, uvloop with httptools (see "
        "[Performance](performance.md#the-stack))",
        page=Page.OPERATIONS,
    ),
)
"""Every setting but the request limits, each read from its HCPCS_* variable."""

LIMIT_SETTINGS: tuple[Number, ...] = tuple(
    Number(
        f"HCPCS_MAX_{limit.name.upper()}",
        limit.name,
        int,
        getattr(Limits(), limit.name),
        1,
        "",
        description=f"the request limit on {limit.name} (see [Limits](#limits))",
    )
    for limit in fields(Limits)
)
"""The request limits (HCPCS_MAX_DEPTH, ...), one per field of Limits."""

ADMISSION_SETTINGS: tuple[Number, ...] = (
    Number(
        "HCPCS_HEAVY_COST",
        "heavy_cost",
        int,
        HEAVY_COST,
        0,
        "",
        description="the cost (as the cost limit counts it) from which an operation is heavy; 0 "
        "turns admission off",
        page=Page.OPERATIONS,
    ),
    Number(
        "HCPCS_HEAVY_MAX",
        "heavy_max",
        int,
        HEAVY_MAX,
        1,
        "operations",
        description="heavy operations one worker runs at once",
        page=Page.OPERATIONS,
    ),
    Number(
        "HCPCS_HEAVY_QUEUE",
        "heavy_queue",
        int,
        HEAVY_QUEUE,
        0,
        "operations",
        description="heavy operations that may wait for their turn; past it, 503 `OVERLOADED` with "
        "`Retry-After` (see [Performance](performance.md))",
        page=Page.OPERATIONS,
    ),
)
"""Admission of heavy operations, one per field of AdmissionSettings."""
