"""The text of a search as the full-text index reads it: its words (lower case, without
diacritics), a code at its start (J9035, "j 9035", j9o3) and the FTS5 queries that match it, every
word quoted so that no FTS5 syntax gets through."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from itertools import islice, product

MAX_LENGTH = 200
"""Characters of search text."""
MAX_WORDS = 12
NOC_WORDS = frozenset({"unlisted", "noc", "unclassified", "nos"})
"""Words with which a text asks for not otherwise classified codes (and "not otherwise")."""

_WORD = re.compile(r"[^\W_]+")
_CODE_SHAPED = re.compile(r"^[A-Z0-9]{1,5}$")
_LETTER = re.compile(r"^[A-Z]$")
_CODE_DIGITS = re.compile(r"^[0-9OIL]{1,4}$")
_MODIFIER_SHAPED = re.compile(r"^[A-Z0-9]{2}$")
_FULL_CODE = re.compile(r"^[A-Z][0-9]{4}$")
_LOOK_ALIKE_DIGITS = str.maketrans("OIL", "011")
_LETTERS_DIGITS = re.compile(r"[^\W\d_]+|\d+")
CODE_LENGTH = 5
MAX_HEAD_PHRASES = 16
"""Phrases (the words as typed and their inflections) tried at the head of a description."""
MIN_SPLIT_LENGTH = 2
"""Longer words of letters and digits also match as their parts (b12 as b-12)."""


def plain_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class SearchTextError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class CodeShape:
    """The code at the start of a text, as typed and as searched for."""

    typed: str
    code: str
    """Upper case, letters that look like digits after the first replaced (E0I30 to E0130)."""
    words: int
    """How many words of the text it takes (two for "J 9035")."""


def _code_at_start(words: tuple[str, ...]) -> CodeShape | None:
    first = words[0].upper()
    if len(words) > 1 and _LETTER.match(first) and _CODE_DIGITS.match(words[1].upper()):
        typed, taken = first + words[1].upper(), 2
    elif _CODE_SHAPED.match(first):
        typed, taken = first, 1
    else:
        return None
    code = typed
    tail = typed[1:]
    # Level II procedure codes are a letter and four digits: in the start of one, O, I and L
    # after the letter are typos of 0 and 1 (not in a two-character modifier such as GO; a
    # whole code with a typo is repaired when nothing matches, see code_candidates).
    if (
        3 <= len(typed) < CODE_LENGTH
        and typed[0].isalpha()
        and _CODE_DIGITS.match(tail)
        and any(char.isdigit() for char in tail)
    ):
        code = typed[0] + tail.translate(_LOOK_ALIKE_DIGITS)
    return CodeShape(typed, code, taken)


@dataclass(frozen=True, slots=True)
class SearchText:
    """What a search looks for, from the user's text."""

    words: tuple[str, ...]
    """The words of the text, each matched as a prefix of a description word."""
    code: str | None = None
    """The text as a code (upper case) when it has the shape of one, else None."""
    variants: tuple[tuple[str, ...], ...] = ()
    """For each word, whole description words that also match it (its inflections: shoe for
    shoes); empty when none was looked up."""
    typed_code: str | None = None
    """The code as typed, when the search repaired it (J9O3 for J903)."""

    @classmethod
    def parse(cls, text: str) -> SearchText:
        if len(text) > MAX_LENGTH:
            raise SearchTextError(f"search text is longer than {MAX_LENGTH} characters")
        # As the index holds them: lower case, without diacritics (remove_diacritics 2).
        words = tuple(plain_word(word) for word in _WORD.findall(text))
        if not words:
            raise SearchTextError("search text needs at least one letter or digit")
        if len(words) > MAX_WORDS:
            raise SearchTextError(f"search text has more than {MAX_WORDS} words")
        shape = _code_at_start(words)
        if shape is None:
            return cls(words)
        rest = words[shape.words :]
        if shape.words == 1 and not _FULL_CODE.match(shape.code) and rest:
            # "a0 ambulance" is words; only a whole code goes with words ("J9035 bevacizumab").
            return cls(words)
        if _FULL_CODE.match(shape.code):
            # Modifiers typed after a code (J9035-JW) qualify the code: not description words.
            rest = tuple(word for word in rest if not _MODIFIER_SHAPED.match(word.upper()))
        typed = shape.typed if shape.typed != shape.code else None
        return cls(rest or words, shape.code, typed_code=typed)

    @property
    def asks_for_noc(self) -> bool:
        pairs = zip(self.words, self.words[1:], strict=False)
        return bool(NOC_WORDS.intersection(self.words)) or ("not", "otherwise") in pairs

    def with_variants(self, variants: tuple[tuple[str, ...], ...]) -> SearchText:
        return replace(self, variants=variants)

    def without(self, index: int) -> SearchText:
        return replace(
            self,
            words=self.words[:index] + self.words[index + 1 :],
            variants=self.variants[:index] + self.variants[index + 1 :],
        )

    def with_words(self, words: tuple[str, ...]) -> SearchText:
        return replace(self, words=words, variants=())

    def highlighted_words(self) -> tuple[str, ...]:
        return self.words + tuple(variant for found in self.variants for variant in found)

    def _alternatives(self, index: int, head: bool = False) -> list[str]:
        word = self.words[index]
        start = "^" if head else ""
        found = [f'{start}"{word}"*']
        parts = _LETTERS_DIGITS.findall(word)
        if len(parts) > 1 and len(word) > MIN_SPLIT_LENGTH:
            # b12 matches "b-12" (the index holds "b" and "12"); not g0, which would match
            # "0.5 g/0.125 g".
            found.append(f'{start}"{" ".join(parts)}"*')
        if index < len(self.variants):
            found += [f'{start}"{variant}"' for variant in self.variants[index]]
        return found

    def fts_query(self) -> str:
        # Each word quoted (no FTS5 syntax can get through) and matched as a prefix, or as one of
        # its inflections.
        return " AND ".join(
            f"({' OR '.join(self._alternatives(index))})" for index in range(len(self.words))
        )

    def head_query(self) -> str:
        """Matches a code whose long description starts with the text's last word: in English
        the head of a noun phrase ("wheelchair cushion" is a cushion), so a description that
        starts with another word of the text is about something else ("Wheelchair accessory,
        headrest, cushioned")."""
        found = self._alternatives(len(self.words) - 1, True)
        return f"long_description : ({' OR '.join(found)})"

    def head_phrase_query(self) -> str:
        """Matches a code whose long description starts with the words, in their order, each
        as typed or as one of its inflections ("hearing aids": "Hearing aid, ...")."""
        choices = [
            [f'"{word}"*', *(f'"{variant}"' for variant in self._variants(index))]
            for index, word in enumerate(self.words)
        ]
        phrases = [" + ".join(found) for found in islice(product(*choices), MAX_HEAD_PHRASES)]
        return "long_description : (" + " OR ".join(f"^ {phrase}" for phrase in phrases) + ")"

    def _variants(self, index: int) -> tuple[str, ...]:
        return self.variants[index] if index < len(self.variants) else ()
