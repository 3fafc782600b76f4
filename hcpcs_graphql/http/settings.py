"""The server's settings, from HCPCS_* environment variables, checked before the port is bound:
a bad value stops `hcpcs serve` with one line naming the variable (setting_registry.py declares
the variables)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hcpcs_graphql.db.connection import STATEMENT_CHECKS, STATEMENT_SECONDS
from hcpcs_graphql.domain.request_limits import Limits
from hcpcs_graphql.http.answer_store import STORE_BYTES
from hcpcs_graphql.http.middleware.batches import BATCH_MAX
from hcpcs_graphql.http.middleware.body_limit import MAX_BODY
from hcpcs_graphql.http.middleware.caching import SHORT
from hcpcs_graphql.http.middleware.deadline import REQUEST_SECONDS
from hcpcs_graphql.http.middleware.url_limit import MAX_URL
from hcpcs_graphql.http.setting_kinds import Setting
from hcpcs_graphql.http.setting_registry import (
    ADMISSION_SETTINGS,
    CORS_HEADERS,
    HEADER_SECONDS,
    KEEP_ALIVE_SECONDS,
    LIMIT_SETTINGS,
    MAX_CONNECTIONS,
    MAX_HEADER,
    SETTINGS,
)
from hcpcs_graphql.http.stacks import DEFAULT_STACK
from hcpcs_graphql.services.admission import AdmissionSettings
from hcpcs_graphql.services.catalog import ROW_CACHE_SIZE


@dataclass(frozen=True, slots=True)
class Settings:
    statement_seconds: float = STATEMENT_SECONDS
    statement_checks: int = STATEMENT_CHECKS
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
    stack: str = DEFAULT_STACK
    allow_list: dict[str, str] | None = None
    """Registered documents by sha256; None accepts any document."""
    limits: Limits = field(default_factory=Limits)
    admission: AdmissionSettings = field(default_factory=AdmissionSettings)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        def read(setting: Setting) -> Any:
            return setting.read(environ.get(setting.variable, "").strip())

        limits = Limits(**{setting.attribute: read(setting) for setting in LIMIT_SETTINGS})
        admission = AdmissionSettings(
            **{setting.attribute: read(setting) for setting in ADMISSION_SETTINGS}
        )
        return cls(
            **{setting.attribute: read(setting) for setting in SETTINGS},
            limits=limits,
            admission=admission,
        )
