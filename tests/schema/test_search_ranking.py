"""Cases of bench/relevance.py kept as regression tests: the ranking rules (in effect on the day
asked first, specific before NOC unless asked, the head of the description first) and forgiving
input (inflections, repaired words, left-out words, code shapes), on the real January 2026
release."""

from __future__ import annotations

import datetime
from typing import Any

import aiosqlite
import pytest

from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context, make_context
from tests.conftest import cold
from tests.graphql import execute

SEARCH = """
query Search($text: String!, $first: Int, $asOf: Date) {
  search(text: $text, first: $first, asOf: $asOf) {
    totalCount
    corrections { original corrected }
    ignoredWords
    edges { matchedBy node { code } }
  }
}
"""

JANUARY_DAY = datetime.date(2026, 1, 15)


@pytest.fixture
def context(connection: aiosqlite.Connection, catalog: Catalog) -> Context:
    return make_context(connection, cold(catalog, referrers=False), today=JANUARY_DAY)


async def search(context: Context, **variables: Any) -> Any:
    return (await execute(context, SEARCH, **variables))["search"]


def found(
    total: int,
    *codes: str,
    matched_by: str = "DESCRIPTION",
    corrections: tuple[tuple[str, str], ...] = (),
    ignored: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "totalCount": total,
        "corrections": [{"original": typed, "corrected": meant} for typed, meant in corrections],
        "ignoredWords": list(ignored),
        "edges": [{"matchedBy": matched_by, "node": {"code": code}} for code in codes],
    }


async def test_codes_in_effect_on_the_day_come_first(context: Context) -> None:
    # C9027 (pembrolizumab) was discontinued at the end of 2015.
    assert await search(context, text="pembrolizumab") == found(2, "J9271", "C9027")
    # G6001 (echo guidance for radiotherapy) was discontinued at the end of 2025: last in
    # January, first (the best bm25) on a day of December 2025 (the October 2025 release).
    assert await search(context, text="echo guidance") == found(
        4, "C9758", "C9760", "C9782", "G6001"
    )
    assert await search(context, text="echo guidance", asOf="2025-12-15", first=1) == found(
        4, "G6001"
    )


async def test_specific_codes_before_noc_unless_asked(context: Context) -> None:
    first = (await search(context, text="ambulance", first=1))["edges"][0]["node"]["code"]
    assert first != "A0999"
    assert await search(context, text="unlisted ambulance") == found(1, "A0999")


async def test_the_head_of_the_description_first(context: Context) -> None:
    # "Walker, folding ..." and "Walker, rigid ..." before "Seat attachment, walker".
    assert await search(context, text="walker", first=2) == found(19, "E0135", "E0130")
    assert await search(context, text="hearing aid", first=1) == found(56, "V5248")


async def test_a_head_that_is_another_word_of_the_text_is_no_head(context: Context) -> None:
    # "wheelchair cushion" is a cushion: "Wheelchair accessory, headrest, cushioned" (E0955)
    # starts with a word of the text but not its head, and no longer comes before the cushions.
    assert await search(context, text="wheelchair cushion", first=3) == found(
        27, "E2610", "E2609", "E0955"
    )
    # "Insulin pump initiation" (S9145), then the pump (E0784), before the insulin for it.
    assert await search(context, text="insulin pump", first=2) == found(15, "S9145", "E0784")
    # The inflections count at the head too: "Hearing aid, ..." heads "hearing aids".
    assert await search(context, text="hearing aids", first=2) == found(56, "V5248", "V5249")


@pytest.mark.parametrize(
    ("text", "first_code", "total"),
    [
        # The descriptions say wheelchair, shoe ("For diabetics only, ... shoe"), lens.
        ("wheelchairs", "E1221", 323),
        ("diabetic shoes", "A5508", 9),
        ("contact lenses", "V2520", 22),
    ],
)
async def test_inflections_match(context: Context, text: str, first_code: str, total: int) -> None:
    result = await search(context, text=text, first=1)
    assert result == found(total, first_code)


async def test_a_word_no_description_holds_is_repaired(context: Context) -> None:
    assert await search(context, text="oxygen concentrater", first=2) == found(
        7, "E1390", "E1391", corrections=(("concentrater", "concentrator"),)
    )
    assert await search(context, text="pembrolizamab", first=1) == found(
        2, "J9271", corrections=(("pembrolizamab", "pembrolizumab"),)
    )


async def test_a_word_no_code_holds_with_the_others_is_left_out(context: Context) -> None:
    result = await search(context, text="tens unit", first=0)
    assert result == found(8, ignored=("unit",))


@pytest.mark.parametrize("text", ["J-9035", "j 9035", "J9035-JW", "J9035 JW", " j.9035 "])
async def test_code_shapes(context: Context, text: str) -> None:
    assert await search(context, text=text) == found(1, "J9035", matched_by="EXACT_CODE")


async def test_a_code_and_words(context: Context) -> None:
    result = await search(context, text="J9035 bevacizumab", first=2)
    assert result == {
        **found(8),
        "edges": [
            {"matchedBy": "EXACT_CODE", "node": {"code": "J9035"}},
            {"matchedBy": "DESCRIPTION", "node": {"code": "C9257"}},
        ],
    }


async def test_a_partial_code_with_a_look_alike_letter(context: Context) -> None:
    assert await search(context, text="j9o3", first=2) == found(
        10, "J9030", "J9032", matched_by="CODE_PREFIX", corrections=(("J9O3", "J903"),)
    )


async def test_letters_and_digits_match_their_parts(context: Context) -> None:
    # "vitamin b-12" is indexed as vitamin, b, 12.
    assert await search(context, text="vitamin b12") == found(1, "J3420")
