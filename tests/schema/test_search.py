"""The `search` root field on the real January 2026 and October 2025 releases: ranking (exact
code, code prefix, description by bm25 with ties by code), highlights, typo repair, hostile text,
filters, paging, facets, statement counts and releases."""

from __future__ import annotations

import datetime
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from hcpcs_graphql.domain.noc import noc_codes
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context, make_context
from tests.conftest import cold
from tests.fragments import EVERY_CODE_FIELD
from tests.graphql import execute, failure
from tests.paging import empty_page

JANUARY_DAY = datetime.date(2026, 1, 15)
"""The day the searches are asked on (ranking puts the codes in effect that day first)."""


@pytest.fixture
def context(connection: aiosqlite.Connection, catalog: Catalog) -> Context:
    return make_context(connection, cold(catalog, referrers=False), today=JANUARY_DAY)


FOUND = """
query Search($text: String!, $filter: CodeFilter, $release: String, $first: Int, $after: String) {
  search(text: $text, filter: $filter, release: $release, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage }
    edges { matchedBy node { code } correction { original corrected } }
  }
}
"""

HIGHLIGHTS = """
query Search($text: String!, $first: Int) {
  search(text: $text, first: $first) {
    edges {
      node { code shortDescription longDescription }
      highlights { field start end }
      markedShortDescription
      markedLongDescription
    }
  }
}
"""

PAGE = """
query Search($text: String!, $first: Int, $after: String) {
  search(text: $text, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor matchedBy node { code } }
  }
}
"""

FACETS = """
query Search($text: String!, $filter: CodeFilter) {
  search(text: $text, filter: $filter, first: 0) {
    totalCount
    edges { node { code } }
    facets(statusOn: "2026-01-01") {
      kind { code description count }
      status { code description count }
      betos { code description count }
      betosCategory { code description count }
      coverage { code description count }
      action { code description count }
    }
  }
}
"""

EVERY_FIELD = (
    """
query Search($text: String!, $first: Int) {
  search(text: $text, first: $first) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges {
      cursor
      matchedBy
      highlights { field start end }
      markedShortDescription
      markedLongDescription
      correction { original corrected }
      node {
        ...EveryCodeField
      }
    }
  }
}
"""
    + EVERY_CODE_FIELD
)


async def search(context: Context, query: str = FOUND, **variables: Any) -> Any:
    return (await execute(context, query, **variables))["search"]


async def errors(context: Context, **variables: Any) -> list[tuple[str, Any]]:
    return await failure(context, FOUND, **variables)


async def pages(context: Context, text: str, size: int) -> list[Any]:
    found_pages = [await search(context, PAGE, text=text, first=size)]
    while found_pages[-1]["pageInfo"]["hasNextPage"]:
        after = found_pages[-1]["pageInfo"]["endCursor"]
        found_pages.append(await search(context, PAGE, text=text, first=size, after=after))
    return found_pages


def edge(code: str, matched_by: str, corrected_from: str | None = None) -> dict[str, Any]:
    correction = None if corrected_from is None else {"original": corrected_from, "corrected": code}
    return {"matchedBy": matched_by, "node": {"code": code}, "correction": correction}


def matched(matched_by: str, *codes: str) -> list[dict[str, Any]]:
    """The edges of CODES, in their order, each matched by MATCHED_BY."""
    return [edge(code, matched_by) for code in codes]


def bucket(code: str, description: str, count: int) -> dict[str, Any]:
    """A facet's bucket."""
    return {"code": code, "description": description, "count": count}


def found(total: int, *edges: dict[str, Any], more: bool = False) -> dict[str, Any]:
    return {
        "totalCount": total,
        "pageInfo": {"hasNextPage": more, "hasPreviousPage": False},
        "edges": list(edges),
    }


def query_db(db: Path, sql: str, *parameters: object) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql, parameters).fetchall()


def fts_scores(db: Path, fts_query: str, release: str = "2026-01") -> list[tuple[str, float]]:
    """The release's codes that match the FTS5 query with their bm25 as the search weighs it
    (short description double), computed here independently of the package."""
    rows = query_db(
        db,
        "select c.code, bm25(code_fts, 2.0, 1.0) from code_fts f join code c on c.rowid = f.rowid"
        " where code_fts match ? and c.release_id = ?",
        fts_query,
        release,
    )
    return [(code, float(score)) for code, score in rows]


# Ranking ---------------------------------------------------------------------------------------


async def test_exact_code_in_any_case(context: Context) -> None:
    assert await search(context, text="j9035") == found(1, edge("J9035", "EXACT_CODE"))
    assert await search(context, text=" J9035 ") == found(1, edge("J9035", "EXACT_CODE"))


async def test_codes_that_start_with_the_text_in_code_order(
    context: Context, real_db: Path
) -> None:
    # J9010, discontinued at the end of 2015, comes after the codes in effect.
    assert await search(context, text="J90", first=5) == found(
        58, *matched("CODE_PREFIX", "J9000", "J9011", "J9015", "J9017", "J9021"), more=True
    )
    everything = await search(context, text="j90", first=100)
    expected = query_db(
        real_db,
        "select code from code where release_id = '2026-01' and code like 'J90%'"
        " order by coalesce(term_dt < ?, 0), code",
        JANUARY_DAY.isoformat(),
    )
    assert everything == found(58, *(edge(code, "CODE_PREFIX") for (code,) in expected))


async def test_description_words_are_prefixes_and_all_required(context: Context) -> None:
    # A9597 and A9598 are NOC codes ("... not otherwise classified"): after the specific ones.
    pet_tumor = found(4, *matched("DESCRIPTION", "PS", "PI", "A9597", "A9598"))
    assert await search(context, text="pet tumor") == pet_tumor
    assert await search(context, text="PET TUMOR") == pet_tumor
    assert await search(context, text="tumor pet") == pet_tumor
    # "tum" and "pet" start words; "umor" starts none (it is repaired: see test_search_ranking.py).
    assert (await search(context, text="pet tum"))["totalCount"] == 4
    assert (await search(context, text="umor"))["totalCount"] == (
        await search(context, text="tumor")
    )["totalCount"]
    # No description holds zzzz: it is left out (see ignoredWords).
    assert await search(context, text="pet tumor zzzz") == pet_tumor


async def test_exact_code_then_prefix_then_description(context: Context) -> None:
    assert await search(context, text="p3") == found(
        5,
        edge("P3", "EXACT_CODE"),
        *matched("CODE_PREFIX", "P3000", "P3001"),
        # "P32 na phosphate", "P32 chromic phosphate"
        *matched("DESCRIPTION", "A9563", "A9564"),
    )


async def test_a_modifier_then_description_matches(context: Context, real_db: Path) -> None:
    """No code starts with LT; 22 descriptions have a word that does (ltd, ltwt, ltc...), in the
    order of the ranking rules (on the release's date, as the loader ranks short prefixes)."""
    description = [code for code in ranked(real_db, '"lt"*', ("lt",), "2026-01-01") if code != "LT"]
    assert len(description) == 22
    assert await search(context, text="lt", first=100) == found(
        23, edge("LT", "EXACT_CODE"), *(edge(code, "DESCRIPTION") for code in description)
    )


async def test_a_code_is_listed_once_by_its_best_match(context: Context) -> None:
    # G3003 mentions g3002 and G3002 mentions g3001 ("g3" matches both descriptions), but both
    # start with G3. G3001 was discontinued in 2016: after the others.
    assert await search(context, text="g3") == found(
        4, edge("G3", "EXACT_CODE"), *matched("CODE_PREFIX", "G3002", "G3003", "G3001")
    )


async def test_exact_code_before_descriptions_that_mention_it(context: Context) -> None:
    assert await search(context, text="G0058") == found(
        2, edge("G0058", "EXACT_CODE"), edge("QP", "DESCRIPTION")
    )


async def test_equal_ranks_are_ordered_by_code(context: Context, real_db: Path) -> None:
    page = await search(context, text="snp ltc")
    codes = [found_edge["node"]["code"] for found_edge in page["edges"]]
    assert codes == ["G2105", "G9898", "G9901", "G9910", "M1284", "G2081", "G9938", "G2108"]
    scores = dict(fts_scores(real_db, '"snp"* AND "ltc"*'))
    # Five have the very same score; G2108 (of that score too) was discontinued in 2025.
    assert len({scores[code] for code in (*codes[:5], "G2108")}) == 1
    assert codes == ranked(real_db, '"snp"* AND "ltc"*', ("snp", "ltc"), JANUARY_DAY.isoformat())


async def test_identical_descriptions_are_ordered_by_status_then_code(context: Context) -> None:
    # C9174 was in effect from July to September 2025 only.
    assert await search(context, text="datopotamab") == found(
        2, edge("J9011", "DESCRIPTION"), edge("C9174", "DESCRIPTION")
    )


def head_level(long_description: str, words: tuple[str, ...]) -> int:
    """How far the head of a long description is from the words, as the ranking rules say:
    0 its first part is the words, 1 it starts with them in order, 2 with the last of them (the
    head of the noun phrase), else 3."""
    tokens = re.findall(r"[^\W_]+", long_description.lower())
    if long_description.split(",", maxsplit=1)[0].strip().lower() == " ".join(words):
        return 0
    if len(tokens) >= len(words) and all(
        t.startswith(w) for t, w in zip(tokens, words, strict=False)
    ):
        return 1
    return 2 if tokens and tokens[0].startswith(words[-1]) else 3


def ranked(db: Path, fts_query: str, words: tuple[str, ...], day: str) -> list[str]:
    """The codes of January 2026 that match the FTS5 query, in the order of the ranking rules,
    computed here from the rows: in effect on DAY first, then not NOC (unless asked), then by
    head level, bm25 (short description double) and code."""
    rows = query_db(
        db,
        "select c.code, bm25(code_fts, 2.0, 1.0), c.long_description, c.add_dt, c.term_dt"
        " from code_fts f join code c on c.rowid = f.rowid"
        " where code_fts match ? and c.release_id = '2026-01'",
        fts_query,
    )
    asked = bool({"unlisted", "noc", "unclassified", "nos"} & set(words))

    def key(row: tuple[Any, ...]) -> tuple[Any, ...]:
        code, score, long_description, added, ended = row
        in_effect = (added is None or added <= day) and (ended is None or ended >= day)
        noc = not asked and code in noc_codes()
        return (not in_effect, noc, head_level(long_description, words), score, code)

    return [row[0] for row in sorted(rows, key=key)]


@pytest.mark.parametrize(
    ("text", "fts_query", "total", "day"),
    [
        # The loader ranks one- and two-character prefixes on the release's date.
        ("catheter", '"catheter"*', 162, "2026-01-15"),
        ("snp ltc", '"snp"* AND "ltc"*', 8, "2026-01-15"),
        ("walker", '"walker"*', 19, "2026-01-15"),
        ("hearing aid", '("hearing"* OR "hear") AND "aid"*', 56, "2026-01-15"),
        ("ambulance", '"ambulance"*', 27, "2026-01-15"),
        ("unlisted ambulance", '"unlisted"* AND "ambulance"*', 1, "2026-01-15"),
        ("lt", '"lt"*', 23, "2026-01-01"),
        ("an", '"an"*', 2702, "2026-01-01"),
        ("1", '"1"*', 1939, "2026-01-01"),
    ],
)
async def test_description_matches_follow_the_ranking_rules(
    context: Context, real_db: Path, text: str, fts_query: str, total: int, day: str
) -> None:
    edges = [found_edge for page in await pages(context, text, 100) for found_edge in page["edges"]]
    assert len(edges) == total
    by_code = {e["node"]["code"] for e in edges if e["matchedBy"] != "DESCRIPTION"}
    words = tuple(text.split())
    expected = [code for code in ranked(real_db, fts_query, words, day) if code not in by_code]
    assert [e["node"]["code"] for e in edges if e["matchedBy"] == "DESCRIPTION"] == expected


# Highlights ------------------------------------------------------------------------------------


async def test_highlights_and_marked_descriptions(context: Context) -> None:
    # The third: A9597, a NOC code, comes after PS and PI.
    page = await search(context, HIGHLIGHTS, text="pet tumor", first=3)
    page["edges"] = page["edges"][2:]
    long = (
        "Positron emission tomography radiopharmaceutical, diagnostic, for tumor"
        " identification, not otherwise classified"
    )
    assert page == {
        "edges": [
            {
                "node": {
                    "code": "A9597",
                    "shortDescription": "Pet, dx, for tumor id, noc",
                    "longDescription": long,
                },
                "highlights": [
                    {"field": "SHORT_DESCRIPTION", "start": 0, "end": 3},
                    {"field": "SHORT_DESCRIPTION", "start": 13, "end": 18},
                    {"field": "LONG_DESCRIPTION", "start": 66, "end": 71},
                ],
                "markedShortDescription": "<mark>Pet</mark>, dx, for <mark>tumor</mark> id, noc",
                "markedLongDescription": long.replace("tumor", "<mark>tumor</mark>"),
            }
        ]
    }


async def test_highlights_are_word_prefixes_in_any_case(context: Context) -> None:
    page = await search(context, HIGHLIGHTS, text="TUMOR pe", first=100)
    first = next(e for e in page["edges"] if e["node"]["code"] == "A9597")
    assert first["node"]["code"] == "A9597"
    assert first["highlights"] == [
        {"field": "SHORT_DESCRIPTION", "start": 0, "end": 2},
        {"field": "SHORT_DESCRIPTION", "start": 13, "end": 18},
        {"field": "LONG_DESCRIPTION", "start": 66, "end": 71},
    ]
    assert first["markedShortDescription"] == "<mark>Pe</mark>t, dx, for <mark>tumor</mark> id, noc"


async def test_each_highlight_starts_a_word_with_a_search_word(context: Context) -> None:
    page = await search(context, HIGHLIGHTS, text="lt", first=100)
    assert len(page["edges"]) == 23
    fields = {"SHORT_DESCRIPTION": "shortDescription", "LONG_DESCRIPTION": "longDescription"}
    marked = 0
    for found_edge in page["edges"]:
        for span in found_edge["highlights"]:
            text = found_edge["node"][fields[span["field"]]]
            start, end = span["start"], span["end"]
            assert text[start:end].lower() == "lt"
            assert start == 0 or not text[start - 1].isalnum()
            marked += 1
    # Only LT itself (an exact code: "Left side") shows no highlight.
    assert [e["node"]["code"] for e in page["edges"] if not e["highlights"]] == ["LT"]
    assert marked == sum(
        e["markedShortDescription"].count("<mark>") + e["markedLongDescription"].count("<mark>")
        for e in page["edges"]
    )


async def test_highlights_of_a_hyphenated_word_and_of_a_mentioned_code(context: Context) -> None:
    page = await search(context, HIGHLIGHTS, text="pet tumor", first=4)
    assert page["edges"][3]["markedShortDescription"] == (
        "<mark>Pet</mark> dx for non-<mark>tumor</mark> id, noc"
    )
    page = await search(context, HIGHLIGHTS, text="g0058")
    assert [(e["node"]["code"], e["highlights"]) for e in page["edges"]] == [
        ("G0058", []),
        ("QP", [{"field": "LONG_DESCRIPTION", "start": 171, "end": 176}]),
    ]
    assert page["edges"][1]["markedLongDescription"].endswith(
        "profile codes 80002-80019, <mark>g0058</mark>, g0059, and g0060."
    )


async def test_accented_letters_match_and_highlight_as_plain_ones(context: Context) -> None:
    # The full-text index folds diacritics (remove_diacritics 2): so do the highlights.
    plain = await search(context, HIGHLIGHTS, text="pet tumor")
    assert await search(context, HIGHLIGHTS, text="pét tümor") == plain
    assert len(plain["edges"]) == 4


async def test_a_short_accented_word_matches_as_a_plain_one(context: Context) -> None:
    # "(pe)" is no code, like "pé": both are the word pe.
    plain = await search(context, HIGHLIGHTS, text="(pe)")
    assert await search(context, HIGHLIGHTS, text="pé") == plain
    assert len(plain["edges"]) == 20


# Typo repair -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "corrected"),
    [
        ("J9O35", ["J9035"]),  # letter O for a zero
        ("  j9o35 ", ["J9035"]),
        ("p0", ["PO"]),  # zero for a letter O
        ("c0", ["CO"]),
        ("QO", ["Q0"]),
        ("J1l00", ["J1100"]),  # lower-case l for a one
        ("JI100", ["J1100"]),  # I for a one
        ("LlOOO", ["L1000"]),  # several at once
        ("9035", ["C9035", "G9035", "J9035", "P9035"]),  # the leading letter left out
        ("0035", ["G0035", "H0035", "Q0035"]),
    ],
)
async def test_typo_repair(context: Context, text: str, corrected: list[str]) -> None:
    original = text.strip()
    assert await search(context, text=text) == found(
        len(corrected), *(edge(code, "CORRECTED_CODE", original) for code in corrected)
    )


async def test_no_repair_when_the_text_matches_as_typed(context: Context) -> None:
    # GO and G0 are both modifiers: each finds itself, not the other.
    assert (await search(context, text="GO", first=1)) == found(
        67, edge("GO", "EXACT_CODE"), more=True
    )
    assert (await search(context, text="g0", first=2)) == found(
        398, edge("G0", "EXACT_CODE"), edge("G0008", "CODE_PREFIX"), more=True
    )
    # Four digits that start description words ("1000 units") are not taken for a code.
    thousand = await search(context, text="1000", first=100)
    assert thousand["totalCount"] == 20
    assert {e["matchedBy"] for e in thousand["edges"]} == {"DESCRIPTION"}
    assert {e["correction"] for e in thousand["edges"]} == {None}


async def test_no_repair_when_no_repaired_code_exists(context: Context) -> None:
    # J9135 is not a code: j9l35 finds nothing.
    assert await search(context, text="j9l35") == found(0)
    assert await search(context, text="zzzzqx") == found(0)


async def test_repair_keeps_the_filter(context: Context) -> None:
    assert await search(context, text="9035", filter={"codePrefix": {"eq": "p"}}) == found(
        1, edge("P9035", "CORRECTED_CODE", "9035")
    )
    # Nothing that starts with A0 is a modifier; AO is.
    assert await search(context, text="a0", filter={"kind": {"eq": "MODIFIER"}}) == found(
        1, edge("AO", "CORRECTED_CODE", "a0")
    )
    assert await search(context, text="j9o35", filter={"kind": {"eq": "MODIFIER"}}) == found(0)


# Hostile text ----------------------------------------------------------------------------------

# Text with FTS5 syntax or SQL in it, and the plain words it is taken as.
AS_PLAIN_WORDS = [
    ('"pet"', "pet"),
    ('pet"tumor', "pet tumor"),
    ('"pet tumor', "pet tumor"),
    ("(pet", "pet"),
    ("pet))", "pet"),
    ("((pet) tumor", "pet tumor"),
    ("NEAR(pet tumor, 2)", "near pet tumor 2"),
    ("NEAR(", "near"),
    ("pet*", "pet"),
    ("*pet", "pet"),
    ("^pet", "pet"),
    ("pet OR tumor", "pet or tumor"),
    ("pet AND tumor", "pet and tumor"),
    ("NOT tumor", "not tumor"),
    ("pet NOT tumor", "pet not tumor"),
    ("title:pet", "title pet"),
    ("short_description:pet", "short description pet"),
    ("pet:tumor", "pet tumor"),
    ("-pet", "pet"),
    ("pet -tumor", "pet tumor"),
    ("+pet +tumor", "pet tumor"),
    ("pet\u0000tumor", "pet tumor"),
    ("pet \U0001f600 tumor", "pet tumor"),
    ("pet\ud800", "pet"),
    ("'; drop table code; --", "drop table code"),
    ("pet' or '1'='1", "pet or 1 1"),
    ("%pet%", "pet"),
    ("pet\\", "pet"),
    ("{pet} [tumor]", "pet tumor"),
    ("pet_tumor", "pet tumor"),
    ("  pet\t\ntumor  ", "pet tumor"),
]


@pytest.mark.parametrize(("text", "plain"), AS_PLAIN_WORDS)
async def test_fts5_syntax_and_sql_are_taken_as_plain_words(
    context: Context, text: str, plain: str
) -> None:
    assert await search(context, text=text) == await search(context, text=plain)


# Text that is no code but whose words are searched: how many codes it finds.
# A single word is also taken as a code, whatever punctuation surrounds it: ^a, -a and a* find
# what a finds, the A codes first.
WORDS_FOUND = [
    ("^a", 6036),
    ("-a", 6036),
    ("a*", 6036),
    ("a OR b", 1028),
    ("a:b:c", 1300),
    # No code holds title and x: x, the commoner, is left out.
    ("title:x", 113),
    ("near", 20),
    ("NEAR(", 20),
    # No code holds "and" with the others: it is left out (see ignoredWords).
    ("pet AND tumor", 4),
    ("x" * 200, 0),
    (" ".join(["pet"] * 12), 11),
]


@pytest.mark.parametrize(("text", "total"), WORDS_FOUND)
async def test_hostile_text_finds_its_words(context: Context, text: str, total: int) -> None:
    assert (await search(context, text=text, first=0))["totalCount"] == total


@pytest.mark.parametrize(
    ("text", "first_code", "matched_by", "total"),
    [
        ('"J9035"', "J9035", "EXACT_CODE", 1),
        ("(j9035)", "J9035", "EXACT_CODE", 1),
        ("J9035.", "J9035", "EXACT_CODE", 1),
        ("j90*", "J9000", "CODE_PREFIX", 58),
    ],
)
async def test_a_code_in_punctuation_is_a_code(
    context: Context, text: str, first_code: str, matched_by: str, total: int
) -> None:
    result = await search(context, text=text, first=1)
    assert (
        result["totalCount"],
        result["edges"][0]["node"]["code"],
        result["edges"][0]["matchedBy"],
    ) == (total, first_code, matched_by)


NO_LETTER_OR_DIGIT = [
    "",
    " ",
    "\t\n",
    '"',
    '""',
    "'",
    "*",
    "(",
    "( )",
    "^",
    ":",
    "-",
    "---",
    "+",
    "%_\\",
    "*)(*&^%$#@!",
    "\u0000",
    "\U0001f600",
    "\ud800",
]


@pytest.mark.parametrize("text", NO_LETTER_OR_DIGIT)
async def test_text_without_a_letter_or_digit_is_refused(context: Context, text: str) -> None:
    assert await errors(context, text=text) == [
        ("search text needs at least one letter or digit", {"code": "BAD_SEARCH_TEXT"})
    ]


async def test_at_most_200_characters_and_12_words(context: Context) -> None:
    assert (await search(context, text="x" * 200))["totalCount"] == 0
    assert await errors(context, text="x" * 201) == [
        ("search text is longer than 200 characters", {"code": "BAD_SEARCH_TEXT"})
    ]
    assert (await search(context, text=" ".join(["pet"] * 12)))["totalCount"] == 11
    assert await errors(context, text=" ".join(["pet"] * 13)) == [
        ("search text has more than 12 words", {"code": "BAD_SEARCH_TEXT"})
    ]
    assert await errors(context, text="a-" * 13) == [
        ("search text has more than 12 words", {"code": "BAD_SEARCH_TEXT"})
    ]


# Filters ---------------------------------------------------------------------------------------


async def test_search_with_a_kind_filter(context: Context) -> None:
    assert await search(context, text="lt", filter={"kind": {"eq": "MODIFIER"}}) == found(
        3, edge("LT", "EXACT_CODE"), edge("CN", "DESCRIPTION"), edge("CH", "DESCRIPTION")
    )
    procedures = await search(context, text="lt", filter={"kind": {"eq": "PROCEDURE"}}, first=100)
    everything = await search(context, text="lt", first=100)
    # The filter keeps the order of the search.
    assert procedures == found(
        20, *(e for e in everything["edges"] if e["node"]["code"] not in {"LT", "CN", "CH"})
    )


async def test_search_with_coverage_betos_and_action_filters(context: Context) -> None:
    assert await search(context, text="hydrophilic", filter={"coverage": {"eq": "M"}}) == found(
        2, edge("V2525", "DESCRIPTION"), edge("V2526", "DESCRIPTION")
    )
    new_devices = {"action": {"eq": "A"}, "betos": {"eq": "D1F"}}
    assert await search(context, text="hydrophilic", filter=new_devices) == found(
        3, edge("A4295", "DESCRIPTION"), edge("A4297", "DESCRIPTION"), edge("A4296", "DESCRIPTION")
    )
    not_covered = {"not": {"coverage": {"eq": "D"}}}
    assert (await search(context, text="catheter", filter=not_covered, first=0))[
        "totalCount"
    ] == 162 - 94
    assert (await search(context, text="catheter", filter={"coverage": {"eq": "D"}}, first=0))[
        "totalCount"
    ] == 94


async def test_a_bad_filter_is_a_clear_error(context: Context) -> None:
    assert await errors(context, text="pet", filter={"coverage": {"in": ["C"] * 101}}) == [
        ("coverage: at most 100 values in `in`", {"code": "BAD_FILTER"})
    ]


# Paging ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "total"), [("A9", 141), ("catheter", 162)])
async def test_paging_visits_each_code_once_in_order(
    context: Context, text: str, total: int
) -> None:
    small = await pages(context, text, 7)
    large = await pages(context, text, 100)
    assert len(small) == -(-total // 7)
    assert len(large) == 2
    small_edges = [found_edge for page in small for found_edge in page["edges"]]
    large_edges = [found_edge for page in large for found_edge in page["edges"]]
    assert small_edges == large_edges
    codes = [found_edge["node"]["code"] for found_edge in small_edges]
    assert len(codes) == len(set(codes)) == total
    assert {page["totalCount"] for page in small + large} == {total}
    assert [page["pageInfo"]["hasPreviousPage"] for page in small] == [False] + [True] * (
        len(small) - 1
    )
    for page in small:
        assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]


async def test_paging_crosses_from_code_matches_to_descriptions(
    context: Context, real_db: Path
) -> None:
    small = await pages(context, "A9", 7)
    codes = [(e["node"]["code"], e["matchedBy"]) for page in small for e in page["edges"]]
    prefixed = query_db(
        real_db,
        "select code from code where release_id = '2026-01' and code like 'A9_%'"
        " order by coalesce(term_dt < ?, 0), code",
        JANUARY_DAY.isoformat(),
    )
    assert codes == [
        ("A9", "EXACT_CODE"),
        *((code, "CODE_PREFIX") for (code,) in prefixed),
        # Adenosine injections: "..., instead use a9270".
        ("J0150", "DESCRIPTION"),
        ("J0151", "DESCRIPTION"),
    ]


async def test_empty_pages(context: Context) -> None:
    assert await search(context, PAGE, text="pet tumor", first=0) == empty_page(4, has_next=True)
    last = (await search(context, PAGE, text="pet tumor"))["pageInfo"]["endCursor"]
    assert await search(context, PAGE, text="pet tumor", after=last) == empty_page(
        4, has_next=False, has_previous=True
    )


async def test_default_page_size_is_20(context: Context) -> None:
    page = await search(context, text="catheter")
    assert (len(page["edges"]), page["totalCount"], page["pageInfo"]["hasNextPage"]) == (
        20,
        162,
        True,
    )


@pytest.mark.parametrize(
    ("first", "message"),
    [
        (-1, "`first` must be 0 or more; -1 was given"),
        (101, "`first` may be at most 100; 101 was given"),
    ],
)
async def test_bad_page_size(context: Context, first: int, message: str) -> None:
    assert await errors(context, text="pet", first=first) == [(message, {"code": "BAD_PAGE"})]


@pytest.mark.parametrize("after", ["nope", "", "b2Zmc2V0Oi0x", "b2Zmc2V0OnBldA==", "\u00e9"])
async def test_bad_cursor(context: Context, after: str) -> None:
    assert await errors(context, text="pet", after=after) == [
        (f"`after` is not a cursor this API gave: {after!r}", {"code": "BAD_CURSOR"})
    ]


# Facets ----------------------------------------------------------------------------------------

SINGLE_VALUED = ("kind", "status", "betos", "betosCategory", "coverage", "action")


@pytest.mark.parametrize(
    ("text", "code_filter"),
    [
        ("lt", None),
        ("catheter", None),
        ("A9", None),
        ("injection", None),
        ("catheter", {"coverage": {"eq": "D"}}),
        ("9035", None),
    ],
)
async def test_single_valued_facets_add_up_to_total(
    context: Context, text: str, code_filter: dict[str, Any] | None
) -> None:
    page = await search(context, FACETS, text=text, filter=code_filter)
    for name in SINGLE_VALUED:
        buckets = page["facets"][name]
        assert sum(bucket["count"] for bucket in buckets) == page["totalCount"], name
        assert all(bucket["count"] > 0 for bucket in buckets), name


HYDROPHILIC_FACETS = {
    # Each facet's buckets, the largest first: (code, description, count).
    "kind": [("PROCEDURE", "Procedure code", 13)],
    "status": [("ACTIVE", "Active", 13)],
    "betos": [("D1F", "Prosthetic/Orthotic devices", 11), ("Z2", "Undefined codes", 2)],
    "betosCategory": [("D", "Durable medical equipment", 11), ("Z", "Exceptions/unclassified", 2)],
    "coverage": [
        ("D", "Special coverage instructions apply", 11),
        ("M", "Non-covered by Medicare", 2),
    ],
    "action": [
        ("N", "No maintenance for this code", 10),
        ("A", "Add procedure or modifier code", 3),
    ],
}


async def test_facets_of_a_search(context: Context) -> None:
    assert await search(context, FACETS, text="hydrophilic") == {
        "totalCount": 13,
        "edges": [],
        "facets": {
            name: [bucket(*found) for found in buckets]
            for name, buckets in HYDROPHILIC_FACETS.items()
        },
    }


async def test_facets_of_a_search_with_an_exact_code_and_modifiers(context: Context) -> None:
    page = await search(context, FACETS, text="lt")
    assert (page["totalCount"], page["facets"]["kind"], page["facets"]["status"]) == (
        23,
        [
            bucket("PROCEDURE", "Procedure code", 20),
            bucket("MODIFIER", "Modifier", 3),
        ],
        [
            bucket("ACTIVE", "Active", 21),
            bucket("DISCONTINUED", "Discontinued", 2),
        ],
    )


# Statements ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "count"), [("wheelchair", 3), ("a", 4)])
async def test_a_page_with_every_field_runs_a_constant_number_of_statements(
    connection: aiosqlite.Connection,
    catalog: Catalog,
    statements: list[str],
    text: str,
    count: int,
) -> None:
    """wheelchair: the count, the page and the cross-reference targets; a (a code prefix as
    well as a word): also the count of the code matches, which spares ranking the description
    matches when the page lies within the code matches."""
    for first in (5, 20, 100):
        statements.clear()
        # A request of its own, without cached loads or rows.
        context = make_context(connection, cold(catalog, referrers=False))
        page = await search(context, EVERY_FIELD, text=text, first=first)
        assert len(page["edges"]) == first
        targets = [ref["target"] for e in page["edges"] for ref in e["node"]["crossReferences"]]
        assert targets, "the page should have cross-references to resolve"
        assert len(statements) == count, (first, statements)


# Releases --------------------------------------------------------------------------------------


async def test_search_an_older_release(context: Context) -> None:
    assert await search(context, text="clevidepine") == found(0)
    assert await search(context, text="clevidepine", release="2025-10") == found(
        1, edge("J0759", "DESCRIPTION")
    )
    assert await search(context, text="pet tumor", release="2025-10") == await search(
        context, text="pet tumor"
    )
    hydrophilic = ["V2520", "V2525", "V2521", "V2522", "V2523", "V2524", "V2526"]
    assert await search(context, text="hydrophilic", release="2025-10") == found(
        12,
        *(edge(code, "DESCRIPTION") for code in hydrophilic),
        *(edge(code, "DESCRIPTION") for code in ("A4338", "A4351", "A4352", "A4314", "A4311")),
    )
    # A4295-A4297 were added in January 2026.
    assert await search(context, text="hydrophilic", first=5) == found(
        13,
        edge("V2520", "DESCRIPTION"),
        edge("V2525", "DESCRIPTION"),
        edge("A4295", "DESCRIPTION"),
        edge("A4297", "DESCRIPTION"),
        edge("A4296", "DESCRIPTION"),
        more=True,
    )
    assert await search(context, text="9035", release="2025-10") == found(
        4, *(edge(code, "CORRECTED_CODE", "9035") for code in ("C9035", "G9035", "J9035", "P9035"))
    )


async def test_unknown_release(context: Context) -> None:
    assert await errors(context, text="pet", release="2019-01") == [
        (
            "release '2019-01' is not loaded; loaded releases: 2026-01, 2025-10",
            {"code": "UNKNOWN_RELEASE"},
        )
    ]
