"""The schema, assembled in one place with its extensions."""

from __future__ import annotations

from pathlib import Path

import strawberry
from strawberry.extensions import ParserCache, ValidationCache

from hcpcs_graphql.schema.coded import CODED_TYPES
from hcpcs_graphql.schema.query import Query

SDL_PATH = Path(__file__).with_name("schema.graphql")

# Each extension is built once here, not per request: an extension object built per request
# (the documented `lambda: ...` form) is fine for these two, whose caches live at module level.
schema = strawberry.Schema(
    query=Query,
    types=list(CODED_TYPES),
    extensions=[ParserCache(maxsize=1024), ValidationCache(maxsize=1024)],
)


def export_sdl() -> str:
    return schema.as_str() + "\n"
