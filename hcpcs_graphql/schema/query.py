"""The root fields: a readable table of what the API offers."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hcpcs_graphql.resolvers import codes as code_resolvers
from hcpcs_graphql.resolvers.codes import MAX_CODES
from hcpcs_graphql.resolvers.context import Info
from hcpcs_graphql.schema.code import Code
from hcpcs_graphql.schema.release import Release, release_of

ReleaseArgument = Annotated[
    str | None,
    strawberry.argument(
        description="A release id (YYYY-MM, see `releases`); the newest release when omitted."
    ),
]


async def code(
    info: Info,
    code: Annotated[
        str,
        strawberry.argument(description="The code, e.g. A9597, or a modifier, e.g. LT; any case."),
    ],
    release: ReleaseArgument = None,
) -> Code | None:
    row = await code_resolvers.code(info.context, code, release)
    return None if row is None else Code.from_row(row, info.context.catalog)


async def codes(
    info: Info,
    codes: Annotated[
        list[str],
        strawberry.argument(description=f"Up to {MAX_CODES} codes, in any case."),
    ],
    release: ReleaseArgument = None,
) -> list[Code | None]:
    rows = await code_resolvers.codes(info.context, codes, release)
    catalog = info.context.catalog
    return [None if row is None else Code.from_row(row, catalog) for row in rows]


def releases(info: Info) -> list[Release]:
    return [release_of(row) for row in info.context.catalog.releases]


@strawberry.type(description="Reference data of the CMS HCPCS Level II code set.")
class Query:
    code: Code | None = strawberry.field(
        resolver=code,
        description="A code of one release; null when the release does not have it.",
    )
    codes: list[Code | None] = strawberry.field(
        resolver=codes,
        description=f"Several codes of one release at once (at most {MAX_CODES}), in the "
        "order given; null for each code the release does not have.",
    )
    releases: list[Release] = strawberry.field(
        resolver=releases, description="The loaded releases, the newest first."
    )
