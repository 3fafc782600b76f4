"""Search over the codes of a release: an exact code first, then codes that start with the
text, then full-text matches of the descriptions (every word a prefix, all words required),
by relevance (bm25), ties broken by code."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from hcpcs_graphql.db.codeset import Ranked
from hcpcs_graphql.db.filters import Condition
from hcpcs_graphql.db.rows import ReleaseRow

MAX_LENGTH = 200
"""Characters of search text."""
MAX_WORDS = 12
BM25_WEIGHTS = "2.0, 1.0"
"""bm25 weights of the short and the long description."""
SHORT_PREFIXES = (1, 2)
"""The lengths of the word prefixes whose ranking the loader keeps (the prefix_rank table)."""

_WORD = re.compile(r"[^\W_]+")
_CODE_SHAPED = re.compile(r"^[A-Z0-9]{1,5}$")


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
class SearchText:
    """What a search looks for, from the user's text."""

    words: tuple[str, ...]
    """The words of the text, each matched as a prefix of a description word."""
    code: str | None = None
    """The text as a code (upper case) when it has the shape of one, else None."""

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
        # A single word may be a code, whatever punctuation is around it ("J9035", j90*).
        code = words[0].upper() if len(words) == 1 else None
        return cls(words, code if code and _CODE_SHAPED.match(code) else None)

    def fts_query(self) -> str:
        # Each word quoted (no FTS5 syntax can get through) and matched as a prefix.
        return " AND ".join(f'"{word}"*' for word in self.words)


def searched(
    release: ReleaseRow, text: SearchText, condition: Condition, *, descriptions: bool = True
) -> Ranked:
    """The codes of the release that match the text and the condition, with their rank; only
    those that match by code when `descriptions` is false."""
    # Description matches as (id, score): the release's codes are the rowids
    # first_rowid..last_rowid of `code` and of `code_fts`.
    text_hits = (
        f"select rowid as id, bm25(code_fts, {BM25_WEIGHTS}) as score from code_fts"
        " where code_fts match ? and rowid between ? and ?"
    )
    text_parameters: list[object] = [text.fts_query(), release.first_rowid, release.last_rowid]
    if len(text.words) == 1 and len(text.words[0]) in SHORT_PREFIXES:
        # Ranked by the loader: the position is the rank.
        text_hits = (
            "select code_rowid as id, position as score from prefix_rank"
            " where release_id = ? and prefix = ?"
        )
        text_parameters = [release.id, text.words[0]]
    if not descriptions:
        text_hits, text_parameters = "select 0 as id, 0.0 as score where 0", []
    # Code matches as (id, tier): the exact code, then the codes it starts.
    code_hits = "select 0 as id, 0 as tier where 0"
    code_parameters: list[object] = []
    if text.code is not None:
        code_hits = (
            f"select rowid as id, case when code = ? then {Tier.EXACT_CODE}"
            f" else {Tier.CODE_PREFIX} end as tier from code"
            " where release_id = ? and code >= ? and code < ?"
        )
        code_parameters = [text.code, release.id, text.code, text.code + "\x7f"]
    # A code that matches by code and by description counts once, by code.
    keys = (
        f"with code_hits as materialized ({code_hits})"
        " select id, tier, 0.0 as score from code_hits"
        f" union all select id, {Tier.TEXT}, score from ({text_hits})"
        " where id not in (select id from code_hits)"
    )
    counted = f"select id from ({code_hits}) union select id from ({text_hits})"
    return Ranked(
        keys,
        counted,
        (*code_parameters, *text_parameters),
        condition,
        counted_parameters=(*code_parameters, *text_parameters),
    )
