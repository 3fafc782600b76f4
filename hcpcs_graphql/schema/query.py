"""The root fields: a readable table of what the API offers."""

from __future__ import annotations

import datetime
from typing import Annotated, TypedDict

import strawberry

from hcpcs_graphql.db import filters
from hcpcs_graphql.schema.arguments import (
    AfterArgument,
    AsOfArgument,
    BeforeArgument,
    FirstArgument,
    LastArgument,
    ReleaseArgument,
)
from hcpcs_graphql.schema.changes import CodeChangeConnection, changes
from hcpcs_graphql.schema.claims import ClaimLineCheck, ClaimLineInput
from hcpcs_graphql.schema.code import Code
from hcpcs_graphql.schema.code_table_fields import with_code_table_fields
from hcpcs_graphql.schema.connection import CodeConnection, CodeSearchConnection
from hcpcs_graphql.schema.dictionary import DataDictionary
from hcpcs_graphql.schema.filters import CodeFilter, CodeOrder, code_filter
from hcpcs_graphql.schema.node import Node
from hcpcs_graphql.schema.paging import page_of
from hcpcs_graphql.schema.reconcile import ChargemasterReview
from hcpcs_graphql.schema.release import Release, release_of
from hcpcs_graphql.services import claims, dictionary, global_ids, listing, reconcile
from hcpcs_graphql.services import codes as code_resolvers
from hcpcs_graphql.services.codes import MAX_CODES
from hcpcs_graphql.services.context import Info
from hcpcs_graphql.services.pagination import Page

FilterArgument = Annotated[
    CodeFilter | None, strawberry.argument(description="Which codes to keep; all when omitted.")
]


async def code(
    info: Info,
    code: Annotated[
        str,
        strawberry.argument(description="The code, e.g. A9597, or a modifier, e.g. LT; any case."),
    ],
    release: ReleaseArgument = None,
    as_of: AsOfArgument = None,
) -> Code | None:
    row = await code_resolvers.code(info.context, code, release, as_of)
    return Code.from_row_or_none(row, info.context.catalog)


async def node(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="A global id this API gave.")],
) -> Node | None:
    [row] = await global_ids.nodes(info.context, [id])
    return Code.from_row_or_none(row, info.context.catalog)


async def nodes(
    info: Info,
    ids: Annotated[
        list[strawberry.ID],
        strawberry.argument(description="Global ids this API gave, at most 100."),
    ],
) -> list[Node | None]:
    rows = await global_ids.nodes(info.context, ids)
    catalog = info.context.catalog
    return [Code.from_row_or_none(row, catalog) for row in rows]


async def codes(
    info: Info,
    codes: Annotated[
        list[str],
        strawberry.argument(description=f"Up to {MAX_CODES} codes, in any case."),
    ],
    release: ReleaseArgument = None,
    as_of: AsOfArgument = None,
) -> list[Code | None]:
    rows = await code_resolvers.codes(info.context, codes, release, as_of)
    catalog = info.context.catalog
    return [Code.from_row_or_none(row, catalog) for row in rows]


class _Chosen(TypedDict):
    code_filter: filters.CodeFilter | None
    release: str | None
    as_of: datetime.date | None
    page: Page


def _chosen(
    info: Info,
    filter: CodeFilter | None,
    release: str | None,
    as_of: datetime.date | None,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> _Chosen:
    """What allCodes and search pass on alike: the codes kept, the release and the page."""
    return _Chosen(
        code_filter=code_filter(filter, info.context.today),
        release=release,
        as_of=as_of,
        page=page_of(info, first=first, after=after, last=last, before=before),
    )


def all_codes(
    info: Info,
    filter: FilterArgument = None,
    order_by: Annotated[
        list[CodeOrder] | None,
        strawberry.argument(description="The order, key by key; by code when omitted."),
    ] = None,
    release: ReleaseArgument = None,
    as_of: AsOfArgument = None,
    first: FirstArgument = None,
    after: AfterArgument = None,
    last: LastArgument = None,
    before: BeforeArgument = None,
) -> CodeConnection:
    source = listing.all_codes(
        info.context,
        orders=[order.to_order() for order in order_by or ()],
        **_chosen(info, filter, release, as_of, first=first, after=after, last=last, before=before),
    )
    return CodeConnection(source=source)


async def search(
    info: Info,
    text: Annotated[
        str,
        strawberry.argument(
            description="What the user typed: a code, the start of a code (J-9035, j 9035 and "
            "J9035-JW find J9035), a code and words, or words (each matched as the start of a "
            "word of a description or as one of its inflections, all required; a word that no "
            "description holds is repaired, see corrections and ignoredWords)."
        ),
    ],
    filter: FilterArgument = None,
    release: ReleaseArgument = None,
    as_of: AsOfArgument = None,
    first: FirstArgument = None,
    after: AfterArgument = None,
    last: LastArgument = None,
    before: BeforeArgument = None,
) -> CodeSearchConnection:
    source = await listing.search(
        info.context,
        text=text,
        **_chosen(info, filter, release, as_of, first=first, after=after, last=last, before=before),
    )
    return CodeSearchConnection(source=source)


async def check_claim_lines(
    info: Info,
    lines: Annotated[
        list[ClaimLineInput],
        strawberry.argument(description=f"Up to {claims.MAX_LINES} claim lines."),
    ],
) -> list[ClaimLineCheck]:
    checks = await claims.check_claim_lines(info.context, [line.to_line() for line in lines])
    return [ClaimLineCheck.of(check, info) for check in checks]


async def reconcile_codes(
    info: Info,
    codes: Annotated[
        list[str],
        strawberry.argument(
            description=f"Up to {reconcile.MAX_RECONCILE_CODES:,} codes, in any case; repeats "
            "and blanks are allowed."
        ),
    ],
    from_: Annotated[str, strawberry.argument(name="from", description="The older release id.")],
    to: Annotated[str, strawberry.argument(description="The newer release id.")],
) -> ChargemasterReview:
    review = await reconcile.reconcile(info.context, codes, from_, to)
    return ChargemasterReview.of(review)


def data_dictionary(info: Info) -> DataDictionary:
    return DataDictionary.of(*dictionary.data_dictionary(info.context))


def releases(info: Info) -> list[Release]:
    return [release_of(row) for row in info.context.catalog.releases]


# The code tables' fields (schema/code_table_fields.py) come last, as they always have.
@strawberry.type(description="Reference data of the CMS HCPCS Level II code set.")
@with_code_table_fields
class Query:
    code: Code | None = strawberry.field(
        resolver=code,
        description="A code of one release; null when the release does not have it.",
    )
    node: Node | None = strawberry.field(
        resolver=node,
        description="The object with this global id (Relay); null when its release is no "
        "longer loaded or it does not exist.",
    )
    nodes: list[Node | None] = strawberry.field(
        resolver=nodes,
        description="The object of each global id, in order (Relay); null where none is.",
    )
    codes: list[Code | None] = strawberry.field(
        resolver=codes,
        description=f"Several codes of one release at once (at most {MAX_CODES}), in the "
        "order given; null for each code the release does not have.",
    )
    all_codes: CodeConnection = strawberry.field(
        resolver=all_codes,
        description="Every code of a release that passes the filter, in the order asked for, "
        "a page at a time.",
    )
    search: CodeSearchConnection = strawberry.field(
        resolver=search,
        description="Codes found by what a user types (typeahead): an exact code first, then "
        "the codes that start with the text, then description matches by relevance.",
    )
    check_claim_lines: list[ClaimLineCheck] = strawberry.field(
        resolver=check_claim_lines,
        description="Claim lines checked, each on its date of service against the release in "
        "effect that day, in the order given: a verdict about each code (valid, unknown, not "
        "yet effective, discontinued) with notes and modifier findings.",
    )
    reconcile: ChargemasterReview = strawberry.field(
        resolver=reconcile_codes,
        description="A chargemaster review: each code in a bucket (unchanged, description "
        "changed, payment-relevant change, discontinued, added, unknown, unchecked) by comparing "
        "its records in two releases, with counts.",
    )
    data_dictionary: DataDictionary = strawberry.field(
        resolver=data_dictionary,
        description="Every field of the CMS record with its positions and meaning, and every "
        "code table with its values, noting values a later record layout added.",
    )
    releases: list[Release] = strawberry.field(
        resolver=releases, description="The loaded releases, the newest first."
    )
    changes: CodeChangeConnection = strawberry.field(
        resolver=changes,
        description="The codes that differ between two releases (added, removed, "
        "discontinued, reactivated or changed), in code order, each with the fields that "
        "differ and their values before and after, a page at a time.",
    )
