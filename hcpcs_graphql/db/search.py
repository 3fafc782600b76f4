"""Search over the codes of a release: an exact code first, then codes that start with the
text, then full-text matches of the descriptions (every word a prefix, all words required),
by relevance (bm25), ties broken by code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hcpcs_graphql.db.codeset import CodeSet
from hcpcs_graphql.db.filters import Condition

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


def searched(release_id: str, text: SearchText, condition: Condition) -> CodeSet:
    """The codes of the release that match the text and the condition, with their rank."""
    parts = [f"select code, {Tier.TEXT}, score from text_hits"]
    parameters: list[object] = [text.fts_query(), release_id]
    if text.code is not None:
        parts.append(
            f"select code, {Tier.EXACT_CODE}, 0.0 from code where release_id = ? and code = ?"
        )
        parts.append(
            f"select code, {Tier.CODE_PREFIX}, 0.0 from code"
            " where release_id = ? and code > ? and code < ?"
        )
        parameters += [release_id, text.code, release_id, text.code, text.code + "\x7f"]
    # bm25() may not run inside the aggregate below: rank the text matches on their own first.
    sql = (
        "with text_hits(code, score) as materialized ("
        "select code, bm25(code_fts, 2.0, 1.0) from code_fts"
        " where code_fts match ? and release_id = ?),"
        f" hits(code, tier, score) as ({' union all '.join(parts)}),"
        " best as (select code, min(tier) as tier,"
        f" min(case when tier = {Tier.TEXT} then score else 0.0 end) as score"
        " from hits group by code)"
        " select c.*, best.tier as tier,"
        f" case when best.tier = {Tier.TEXT} then best.score else 0.0 end as score"
        " from best join code c on c.release_id = ? and c.code = best.code"
        f" where ({condition.sql})"
    )
    return CodeSet(sql, (*parameters, release_id, *condition.parameters))
