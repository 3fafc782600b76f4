"""The root fields that list codes: a filtered listing, a search, and the code tables."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from hcpcs_graphql.db.codeset import Listing, Order
from hcpcs_graphql.db.filters import CodeFilter, Condition, FilterError, ValueFilter
from hcpcs_graphql.db.filters import compile_filter as compile_code_filter
from hcpcs_graphql.db.queries import fetch_codes
from hcpcs_graphql.db.search import SearchText, SearchTextError, searched
from hcpcs_graphql.resolvers.code_sets import Correction, SetSource, ValueSource
from hcpcs_graphql.resolvers.context import Context
from hcpcs_graphql.resolvers.errors import BadFilterError, BadSearchTextError
from hcpcs_graphql.resolvers.pagination import Page
from hcpcs_graphql.resolvers.releases import choose_release
from hcpcs_graphql.resolvers.text_match import code_candidates


def compile_filter(value: CodeFilter | None) -> Condition:
    try:
        return compile_code_filter(value)
    except FilterError as error:
        raise BadFilterError(str(error)) from None


def all_codes(
    context: Context,
    *,
    code_filter: CodeFilter | None,
    orders: Sequence[Order],
    release: str | None,
    as_of: datetime.date | None = None,
    first: int | None,
    after: str | None,
) -> SetSource:
    found = choose_release(context, release, as_of)
    page = Page.of(first, after)
    return SetSource(found, Listing(found.id, compile_filter(code_filter), tuple(orders)), page)


async def search(
    context: Context,
    *,
    text: str,
    code_filter: CodeFilter | None,
    release: str | None,
    as_of: datetime.date | None = None,
    first: int | None,
    after: str | None,
) -> SetSource:
    found = choose_release(context, release, as_of)
    page = Page.of(first, after)
    try:
        parsed = SearchText.parse(text)
    except SearchTextError as error:
        raise BadSearchTextError(str(error)) from None
    condition = compile_filter(code_filter)
    source = SetSource(
        found,
        searched(found, parsed, condition),
        page,
        words=parsed.words,
        fast=None
        if parsed.code is None
        else searched(found, parsed, condition, descriptions=False),
    )
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
    first: int | None,
    after: str | None,
) -> ValueSource:
    return ValueSource(choose_release(context, release, as_of), table, value, Page.of(first, after))
