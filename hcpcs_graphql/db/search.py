"""Search over the codes of a release: an exact code first, then codes that start with the
text, then full-text matches of the descriptions (every word a prefix, all words required),
by relevance (bm25), ties broken by code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hcpcs_graphql.db.codeset import Ranked
from hcpcs_graphql.db.filters import Condition
from hcpcs_graphql.db.rows import ReleaseRow

MAX_LENGTH = 200
"""Characters of search text."""
MAX_WORDS = 12

_WORD = re.compile(r"[^\W_]+")
_CODE_SHAPED = re.compile(r"^[A-Z0-9]{1,5}$")


class SearchTextError(ValueError):
    pass


class Tier:
    EXACT_CODE = 0
    CODE_PREFIX = 1
    TEXT = 2


@dataclass(frozen=True, slots=True)
class SearchText:
    """What a search looks for, from the user's text."""

    code: str | None
    """The text as a code (upper case) when it has the shape of one, else None."""
    words: tuple[str, ...]
    """The words of the text, each matched as a prefix of a description word."""

    @classmethod
    def parse(cls, text: str) -> SearchText:
        if len(text) > MAX_LENGTH:
            raise SearchTextError(f"search text is longer than {MAX_LENGTH} characters")
        words = tuple(word.lower() for word in _WORD.findall(text))
        if not words:
            raise SearchTextError("search text needs at least one letter or digit")
        if len(words) > MAX_WORDS:
            raise SearchTextError(f"search text has more than {MAX_WORDS} words")
        stripped = text.strip().upper()
        return cls(stripped if _CODE_SHAPED.match(stripped) else None, words)

    def fts_query(self) -> str:
        # Each word quoted (no FTS5 syntax can get through) and matched as a prefix.
        return " AND ".join(f'"{word}"*' for word in self.words)


def searched(
    release: ReleaseRow, text: SearchText, condition: Condition, *, descriptions: bool = True
) -> Ranked:
    """The codes of the release that match the text and the condition, with their rank; only
    those that match by code when `descriptions` is false."""
    # The release's codes are the rowids first_rowid..last_rowid of `code` and of `code_fts`.
    match = "code_fts match ? and rowid between ? and ?"
    parameters: list[object] = [text.fts_query(), release.first_rowid, release.last_rowid]
    if not descriptions:
        match, parameters = "0", []
    exact = "release_id = ? and code = ?"
    prefix = "release_id = ? and code > ? and code < ?"
    if text.code is not None:
        parameters += [release.id, text.code, release.id, text.code, text.code + "\x7f"]
    else:
        exact = prefix = "0"
    # bm25() may not run inside the aggregate below: rank the text matches on their own first.
    keys = (
        "with text_hits(id, score) as materialized ("
        f"select rowid, bm25(code_fts, 2.0, 1.0) from code_fts where {match}),"
        f" hits(id, tier, score) as (select id, {Tier.TEXT}, score from text_hits"
        f" union all select rowid, {Tier.EXACT_CODE}, 0.0 from code where {exact}"
        f" union all select rowid, {Tier.CODE_PREFIX}, 0.0 from code where {prefix})"
        " select id, min(tier) as tier,"
        f" case when min(tier) = {Tier.TEXT} then min(score) else 0.0 end as score"
        " from hits group by id"
    )
    counted = (
        f"select rowid as id from code_fts where {match}"
        f" union select rowid from code where {exact}"
        f" union select rowid from code where {prefix}"
    )
    return Ranked(keys, counted, tuple(parameters), condition)
