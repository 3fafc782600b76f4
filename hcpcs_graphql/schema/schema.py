"""The schema, assembled in one place with its extensions."""

from __future__ import annotations

from pathlib import Path

from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig

from hcpcs_graphql.schema.admission import HeavyAdmission
from hcpcs_graphql.schema.answered import AnsweringReleases
from hcpcs_graphql.schema.coded import CODED_TYPES
from hcpcs_graphql.schema.errors import InternalErrors
from hcpcs_graphql.schema.execution import ExecutionContext
from hcpcs_graphql.schema.limits import QueryLimits
from hcpcs_graphql.schema.prepared import PreparedSchema
from hcpcs_graphql.schema.query import Query

SDL_PATH = Path(__file__).with_name("schema.graphql")


class _Schema(PreparedSchema):
    def _warn_for_federation_directives(self) -> None:
        # Strawberry's warning for a federation directive on a type of a plain Schema imports
        # strawberry.federation.schema_directives to look: 5 ms of every start, for a schema
        # whose types carry no schema directive (tests/schema/test_schema_docs.py).
        pass


# Strawberry builds these extensions per request; their LRU caches live at module level, so the
# parsed and validated documents are shared by every request. A query whose document was
# prepared once skips them (schema/prepared.py does their work directly).
schema = _Schema(
    query=Query,
    config=StrawberryConfig(disable_field_suggestions=True),
    types=list(CODED_TYPES),
    extensions=[
        InternalErrors,
        QueryLimits,
        AnsweringReleases,
        HeavyAdmission,
        lambda: ParserCache(maxsize=1024),
        lambda: ValidationCache(maxsize=1024),
    ],
    execution_context_class=ExecutionContext,
)


def export_sdl() -> str:
    return schema.as_str() + "\n"


def checked_in_sdl() -> str:
    """The SDL as checked in beside this module, which is export_sdl() (tests/schema fails when
    it is stale): read in well under a millisecond, where printing the schema takes about 10 ms
    of every start (the HTTP cache's fingerprint holds the SDL, http/live.py)."""
    return SDL_PATH.read_text(encoding="utf-8")
