"""Relay connections of codes: a listing (`allCodes`, the codes of a code table) and a search."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Annotated

import strawberry

from hcpcs_graphql.db.codeset import Facet, FacetCount
from hcpcs_graphql.db.search import Tier
from hcpcs_graphql.domain.code_tables import REGISTRY
from hcpcs_graphql.schema.code import Code
from hcpcs_graphql.services.code_sets import CodeSource, Hit, SetSource
from hcpcs_graphql.services.context import Info
from hcpcs_graphql.services.text_match import marked, spans


@strawberry.type(description="Where a page lies in its connection (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More codes follow this page.")
    has_previous_page: bool = strawberry.field(description="Codes come before this page.")
    start_cursor: str | None = strawberry.field(
        description="The cursor of the first edge: pass it as `before` for the page before."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the last edge: pass it as `after` for the next page."
    )

    @classmethod
    def of(cls, cursors: list[str], has_previous: bool, has_next: bool) -> PageInfo:
        return cls(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )


@strawberry.type(description="A code in a connection.")
class CodeEdge:
    cursor: str = strawberry.field(description="Where this code lies in the connection.")
    node: Code = strawberry.field(description="The code.")


@strawberry.type(description="The codes with one value of a facet, and how many there are.")
class FacetBucket:
    code: str | None = strawberry.field(
        description="The value; null counts the codes that have none."
    )
    description: str | None = strawberry.field(description="The value's meaning.")
    count: int = strawberry.field(description="Codes of the set with this value.")


_FACET_TABLES = {Facet[table.facet]: table.name for table in REGISTRY if table.facet is not None}
_FIXED_MEANINGS = {
    "PROCEDURE": "Procedure code",
    "MODIFIER": "Modifier",
    "ACTIVE": "Active",
    "DISCONTINUED": "Discontinued",
    "NOT_YET_EFFECTIVE": "Not yet effective",
    "true": "Not otherwise classified (on CMS's NOC list)",
    "false": "Specific (not on CMS's NOC list)",
}


@strawberry.type(
    description="Counts of the codes of a set by the values of each facet, the largest first. "
    "A code with several values of a facet (type of service, pricing indicator) counts in each; "
    "for the other facets the counts add up to totalCount."
)
class CodeFacets:
    kind: list[FacetBucket] = strawberry.field(description="Procedure codes and modifiers.")
    status: list[FacetBucket] = strawberry.field(description="Status on the date asked for.")
    betos: list[FacetBucket] = strawberry.field(description="BETOS code.")
    betos_category: list[FacetBucket] = strawberry.field(description="BETOS category.")
    type_of_service: list[FacetBucket] = strawberry.field(description="Types of service.")
    pricing_indicator: list[FacetBucket] = strawberry.field(description="Pricing indicators.")
    coverage: list[FacetBucket] = strawberry.field(description="Coverage code.")
    action: list[FacetBucket] = strawberry.field(description="Action code.")
    not_otherwise_classified: list[FacetBucket] = strawberry.field(
        description="Whether the code is a not otherwise classified (NOC) code: true or false."
    )

    @classmethod
    def of(cls, counts: list[FacetCount], info: Info) -> CodeFacets:
        catalog = info.context.catalog
        buckets: dict[Facet, list[FacetBucket]] = {facet: [] for facet in Facet}
        for found in counts:
            table = _FACET_TABLES.get(found.facet)
            if found.value is None:
                description = None
            elif table is None:
                description = _FIXED_MEANINGS.get(found.value)
            else:
                description = catalog.meaning(table, found.value).description
            buckets[found.facet].append(
                FacetBucket(code=found.value, description=description, count=found.count)
            )
        for facet_buckets in buckets.values():
            facet_buckets.sort(key=lambda bucket: (-bucket.count, bucket.code is None, bucket.code))
        return cls(
            kind=buckets[Facet.KIND],
            status=buckets[Facet.STATUS],
            betos=buckets[Facet.BETOS],
            betos_category=buckets[Facet.BETOS_CATEGORY],
            type_of_service=buckets[Facet.TYPE_OF_SERVICE],
            pricing_indicator=buckets[Facet.PRICING_INDICATOR],
            coverage=buckets[Facet.COVERAGE],
            action=buckets[Facet.ACTION],
            not_otherwise_classified=buckets[Facet.NOT_OTHERWISE_CLASSIFIED],
        )


StatusOn = Annotated[
    datetime.date | None,
    strawberry.argument(description="The date the status facet is judged on; today if omitted."),
]


async def _edges(root: CodeConnection, info: Info) -> list[CodeEdge]:
    page = await root.source.fetch_page(info.context)
    catalog = info.context.catalog
    return [
        CodeEdge(cursor=root.source.page.cursor(hit.offset), node=Code.from_row(hit.row, catalog))
        for hit in page.hits
    ]


async def _page_info(root: CodeConnection | CodeSearchConnection, info: Info) -> PageInfo:
    page = await root.source.fetch_page(info.context)
    cursors = [root.source.page.cursor(hit.offset) for hit in page.hits]
    return PageInfo.of(cursors, page.has_previous, page.has_next)


async def _total_count(root: CodeConnection | CodeSearchConnection, info: Info) -> int:
    return await root.source.total(info.context)


async def _facets(
    root: CodeConnection | CodeSearchConnection, info: Info, status_on: StatusOn = None
) -> CodeFacets:
    on = status_on or info.context.today
    return CodeFacets.of(await root.source.facets(info.context, on), info)


@strawberry.type(description="A page of codes with the size of the whole set (Relay).")
class CodeConnection:
    source: strawberry.Private[CodeSource]
    edges: list[CodeEdge] = strawberry.field(resolver=_edges, description="The codes of the page.")
    page_info: PageInfo = strawberry.field(resolver=_page_info, description="Paging.")
    total_count: int = strawberry.field(
        resolver=_total_count, description="How many codes the whole set holds."
    )
    facets: CodeFacets = strawberry.field(
        resolver=_facets, description="Counts of the whole set's codes by facet."
    )


@strawberry.enum(description="How a search hit matched.")
class SearchMatch(Enum):
    EXACT_CODE = strawberry.enum_value("EXACT_CODE", description="The text is the code.")
    CODE_PREFIX = strawberry.enum_value("CODE_PREFIX", description="The code starts with the text.")
    DESCRIPTION = strawberry.enum_value(
        "DESCRIPTION", description="Every word of the text starts a word of a description."
    )
    CORRECTED_CODE = strawberry.enum_value(
        "CORRECTED_CODE",
        description="Nothing matched the text; the code is the text with a typo repaired.",
    )


_MATCHES = {
    Tier.EXACT_CODE: SearchMatch.EXACT_CODE,
    Tier.CODE_PREFIX: SearchMatch.CODE_PREFIX,
    Tier.TEXT: SearchMatch.DESCRIPTION,
}


@strawberry.enum(description="A description of a code.")
class DescriptionField(Enum):
    SHORT_DESCRIPTION = strawberry.enum_value("SHORT_DESCRIPTION", description="shortDescription")
    LONG_DESCRIPTION = strawberry.enum_value("LONG_DESCRIPTION", description="longDescription")


@strawberry.type(description="A part of a description that the search words match.")
class Highlight:
    field: DescriptionField = strawberry.field(description="The description.")
    start: int = strawberry.field(
        description="Offset of the first character matched in the plain description, in "
        "characters (Unicode code points; JavaScript strings count UTF-16 units, which differ "
        "only past U+FFFF, which no description holds)."
    )
    end: int = strawberry.field(description="Offset just past the last character matched.")
    length: int = strawberry.field(description="How many characters are matched: end - start.")


@strawberry.type(description="A typo the search repaired.")
class SearchCorrection:
    original: str = strawberry.field(description="The text, code or word as typed.")
    corrected: str = strawberry.field(description="The code or word searched for instead.")


@strawberry.type(description="A code a search found, with how it matched.")
class CodeSearchEdge:
    cursor: str = strawberry.field(description="Where this code lies in the results.")
    node: Code = strawberry.field(description="The code.")
    matched_by: SearchMatch = strawberry.field(description="How the code matched.")
    highlights: list[Highlight] = strawberry.field(
        description="The parts of the descriptions the words match, in text order."
    )
    marked_short_description: str | None = strawberry.field(
        description="HTML, safe to render: the short description with <, >, &, \" and ' "
        "escaped, then each match in <mark></mark>. For text, use highlights on the plain "
        "description instead."
    )
    marked_long_description: str = strawberry.field(
        description="HTML, safe to render: the long description escaped, then each match in "
        "<mark></mark>."
    )
    correction: SearchCorrection | None = strawberry.field(
        description="The typo repaired to find this code; null when the text matched as typed."
    )

    @classmethod
    def of(cls, hit: Hit, source: SetSource, info: Info) -> CodeSearchEdge:
        row = hit.row
        short = spans(row.short_description, source.words)
        long = spans(row.long_description, source.words)
        correction = source.correction
        return cls(
            cursor=source.page.cursor(hit.offset),
            node=Code.from_row(row, info.context.catalog),
            matched_by=SearchMatch.CORRECTED_CODE if correction else _MATCHES[hit.tier],
            highlights=[
                Highlight(field=field, start=s.start, end=s.end, length=s.end - s.start)
                for field, found in (
                    (DescriptionField.SHORT_DESCRIPTION, short),
                    (DescriptionField.LONG_DESCRIPTION, long),
                )
                for s in found
            ],
            marked_short_description=marked(row.short_description, short),
            marked_long_description=marked(row.long_description, long) or "",
            correction=None
            if correction is None
            else SearchCorrection(original=correction.original, corrected=row.code),
        )


def _corrections(root: CodeSearchConnection) -> list[SearchCorrection]:
    return [
        SearchCorrection(original=repair.original, corrected=repair.corrected)
        for repair in root.source.repairs
    ]


def _ignored_words(root: CodeSearchConnection) -> list[str]:
    return list(root.source.ignored)


async def _search_edges(root: CodeSearchConnection, info: Info) -> list[CodeSearchEdge]:
    page = await root.source.fetch_page(info.context)
    return [CodeSearchEdge.of(hit, root.source, info) for hit in page.hits]


@strawberry.type(
    description="A page of search results (Relay): an exact code first, then the codes that "
    "start with the text, then description matches; within each, the codes in effect on the "
    "day asked (asOf, else the named release's date, else today) first, specific codes before "
    "not otherwise classified ones unless the text asks for those, a match at the head of the "
    "long description before one deeper in it, then relevance (bm25), then code."
)
class CodeSearchConnection:
    source: strawberry.Private[SetSource]
    edges: list[CodeSearchEdge] = strawberry.field(
        resolver=_search_edges, description="The codes of the page."
    )
    page_info: PageInfo = strawberry.field(resolver=_page_info, description="Paging.")
    total_count: int = strawberry.field(
        resolver=_total_count, description="How many codes match in all."
    )
    facets: CodeFacets = strawberry.field(
        resolver=_facets, description="Counts of all the matching codes by facet."
    )

    corrections: list[SearchCorrection] = strawberry.field(
        resolver=_corrections,
        description="The code and the words of the text that no description holds, each with "
        "what was searched for instead (nearest by edit distance), in text order; empty when "
        "the text was searched as typed.",
    )
    ignored_words: list[str] = strawberry.field(
        resolver=_ignored_words,
        description="Words of the text that no code holds together with the others, left out "
        "one by one (a word no description holds, else a repaired one, else the one most "
        "descriptions hold) until codes matched; empty when every word is matched.",
    )
