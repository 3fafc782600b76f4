"""The valid codes nearest to a code that does not exist, for claim lines and chargemaster
reviews: by the code's shape (one character away) and, for text that is words, by description.

Cheap and deterministic: every code one edit away from the text is looked up in one statement
(a few hundred candidates each), and every description search of a request runs in one
statement; the nearest come first, in a fixed order."""

from __future__ import annotations

import datetime
import string
from collections.abc import Sequence
from dataclasses import dataclass
from enum import auto

import aiosqlite
from strawberry.dataloader import DataLoader

from hcpcs_graphql.db.lookups import DescriptionSearch, description_matches, fetch_code_pairs
from hcpcs_graphql.db.rows import CodeRow, ReleaseRow
from hcpcs_graphql.db.search_query import SearchText, SearchTextError
from hcpcs_graphql.domain.code_shapes import code_like, words_like
from hcpcs_graphql.domain.described import DescribedEnum
from hcpcs_graphql.domain.status import Status, status_on
from hcpcs_graphql.services.codes import normalize_code
from hcpcs_graphql.services.text_match import code_candidates

MAX_SUGGESTIONS = 5
CODE_LENGTH = 5
_CHARACTERS = string.digits + string.ascii_uppercase


class SuggestionReason(DescribedEnum):
    CODE_SHAPE = (
        auto(),
        "One character away from the text: a letter O for a zero or an I for a one (or a missing "
        "leading letter) first, then two neighbouring characters swapped, then one character "
        "changed (the rightmost first, the closest character first), then one character too many "
        "or too few.",
    )
    DESCRIPTION = (
        auto(),
        "The text is words (not a code), and they match the code's descriptions as `search` "
        "matches them; the best matches first.",
    )


@dataclass(frozen=True, slots=True)
class Suggestion:
    row: CodeRow
    reason: SuggestionReason


@dataclass(frozen=True, slots=True)
class SuggestionKey:
    """Valid codes of a release, on a day, near a text."""

    release: ReleaseRow
    day: datetime.date
    text: str


def _nearest_first(alternatives: str, typed: str) -> list[str]:
    """The characters of the same kind as the typed one (digits for a digit), the closest first."""
    same_kind = string.digits if typed.isdigit() else string.ascii_uppercase
    others = [char for char in same_kind if char != typed]
    others.sort(key=lambda char: (abs(ord(char) - ord(typed)), char))
    return others + [char for char in alternatives if char not in same_kind]


def shape_candidates(text: str) -> list[str]:
    """Five-character codes one edit away from the text, the likeliest first: a letter O for a
    zero or an I for a one (and a missing leading letter), then two neighbours swapped, then one
    character changed (the rightmost first, the closest character first), then one character
    too many or too few."""
    typed = normalize_code(text)
    if not code_like(typed):
        return []
    found: dict[str, None] = dict.fromkeys(
        candidate for candidate in code_candidates(typed) if len(candidate) == CODE_LENGTH
    )
    if len(typed) == CODE_LENGTH:
        for i in range(CODE_LENGTH - 1):
            found.setdefault(typed[:i] + typed[i + 1] + typed[i] + typed[i + 2 :], None)
        for i in reversed(range(CODE_LENGTH)):
            for char in _nearest_first(_CHARACTERS, typed[i]):
                found.setdefault(typed[:i] + char + typed[i + 1 :], None)
    elif len(typed) == CODE_LENGTH + 1:
        for i in reversed(range(len(typed))):
            found.setdefault(typed[:i] + typed[i + 1 :], None)
    elif len(typed) == CODE_LENGTH - 1:
        for i in reversed(range(CODE_LENGTH)):
            for char in _CHARACTERS:
                found.setdefault(typed[:i] + char + typed[i:], None)
    found.pop(typed, None)
    return list(found)


def _valid(row: CodeRow, day: datetime.date) -> bool:
    return row.kind == "PROCEDURE" and status_on(row.add_dt, row.term_dt, day) is Status.ACTIVE


async def suggest(
    connection: aiosqlite.Connection, keys: Sequence[SuggestionKey]
) -> list[list[Suggestion]]:
    """For each key, at most MAX_SUGGESTIONS valid procedure codes: by shape for text that
    looks like a code, by description for text that is words (the best matches, as `search`
    ranks them)."""
    candidates = {key: shape_candidates(key.text) for key in keys}
    rows = await fetch_code_pairs(
        connection,
        [(key.release.id, code) for key, codes in candidates.items() for code in codes],
    )
    existing = {(row.release_id, row.code): row for row in rows}
    searches: dict[SuggestionKey, DescriptionSearch] = {}
    for key in keys:
        if not words_like(key.text):
            continue
        try:
            parsed = SearchText.parse(key.text)
        except SearchTextError:
            continue
        searches[key] = DescriptionSearch(
            key.release.first_rowid, key.release.last_rowid, parsed.fts_query(), key.day
        )
    matches = dict(
        zip(
            searches,
            await description_matches(connection, list(searches.values()), MAX_SUGGESTIONS),
            strict=True,
        )
    )
    found = []
    for key in keys:
        by_shape = [
            Suggestion(row, SuggestionReason.CODE_SHAPE)
            for code in candidates[key]
            if (row := existing.get((key.release.id, code))) is not None and _valid(row, key.day)
        ]
        by_description = [
            Suggestion(row, SuggestionReason.DESCRIPTION) for row in matches.get(key, [])
        ]
        found.append((by_shape + by_description)[:MAX_SUGGESTIONS])
    return found


def suggestion_loader(
    connection: aiosqlite.Connection,
) -> DataLoader[SuggestionKey, list[Suggestion]]:
    """Suggestions for the keys a request asks about, in one batch (a loader per request)."""

    async def load(keys: list[SuggestionKey]) -> list[list[Suggestion]]:
        return await suggest(connection, keys)

    return DataLoader(load_fn=load)
