"""The HTTP cache reads a GET's query string as parse_qsl (and Starlette, for the app) reads it."""

from __future__ import annotations

from urllib.parse import parse_qsl

from hypothesis import given
from hypothesis import strategies as st

from hcpcs_graphql.http.middleware.caching import _query_fields

QUERY_CHARACTERS = st.sampled_from([*"abq=&+%;/ ?", "%2", "%zz", "%41", "%C3%A9", "%FF", "é"])
"""Pieces of a query string: separators, escapes good, cut short and not UTF-8, raw text."""


@given(st.lists(QUERY_CHARACTERS, max_size=30).map("".join))
def test_the_query_string_is_read_as_parse_qsl_reads_it(query_string: str) -> None:
    assert _query_fields(query_string) == dict(parse_qsl(query_string, keep_blank_values=True))
