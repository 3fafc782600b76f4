"""What a search hit shows of its match: the spans of a description that the search words
match, and the repair of code-shaped typos."""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_AMBIGUOUS = {"O": "O0", "0": "0O", "I": "I1", "L": "L1", "1": "1IL"}
MAX_CANDIDATES = 64


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


def _without_diacritics(text: str) -> str:
    return "".join(
        char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char)
    )


def _folded(text: str) -> str:
    """The text with the diacritics of each character removed where that leaves one character
    (é to e), so that offsets in it are offsets in the text."""
    if text.isascii():
        # Nearly every description: nothing to fold (and folding a long one character by
        # character was most of a typeahead's time).
        return text
    return "".join(plain if len(plain := _without_diacritics(char)) == 1 else char for char in text)


def spans(text: str | None, words: tuple[str, ...]) -> list[Span]:
    """Where the words match in the text, as FTS5 matches them: each word as the prefix of a word
    of the text, case-insensitively, diacritics removed (the index's remove_diacritics).
    Overlapping spans are merged; in text order."""
    if not text or not words:
        return []
    plain_words = {plain for word in words if (plain := _without_diacritics(word))}
    if not plain_words:
        return []
    ordered = sorted(plain_words, key=lambda word: (-len(word), word))
    if text.isascii() and all(word.isascii() and word.isalnum() for word in ordered):
        return ascii_spans(text.lower(), [word.lower() for word in ordered])
    return pattern_spans(_folded(text), ordered)


def pattern_spans(folded: str, ordered: list[str]) -> list[Span]:
    """spans() of any text, its diacritics folded: each word (the longest first) where no letter
    or digit precedes it, case-insensitively."""
    pattern = re.compile(
        "|".join(rf"(?<![^\W_]){re.escape(word)}" for word in ordered), re.IGNORECASE
    )
    return _merged((match.start(), match.end()) for match in pattern.finditer(folded))


def ascii_spans(lowered: str, ordered: list[str]) -> list[Span]:
    """pattern_spans() of an ASCII text and of words of ASCII letters and digits, all in lower
    case (nearly every description): the words as plain alternatives, which the regular
    expression engine finds by their first letters, then each match that is not at the start of
    a word dropped (seven times faster on a long description than testing for the start at
    every position). The words are letters and digits, so no match at the start of a word lies
    inside a dropped one."""
    pattern = re.compile("|".join(re.escape(word) for word in ordered))
    return _merged(
        (match.start(), match.end())
        for match in pattern.finditer(lowered)
        if not (match.start() and lowered[match.start() - 1].isalnum())
    )


def _merged(matches: Iterable[tuple[int, int]]) -> list[Span]:
    """Matches in text order as spans, overlapping ones merged."""
    found: list[Span] = []
    for start, end in matches:
        if found and start <= found[-1].end:
            found[-1] = Span(found[-1].start, max(found[-1].end, end))
        else:
            found.append(Span(start, end))
    return found


def marked(
    text: str | None, found: list[Span], start: str = "<mark>", end: str = "</mark>"
) -> str | None:
    """HTML: the text escaped (descriptions hold <, > and &: "1 to <20 percent"), each span in
    START and END."""
    if text is None:
        return None
    parts = []
    position = 0
    for span in found:
        parts += [
            html.escape(text[position : span.start]),
            start,
            html.escape(text[span.start : span.end]),
            end,
        ]
        position = span.end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def code_candidates(text: str) -> list[str]:
    """Codes the text may have meant: a letter O typed for a zero or a zero for an O, an I or l
    for a one; and, for four digits, the code with each leading letter."""
    typed = text.strip()
    if not re.fullmatch(r"[A-Za-z0-9]{2,5}", typed):
        return []
    if typed.isdigit() and len(typed) == 4:
        return [f"{letter}{typed}" for letter in "ABCEGHJKLMPQRSTUV"]
    choices = [_AMBIGUOUS.get(char.upper(), char.upper()) for char in typed]
    candidates = []
    for combination in itertools.islice(itertools.product(*choices), MAX_CANDIDATES):
        candidate = "".join(combination)
        if candidate != typed.upper():
            candidates.append(candidate)
    return candidates
