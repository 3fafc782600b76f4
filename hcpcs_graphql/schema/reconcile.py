"""The types of a chargemaster review (`reconcile`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hcpcs_graphql.db.reconcile import Bucket, ComparedField, Reviewed
from hcpcs_graphql.schema.arguments import (
    AfterArgument,
    BeforeArgument,
    FirstArgument,
    LastArgument,
)
from hcpcs_graphql.schema.code import Code, CrossReference
from hcpcs_graphql.schema.connection import PageInfo
from hcpcs_graphql.schema.enums import graphql_enum
from hcpcs_graphql.schema.paging import page_of
from hcpcs_graphql.schema.release import Release, release_of
from hcpcs_graphql.schema.suggestion import CodeSuggestion
from hcpcs_graphql.services.context import Info
from hcpcs_graphql.services.reconcile import Review, describe

graphql_enum(
    Bucket,
    name="ReconcileBucket",
    description="What happened to a code between the two releases of a review.",
)
graphql_enum(ComparedField, name="ReconcileField", description="A field that a review compares.")


@strawberry.type(description="A compared field whose value differs between the releases.")
class ReconcileFieldChange:
    field: ComparedField = strawberry.field(description="The field.")
    from_: str | None = strawberry.field(
        name="from",
        description="Its value in `from`, as CMS writes it (PRICE1-4 and TOS1-5 joined by "
        "blanks); null when blank.",
    )
    to: str | None = strawberry.field(description="Its value in `to`, likewise.")


async def _record(info: Info, release_id: str, code: str, present: bool) -> Code | None:
    if not present:
        return None
    row = await info.context.loaders.code.load((release_id, code))
    return Code.from_row_or_none(row, info.context.catalog)


async def _from(root: ReconcileEntry, info: Info) -> Code | None:
    return await _record(info, root.review.before.id, root.entry.code, root.entry.in_before)


async def _to(root: ReconcileEntry, info: Info) -> Code | None:
    return await _record(info, root.review.after.id, root.entry.code, root.entry.in_after)


async def _suggestions(root: ReconcileEntry, info: Info) -> list[CodeSuggestion]:
    key = root.review.suggestion_key(root.entry)
    if key is None:
        return []
    found = await root.review.suggester.load(key)
    return [CodeSuggestion.of(suggestion, info.context.catalog) for suggestion in found]


@strawberry.type(description="One code of a review.")
class ReconcileEntry:
    code: str = strawberry.field(description="The code (upper case, no blanks).")
    bucket: Bucket = strawberry.field(description="What happened to it.")
    message: str = strawberry.field(description="The bucket and its details in a sentence.")
    changes: list[ReconcileFieldChange] = strawberry.field(
        description="The compared fields that differ, for a code both releases have (a "
        "discontinued one too)."
    )
    from_: Code | None = strawberry.field(
        name="from", resolver=_from, description="The code in `from`; null when absent."
    )
    to: Code | None = strawberry.field(
        resolver=_to, description="The code in `to`; null when absent."
    )
    replacements: list[CrossReference] = strawberry.field(
        description="For a discontinued code, the codes CMS cross-references (XREF1-5)."
    )
    suggestions: list[CodeSuggestion] = strawberry.field(
        resolver=_suggestions,
        description="For an unknown code, valid codes of `to` it may have meant.",
    )
    entry: strawberry.Private[Reviewed]
    review: strawberry.Private[Review]

    @classmethod
    def of(cls, entry: Reviewed, review: Review) -> ReconcileEntry:
        latest = review.after if entry.in_after else review.before
        return cls(
            code=entry.code,
            bucket=entry.bucket,
            message=describe(entry, review),
            changes=[
                ReconcileFieldChange(field=change.field, from_=change.before, to=change.after)
                for change in entry.changes
            ],
            replacements=[
                CrossReference(code=code, release_id=latest.id) for code in entry.cross_references
            ],
            entry=entry,
            review=review,
        )


@strawberry.type(description="A reviewed code in a connection.")
class ReconcileEdge:
    cursor: str = strawberry.field(description="Where this entry lies in the connection.")
    node: ReconcileEntry = strawberry.field(description="The entry.")


@strawberry.type(description="Entries of a review, a page at a time, in the order given.")
class ReconcileConnection:
    edges: list[ReconcileEdge] = strawberry.field(description="The entries of the page.")
    page_info: PageInfo = strawberry.field(description="Where the page lies.")
    total_count: int = strawberry.field(description="Entries in the buckets asked for.")


@strawberry.type(description="How many codes of a review fell in a bucket.")
class ReconcileCount:
    bucket: Bucket = strawberry.field(description="The bucket.")
    count: int = strawberry.field(description="Its codes.")


BucketsArgument = Annotated[
    list[Bucket] | None,
    strawberry.argument(description="Only the entries in these buckets; all when omitted."),
]


def _entries(
    root: ChargemasterReview,
    info: Info,
    buckets: BucketsArgument = None,
    first: FirstArgument = None,
    after: AfterArgument = None,
    last: LastArgument = None,
    before: BeforeArgument = None,
) -> ReconcileConnection:
    review = root.review
    # The review's identity: its releases and the codes it was given, in order.
    parent = (review.before.id, review.after.id, [entry.code for entry in review.entries])
    page = page_of(info, *parent, first=first, after=after, last=last, before=before)
    wanted = None if buckets is None else set(buckets)
    kept = [entry for entry in review.entries if wanted is None or entry.bucket in wanted]
    shown = page.of_list(kept)
    edges = [
        ReconcileEdge(cursor=page.cursor(offset), node=ReconcileEntry.of(entry, review))
        for offset, entry in enumerate(shown.items, shown.offset)
    ]
    return ReconcileConnection(
        edges=edges,
        page_info=PageInfo.of([edge.cursor for edge in edges], shown.has_previous, shown.has_next),
        total_count=len(kept),
    )


@strawberry.type(
    description="A chargemaster review: each code given, in one bucket by what changed from "
    "one release to another, with counts."
)
class ChargemasterReview:
    from_: Release = strawberry.field(name="from", description="The older release.")
    to: Release = strawberry.field(description="The newer release.")
    given_count: int = strawberry.field(description="Codes given, blanks and repeats included.")
    code_count: int = strawberry.field(
        description="Distinct codes reviewed: in upper case, without blanks, each once."
    )
    counts: list[ReconcileCount] = strawberry.field(
        description="The codes in each bucket, every bucket in order (0 for an empty one)."
    )
    entries: ReconcileConnection = strawberry.field(
        resolver=_entries,
        description="The reviewed codes in the buckets asked for, in the order first given, a "
        "page at a time.",
    )
    review: strawberry.Private[Review]

    @classmethod
    def of(cls, review: Review) -> ChargemasterReview:
        return cls(
            from_=release_of(review.before),
            to=release_of(review.after),
            given_count=review.given,
            code_count=len(review.entries),
            counts=[
                ReconcileCount(bucket=bucket, count=count)
                for bucket, count in review.counts().items()
            ],
            review=review,
        )
