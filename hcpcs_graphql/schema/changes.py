"""What changed between two releases: the `changes` root field and its types."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hcpcs_graphql.db import diff
from hcpcs_graphql.schema.arguments import (
    AfterArgument,
    BeforeArgument,
    FirstArgument,
    LastArgument,
)
from hcpcs_graphql.schema.change_enums import ChangeKind, DiffField
from hcpcs_graphql.schema.code import Code
from hcpcs_graphql.schema.coded import ActionCode, CodedValue, coded, coded_value
from hcpcs_graphql.schema.connection import PageInfo
from hcpcs_graphql.schema.filters import CodeFilter, code_filter
from hcpcs_graphql.schema.paging import page_of
from hcpcs_graphql.services import changes as change_resolvers
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.changes import ChangeSource
from hcpcs_graphql.services.context import Info


def coded_values(catalog: Catalog, table: str | None, codes: tuple[str, ...]) -> list[CodedValue]:
    return [] if table is None else [coded_value(catalog, table, code) for code in codes]


@strawberry.type(description="A field whose value differs between the two releases.")
class FieldChange:
    field: DiffField = strawberry.field(description="The field.")
    before: list[str] = strawberry.field(
        description="The field's values in `from` as CMS writes them (dates ISO, numbers in "
        "digits): one, or one per CMS column for the fields of several columns (PRICE1-4, "
        "TOS1-5, ...), blank columns left out; empty when blank or when `from` lacks the code."
    )
    after: list[str] = strawberry.field(description="The field's values in `to`, likewise.")
    coded_before: list[CodedValue] = strawberry.field(
        description="For a coded field, each value of `before` with its meaning (null when "
        "the value has no known meaning); empty for text, dates and numbers."
    )
    coded_after: list[CodedValue] = strawberry.field(
        description="For a coded field, each value of `after` with its meaning."
    )
    white_space_only: bool = strawberry.field(
        description="The text differs in spacing only (the same words), as a description read "
        "from a CMS xlsx may from the same description read from the fixed-width file."
    )

    @classmethod
    def of(cls, found: diff.FieldDiff, catalog: Catalog) -> FieldChange:
        table = found.field.code_table
        return cls(
            field=found.field,
            before=list(found.before),
            after=list(found.after),
            coded_before=coded_values(catalog, table, found.before),
            coded_after=coded_values(catalog, table, found.after),
            white_space_only=found.white_space_only,
        )


def _action(root: CodeChange) -> ActionCode | None:
    found = None if root.row.after is None else root.row.after.action_cd
    return None if found is None else coded(ActionCode, root.catalog, found)


def _fields(root: CodeChange) -> list[FieldChange]:
    return [FieldChange.of(found, root.catalog) for found in root.row.fields]


def _before(root: CodeChange) -> Code | None:
    row = root.row.before
    return Code.from_row_or_none(row, root.catalog)


def _after(root: CodeChange) -> Code | None:
    row = root.row.after
    return Code.from_row_or_none(row, root.catalog)


@strawberry.type(
    description="A code that differs between two releases: how, the fields that differ with "
    "their values before and after, and the code as each release gives it."
)
class CodeChange:
    row: strawberry.Private[diff.DiffRow]
    catalog: strawberry.Private[Catalog]
    code: str = strawberry.field(description="The code.")
    kind: ChangeKind = strawberry.field(description="How the code differs.")
    action: ActionCode | None = strawberry.field(
        resolver=_action,
        description="The action code CMS gave the code in `to` (ACTION CD), e.g. C for a "
        "changed long description; null when `to` lacks the code.",
    )
    fields: list[FieldChange] = strawberry.field(
        resolver=_fields,
        description="The compared fields that differ, in CodeField order; for a code added or "
        "removed, the compared fields that hold a value.",
    )
    before: Code | None = strawberry.field(
        resolver=_before, description="The code as `from` gives it; null when added."
    )
    after: Code | None = strawberry.field(
        resolver=_after, description="The code as `to` gives it; null when removed."
    )


@strawberry.type(description="A code that differs, in a connection.")
class CodeChangeEdge:
    cursor: str = strawberry.field(description="Where this code lies in the connection.")
    node: CodeChange = strawberry.field(description="The code and how it differs.")


@strawberry.type(description="How many codes differ in one way.")
class ChangeKindCount:
    kind: ChangeKind = strawberry.field(description="The kind of change.")
    count: int = strawberry.field(description="Codes of this kind.")


@strawberry.type(description="How many codes differ in one field.")
class ChangeFieldCount:
    field: DiffField = strawberry.field(description="The field.")
    count: int = strawberry.field(description="Codes in both releases whose field differs.")


@strawberry.type(description="How many codes differ, by kind and by field.")
class ChangeSummary:
    by_kind: list[ChangeKindCount] = strawberry.field(
        description="The codes listed by kind, every kind in ChangeKind order (zeros included)."
    )
    by_field: list[ChangeFieldCount] = strawberry.field(
        description="The codes in both releases (discontinued, reactivated and changed) by "
        "field that differs, the most first (ties in CodeField order), each field that differs "
        "in any code; added and removed codes count by kind only. A code counts in each field "
        "it differs in."
    )

    @classmethod
    def of(cls, found: diff.DiffSummary) -> ChangeSummary:
        return cls(
            by_kind=[
                ChangeKindCount(kind=kind, count=count) for kind, count in found.by_kind.items()
            ],
            by_field=[
                ChangeFieldCount(field=field, count=count)
                for field, count in found.fields_by_count()
            ],
        )


async def _edges(root: CodeChangeConnection, info: Info) -> list[CodeChangeEdge]:
    page = await root.source.fetch_page(info.context)
    catalog = info.context.catalog
    return [
        CodeChangeEdge(
            cursor=root.source.page.cursor(hit.offset),
            node=CodeChange(
                row=hit.row,
                catalog=catalog,
                code=hit.row.code,
                kind=hit.row.kind,
            ),
        )
        for hit in page.hits
    ]


async def _page_info(root: CodeChangeConnection, info: Info) -> PageInfo:
    page = await root.source.fetch_page(info.context)
    cursors = [root.source.page.cursor(hit.offset) for hit in page.hits]
    return PageInfo.of(cursors, page.has_previous, page.has_next)


async def _total_count(root: CodeChangeConnection, info: Info) -> int:
    return (await root.source.summary(info.context)).total


async def _summary(root: CodeChangeConnection, info: Info) -> ChangeSummary:
    return ChangeSummary.of(await root.source.summary(info.context))


@strawberry.type(
    description="A page of the codes that differ between two releases, in code order, with "
    "how many differ (Relay)."
)
class CodeChangeConnection:
    source: strawberry.Private[ChangeSource]
    edges: list[CodeChangeEdge] = strawberry.field(
        resolver=_edges, description="The codes of the page."
    )
    page_info: PageInfo = strawberry.field(resolver=_page_info, description="Paging.")
    total_count: int = strawberry.field(
        resolver=_total_count, description="How many codes differ in all."
    )
    summary: ChangeSummary = strawberry.field(
        resolver=_summary, description="How many codes differ, by kind and by field."
    )


def changes(
    info: Info,
    from_: Annotated[
        str,
        strawberry.argument(
            name="from", description="The release compared from (YYYY-MM), usually the older."
        ),
    ],
    to: Annotated[str, strawberry.argument(description="The release compared to (YYYY-MM).")],
    fields: Annotated[
        list[DiffField] | None,
        strawberry.argument(
            description="The fields compared; when omitted, every field but ACTION and "
            "ACTION_EFFECTIVE_DATE, which record how and when CMS made a change rather than "
            "the change (each change gives `action` anyway)."
        ),
    ] = None,
    kinds: Annotated[
        list[ChangeKind] | None,
        strawberry.argument(description="Only these kinds of change; every kind when omitted."),
    ] = None,
    filter: Annotated[
        CodeFilter | None,
        strawberry.argument(
            description="Which codes to keep, judged on the code in `to` (in `from` for a "
            "removed code); all when omitted."
        ),
    ] = None,
    first: FirstArgument = None,
    after: AfterArgument = None,
    last: LastArgument = None,
    before: BeforeArgument = None,
) -> CodeChangeConnection:
    source = change_resolvers.changes(
        info.context,
        from_release=from_,
        to_release=to,
        fields=fields,
        kinds=kinds,
        code_filter=code_filter(filter, info.context.today),
        page=page_of(info, first=first, after=after, last=last, before=before),
    )
    return CodeChangeConnection(source=source)
