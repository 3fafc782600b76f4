"""The spans of an ASCII description are found by plain alternatives and a check of the start of
each match: the same spans as the general pattern, which checks the start at every position."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from hcpcs_graphql.services.text_match import Span, ascii_spans, pattern_spans, spans

TEXTS = (
    "Injection, abatacept, 10 mg (code may be used for medicare when drug administered under"
    " the direct supervision of a physician, not for use when drug is self administered)",
    "Services, serviced; SERVICE-related (non-service) reservices",
    "b12 b-12 vitamin b12b ab12",
    "aaaa aa a",
    "1 to <20 percent & 20-30%",
    "",
    "in in-in inin",
)
WORDS = (
    ("injection",),
    ("ser", "service", "services"),
    ("b12", "b", "12"),
    ("a", "aa"),
    ("in", "inin"),
    ("20", "percent", "to"),
    ("not", "for", "drug"),
)


def ordered(words: tuple[str, ...]) -> list[str]:
    return sorted(set(words), key=lambda word: (-len(word), word))


@pytest.mark.parametrize(("text", "words"), list(itertools.product(TEXTS, WORDS)))
def test_ascii_spans_are_the_patterns(text: str, words: tuple[str, ...]) -> None:
    assert ascii_spans(text.lower(), ordered(words)) == pattern_spans(text, ordered(words))


def test_a_match_inside_a_word_is_not_a_span() -> None:
    text = "reservices, Services"
    assert spans(text, ("services",)) == [Span(12, 20)]


def test_words_in_capitals_match_as_in_lower_case() -> None:
    assert spans("Wheelchair cushion", ("WHEEL", "Cush")) == [Span(0, 5), Span(11, 15)]


def test_a_text_with_diacritics_takes_the_pattern() -> None:
    assert spans("Café crème, cafe", ("cafe", "creme")) == [
        Span(0, 4),
        Span(5, 10),
        Span(12, 16),
    ]


@pytest.mark.realdata
def test_every_real_description_spans_as_the_pattern(real_db: Path) -> None:
    connection = sqlite3.connect(real_db)
    descriptions = [
        text
        for row in connection.execute("select short_description, long_description from code")
        for text in row
        if text is not None and text.isascii()
    ]
    connection.close()
    for words in (*WORDS, ("wheelchair", "wheelchairs"), ("e", "in", "inj"), ("o",)):
        for text in descriptions:
            assert ascii_spans(text.lower(), ordered(words)) == pattern_spans(
                text, ordered(words)
            ), (text, words)
