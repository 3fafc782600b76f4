"""The query string's decoder (http/url_decoding.py) reads each text as urllib's unquote_plus."""

from __future__ import annotations

import urllib.parse

from hypothesis import given
from hypothesis import strategies as st

from hcpcs_graphql.http.url_decoding import unquote_plus

PIECES = st.sampled_from(
    [*"ab=+%_ \t\r\n", "=41", "=\r\n", "%3D", "%3d", "%41", "%4a", "%2", "%zz", "%C3%A9", "%FF",
     "%0D%0A", "%25", "é", "\x7f"]
)  # fmt: skip
"""Escapes of every kind (upper and lower case, cut short, not UTF-8), `=` and line ends (which
the decoder in C reads as quoted-printable would), text not ASCII."""


@given(st.lists(PIECES, max_size=30).map("".join))
def test_a_text_is_decoded_as_urllib_decodes_it(text: str) -> None:
    assert unquote_plus(text) == urllib.parse.unquote_plus(text)
