"""Arguments that several fields share, each with its description."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry

from hcpcs_graphql.services.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

ReleaseArgument = Annotated[
    str | None,
    strawberry.argument(
        description="A release id (YYYY-MM, see `releases`). Without it or `asOf`, the release "
        "in effect today: the newest whose effective date is not in the future."
    ),
]
AsOfArgument = Annotated[
    datetime.date | None,
    strawberry.argument(
        name="asOf",
        description="Answer from the release in effect on this date: the newest whose "
        "effective date is on or before it. Not with `release`.",
    ),
]
FirstArgument = Annotated[
    int | None,
    strawberry.argument(
        description=f"How many codes the page holds: {DEFAULT_PAGE_SIZE} when omitted, "
        f"at most {MAX_PAGE_SIZE}."
    ),
]
AfterArgument = Annotated[
    str | None,
    strawberry.argument(
        description="The cursor of the code the page starts after (`pageInfo.endCursor`)."
    ),
]
LastArgument = Annotated[
    int | None,
    strawberry.argument(
        description=f"How many codes the page holds, counted back from its end (from `before`, "
        f"else from the end of the set): at most {MAX_PAGE_SIZE}."
    ),
]
BeforeArgument = Annotated[
    str | None,
    strawberry.argument(
        description="The cursor of the code the page ends before (`pageInfo.startCursor`), to "
        "page backwards with `last`."
    ),
]
