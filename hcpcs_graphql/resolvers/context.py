from __future__ import annotations

from dataclasses import dataclass

import aiosqlite
import strawberry

from hcpcs_graphql.resolvers.catalog import Catalog
from hcpcs_graphql.resolvers.loaders import Loaders


@dataclass(kw_only=True)
class Context:
    connection: aiosqlite.Connection
    catalog: Catalog
    loaders: Loaders


Info = strawberry.Info[Context, None]


def make_context(connection: aiosqlite.Connection, catalog: Catalog) -> Context:
    """The context of one request: the app's get_context and the tests both call this."""
    return Context(connection=connection, catalog=catalog, loaders=Loaders.create(connection))
