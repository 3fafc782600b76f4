"""Search over the codes of a release: an exact code first, then codes that start with the
text, then full-text matches of the descriptions (every word a prefix or an inflection of it,
all words required).

Within each of those tiers the codes come in the order a coder expects (see RANK_RULES): those
in effect on the day asked before the others, specific codes before not otherwise classified
ones unless the text asks for those, a match at the head of the long description before one
deeper in it, then bm25, then code."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from itertools import islice, product

from hcpcs_graphql.db.codeset import Ranked
from hcpcs_graphql.db.conditions import NOC_SQL, STATUS_SQL, Condition, noc_json
from hcpcs_graphql.db.rows import ReleaseRow
from hcpcs_graphql.domain.status import Status

MAX_LENGTH = 200
"""Characters of search text."""
MAX_WORDS = 12
BM25_WEIGHTS = "2.0, 1.0"
"""bm25 weights of the short and the long description."""
SHORT_PREFIXES = (1, 2)
"""The lengths of the word prefixes whose ranking the loader keeps (the prefix_rank table)."""
NOC_WORDS = frozenset({"unlisted", "noc", "unclassified", "nos"})
"""Words with which a text asks for not otherwise classified codes (and "not otherwise")."""

RANK_RULES = (
    ("status", 4000.0),
    ("noc", 2000.0),
    ("head", 300.0),
)
"""What is added to a description match's bm25 score (negative, far smaller in magnitude than
these) when a code is not in effect on the day asked, or is a NOC code the text did not ask for;
and by how far the head of its long description is from the text: nothing when its first part
(up to a comma) is the text ("Walker, folding"), once when it starts with the text's words in
their order ("Power wheelchair accessory"), twice when it starts with the last of them (the head
of the phrase: "wheelchair cushion" is a cushion), three times otherwise. Each rule outweighs
the next."""
_HEAD_SEGMENT = (
    "lower(trim(substr(c.long_description, 1, instr(c.long_description || ',', ',') - 1)))"
)
_PENALTY = dict(RANK_RULES)

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


class Tier:
    EXACT_CODE = 0
    CODE_PREFIX = 1
    TEXT = 2


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


def _not_active(day: str) -> tuple[str, tuple[str, ...]]:
    sql = STATUS_SQL[Status.ACTIVE]
    return f"not {sql}", (day,) * sql.count("?")


def text_hits(
    text: SearchText, first_rowid: int, last_rowid: int, day: str
) -> tuple[str, list[object]]:
    """Description matches as (id, score), ranked by RANK_RULES on the day DAY (YYYY-MM-DD)."""
    inactive, inactive_parameters = _not_active(day)
    noc = "0" if text.asks_for_noc else NOC_SQL
    noc_parameters: list[object] = [] if text.asks_for_noc else [noc_json()]
    sql = (
        f"select f.rowid as id, bm25(code_fts, {BM25_WEIGHTS})"
        f" + case when {inactive} then {_PENALTY['status']} else 0 end"
        f" + case when {noc} then {_PENALTY['noc']} else 0 end"
        f" + case when {_HEAD_SEGMENT} = ? then 0"
        " when f.rowid in (select rowid from code_fts where code_fts match ?"
        " and rowid between ? and ?) then 1 when f.rowid in (select rowid from code_fts"
        " where code_fts match ? and rowid between ? and ?) then 2 else 3 end"
        f" * {_PENALTY['head']} as score"
        " from code_fts f join code c on c.rowid = f.rowid"
        " where code_fts match ? and f.rowid between ? and ?"
    )
    return sql, [
        *inactive_parameters,
        *noc_parameters,
        " ".join(text.words),
        text.head_phrase_query(),
        first_rowid,
        last_rowid,
        text.head_query(),
        first_rowid,
        last_rowid,
        text.fts_query(),
        first_rowid,
        last_rowid,
    ]


def searched(
    release: ReleaseRow,
    text: SearchText,
    condition: Condition,
    *,
    day: str,
    descriptions: bool = True,
) -> Ranked:
    """The codes of the release that match the text and the condition, with their rank on the
    day DAY; only those that match by code when `descriptions` is false."""
    # The release's codes are the rowids first_rowid..last_rowid of `code` and of `code_fts`.
    hits, text_parameters = text_hits(text, release.first_rowid, release.last_rowid, day)
    counted_hits = (
        "select rowid as id from code_fts where code_fts match ? and rowid between ? and ?"
    )
    counted_parameters: list[object] = [text.fts_query(), release.first_rowid, release.last_rowid]
    if len(text.words) == 1 and len(text.words[0]) in SHORT_PREFIXES:
        # Ranked by the loader (on the release's date): the position is the rank.
        hits = (
            "select code_rowid as id, position as score from prefix_rank"
            " where release_id = ? and prefix = ?"
        )
        text_parameters = [release.id, text.words[0]]
        counted_hits = (
            "select code_rowid as id from prefix_rank where release_id = ? and prefix = ?"
        )
        counted_parameters = list(text_parameters)
    if not descriptions:
        hits, text_parameters = "select 0 as id, 0.0 as score where 0", []
        counted_hits, counted_parameters = "select 0 as id where 0", []
    # Code matches as (id, tier, score): the exact code, then the codes it starts, those not in
    # effect on the day last.
    code_hits = "select 0 as id, 0 as tier, 0 as score where 0"
    code_parameters: list[object] = []
    if text.code is not None:
        inactive, inactive_parameters = _not_active(day)
        code_hits = (
            f"select c.rowid as id, case when c.code = ? then {Tier.EXACT_CODE}"
            f" else {Tier.CODE_PREFIX} end as tier, case when {inactive} then 1 else 0 end"
            " as score from code c where c.release_id = ? and c.code >= ? and c.code < ?"
        )
        code_parameters = [
            text.code,
            *inactive_parameters,
            release.id,
            text.code,
            text.code + "\x7f",
        ]
    # A code that matches by code and by description counts once, by code.
    keys = (
        f"with code_hits as materialized ({code_hits})"
        " select id, tier, score from code_hits"
        f" union all select id, {Tier.TEXT}, score from ({hits})"
        " where id not in (select id from code_hits)"
    )
    counted = f"select id from ({code_hits}) union select id from ({counted_hits})"
    return Ranked(
        keys,
        counted,
        (*code_parameters, *text_parameters),
        condition,
        counted_parameters=(*code_parameters, *counted_parameters),
    )
