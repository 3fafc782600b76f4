"""The root fields that list codes: a filtered listing, a search, and the code tables."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from hcpcs_graphql.db.codeset import Listing, Order
from hcpcs_graphql.db.conditions import Condition
from hcpcs_graphql.db.filters import CodeFilter, FilterError, ValueFilter
from hcpcs_graphql.db.filters import compile_filter as compile_code_filter
from hcpcs_graphql.db.queries import fetch_codes
from hcpcs_graphql.db.search import searched
from hcpcs_graphql.db.search_query import SearchText, SearchTextError
from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.services.code_sets import Correction, SetSource, ValueSource
from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.errors import ClientError
from hcpcs_graphql.services.pagination import Page
from hcpcs_graphql.services.releases import choose_release
from hcpcs_graphql.services.search_text import forgiving, search_day, to_leave_out
from hcpcs_graphql.services.text_match import code_candidates


def compile_filter(value: CodeFilter | None) -> Condition:
    try:
        return compile_code_filter(value)
    except FilterError as error:
        raise ClientError(ErrorCode.BAD_FILTER, str(error)) from None


def all_codes(
    context: Context,
    *,
    code_filter: CodeFilter | None,
    orders: Sequence[Order],
    release: str | None,
    as_of: datetime.date | None = None,
    page: Page,
) -> SetSource:
    found = choose_release(context, release, as_of)
    return SetSource(found, Listing(found.id, compile_filter(code_filter), tuple(orders)), page)


async def search(
    context: Context,
    *,
    text: str,
    code_filter: CodeFilter | None,
    release: str | None,
    as_of: datetime.date | None = None,
    page: Page,
) -> SetSource:
    found = choose_release(context, release, as_of)
    try:
        typed = SearchText.parse(text)
    except SearchTextError as error:
        raise ClientError(ErrorCode.BAD_SEARCH_TEXT, str(error)) from None
    vocabulary = await context.catalog.vocabulary.get(context.connection)
    parsed, repairs = forgiving(vocabulary, typed)
    day = search_day(context, found, release, as_of)
    condition = compile_filter(code_filter)

    def source_of(text: SearchText, ignored: tuple[str, ...] = ()) -> SetSource:
        return SetSource(
            found,
            searched(found, text, condition, day=day),
            page,
            words=text.highlighted_words(),
            fast=None
            if text.code is None
            else searched(found, text, condition, day=day, descriptions=False),
            repairs=tuple(repairs),
            ignored=ignored,
        )

    source = source_of(parsed)
    ignored: tuple[str, ...] = ()
    while parsed.code is None and len(parsed.words) > 1 and await source.total(context) == 0:
        # No code holds every word: leave one out ("tens unit" finds tens devices).
        index = to_leave_out(vocabulary, parsed, {repair.corrected for repair in repairs})
        ignored += (parsed.words[index],)
        parsed = parsed.without(index)
        source = source_of(parsed, ignored)
    candidates = code_candidates(text)
    if not candidates or await source.total(context) > 0:
        return source
    # Nothing matches: the text may be a code with a typo (J9O35 for J9035).
    existing = sorted(await fetch_codes(context.connection, found.id, candidates))
    if not existing:
        return source
    corrected = CodeFilter(code=ValueFilter(in_=tuple(existing)))
    if code_filter is not None:
        corrected = CodeFilter(and_=(code_filter, corrected))
    return SetSource(
        found,
        Listing(found.id, compile_filter(corrected)),
        page,
        correction=Correction(text.strip(), tuple(existing)),
    )


def codes_carrying(
    context: Context,
    *,
    table: str,
    value: str,
    release: str | None,
    as_of: datetime.date | None = None,
    page: Page,
) -> ValueSource:
    return ValueSource(choose_release(context, release, as_of), table, value, page)
