"""The server's settings, from HCPCS_* environment variables, checked before the port is bound:
a bad value stops `hcpcs serve` with one line naming the variable."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TypeVar

from hcpcs_graphql.db.connection import STATEMENT_SECONDS
from hcpcs_graphql.domain.request_limits import Limits
from hcpcs_graphql.http.middleware.batches import BATCH_MAX
from hcpcs_graphql.http.middleware.body_limit import MAX_BODY
from hcpcs_graphql.http.middleware.caching import SHORT, STORE_BYTES, document_hash
from hcpcs_graphql.http.middleware.deadline import REQUEST_SECONDS
from hcpcs_graphql.http.middleware.url_limit import MAX_URL
from hcpcs_graphql.services.admission import (
    HEAVY_COST,
    HEAVY_MAX,
    HEAVY_QUEUE,
    AdmissionSettings,
)
from hcpcs_graphql.services.catalog import ROW_CACHE_SIZE

N = TypeVar("N", int, float)

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


_LIMITS = {limit.name: getattr(Limits(), limit.name) for limit in fields(Limits)}
"""The request limits by name (HCPCS_MAX_DEPTH, ...), with their defaults."""


HEADER_SECONDS = 10.0
"""Seconds a connection has to send the headers of a request (HCPCS_HEADER_SECONDS)."""
KEEP_ALIVE_SECONDS = 5
"""Seconds an idle kept-alive connection stays open (HCPCS_KEEP_ALIVE_SECONDS; uvicorn's)."""
MAX_CONNECTIONS = 1000
"""Connections (and requests in flight) one worker holds; past it, 503 (HCPCS_MAX_CONNECTIONS;
uvicorn's limit_concurrency)."""
MAX_HEADER = 32 * 1024
"""Bytes of a request line with its headers (HCPCS_MAX_HEADER_KB); 431 past it."""

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
"""A header name (RFC 9110's token)."""


class SettingsError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Settings:
    statement_seconds: float = STATEMENT_SECONDS
    request_seconds: float = REQUEST_SECONDS
    max_body_bytes: int = MAX_BODY
    cache_seconds: int = SHORT
    response_cache_bytes: int = STORE_BYTES
    row_cache: int = ROW_CACHE_SIZE
    batch_max: int = BATCH_MAX
    cors_origins: tuple[str, ...] = ("*",)
    cors_headers: tuple[str, ...] = CORS_HEADERS
    header_seconds: float = HEADER_SECONDS
    keep_alive_seconds: int = KEEP_ALIVE_SECONDS
    max_connections: int = MAX_CONNECTIONS
    max_header_bytes: int = MAX_HEADER
    max_url_bytes: int = MAX_URL
    allow_list: dict[str, str] | None = None
    """Registered documents by sha256; None accepts any document."""
    limits: Limits = field(default_factory=Limits)
    admission: AdmissionSettings = field(default_factory=AdmissionSettings)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        def number(name: str, kind: Callable[[str], N], default: N, least: N, unit: str) -> N:
            text = environ.get(name, "").strip()
            if not text:
                return default
            try:
                value = kind(text)
            except ValueError:
                value = None
            if value is None or not value >= least or value == float("inf"):
                raise SettingsError(f"{name} must be {unit} of at least {least}, not {text!r}")
            return value

        def names(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
            found = tuple(item.strip() for item in environ.get(name, "").split(",") if item.strip())
            return found or default

        origins = names("HCPCS_CORS_ORIGINS", ("*",))
        headers = names("HCPCS_CORS_HEADERS", CORS_HEADERS)
        for header in headers:
            if not _TOKEN.fullmatch(header):
                raise SettingsError(f"HCPCS_CORS_HEADERS: {header!r} is not a header name")
        return cls(
            statement_seconds=number(
                "HCPCS_STATEMENT_SECONDS", float, STATEMENT_SECONDS, 0.001, "a number of seconds"
            ),
            request_seconds=number(
                "HCPCS_REQUEST_SECONDS", float, REQUEST_SECONDS, 0.001, "a number of seconds"
            ),
            max_body_bytes=number(
                "HCPCS_MAX_BODY_KB", int, MAX_BODY >> 10, 1, "a whole number of KiB"
            )
            << 10,
            cache_seconds=number("HCPCS_CACHE_SECONDS", int, SHORT, 0, "a whole number of seconds"),
            response_cache_bytes=number(
                "HCPCS_RESPONSE_CACHE_MB", int, STORE_BYTES >> 20, 0, "a whole number of MiB"
            )
            << 20,
            row_cache=number("HCPCS_ROW_CACHE", int, ROW_CACHE_SIZE, 0, "a whole number of rows"),
            batch_max=number("HCPCS_BATCH_MAX", int, BATCH_MAX, 0, "a whole number of operations"),
            cors_origins=origins,
            cors_headers=tuple(header.lower() for header in headers),
            allow_list=_allow_list(environ.get("HCPCS_ALLOW_LIST", "").strip()),
            header_seconds=number(
                "HCPCS_HEADER_SECONDS", float, HEADER_SECONDS, 0.1, "a number of seconds"
            ),
            keep_alive_seconds=number(
                "HCPCS_KEEP_ALIVE_SECONDS", int, KEEP_ALIVE_SECONDS, 1, "a whole number of seconds"
            ),
            max_connections=number(
                "HCPCS_MAX_CONNECTIONS", int, MAX_CONNECTIONS, 1, "a whole number of connections"
            ),
            max_header_bytes=number(
                "HCPCS_MAX_HEADER_KB", int, MAX_HEADER >> 10, 1, "a whole number of KiB"
            )
            << 10,
            max_url_bytes=number("HCPCS_MAX_URL_KB", int, MAX_URL >> 10, 1, "a whole number of KiB")
            << 10,
            limits=Limits(
                **{
                    name: number(f"HCPCS_MAX_{name.upper()}", int, default, 1, "a whole number")
                    for name, default in _LIMITS.items()
                }
            ),
            admission=AdmissionSettings(
                heavy_cost=number("HCPCS_HEAVY_COST", int, HEAVY_COST, 0, "a whole number"),
                heavy_max=number(
                    "HCPCS_HEAVY_MAX", int, HEAVY_MAX, 1, "a whole number of operations"
                ),
                heavy_queue=number(
                    "HCPCS_HEAVY_QUEUE", int, HEAVY_QUEUE, 0, "a whole number of operations"
                ),
            ),
        )


def _allow_list(path: str) -> dict[str, str] | None:
    """The documents of an allow-list file (a JSON list of documents), by sha256."""
    if not path:
        return None
    try:
        documents = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(f"HCPCS_ALLOW_LIST: {path}: {error.strerror}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise SettingsError(f"HCPCS_ALLOW_LIST: {path}: not JSON ({error})") from None
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        raise SettingsError(f"HCPCS_ALLOW_LIST: {path}: must be a JSON list of documents")
    return {document_hash(document): document for document in documents}
