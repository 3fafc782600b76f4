"""What a search looks for, from what was typed: the day whose codes come first, the words'
inflections and repairs, and the word to leave out when no code holds them all."""

from __future__ import annotations

import datetime

from hcpcs_graphql.db.rows import ReleaseRow
from hcpcs_graphql.db.search_query import SearchText
from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.vocabulary import Vocabulary, WordRepair


def search_day(
    context: Context, found: ReleaseRow, release: str | None, as_of: datetime.date | None
) -> str:
    """The day whose codes in effect come first: asOf, else the release's date when a release
    is named, else today."""
    if as_of is not None:
        return as_of.isoformat()
    if release is not None:
        return found.effective_date.isoformat()
    return context.today.isoformat()


def forgiving(vocabulary: Vocabulary, parsed: SearchText) -> tuple[SearchText, list[WordRepair]]:
    """The text with each word's inflections, and its words that no description holds repaired
    to the nearest that one does."""
    repairs = []
    if parsed.typed_code is not None and parsed.code is not None:
        repairs.append(WordRepair(parsed.typed_code, parsed.code))
    words = []
    for word in parsed.words:
        repaired = vocabulary.repaired(word)
        if repaired is not None:
            repairs.append(WordRepair(word, repaired))
        words.append(repaired or word)
    expanded = parsed.with_words(tuple(words))
    return expanded.with_variants(tuple(vocabulary.variants(word) for word in words)), repairs


def to_leave_out(vocabulary: Vocabulary, text: SearchText, repaired: set[str]) -> int:
    """The index of the word to leave out first: a word no description holds, else a repaired
    word (a guess), else the word that the most descriptions hold (the last of equals)."""
    counts = [vocabulary.documents(word) for word in text.words]
    return max(
        range(len(counts)),
        key=lambda index: (
            counts[index] == 0,
            text.words[index] in repaired,
            counts[index],
            index,
        ),
    )
