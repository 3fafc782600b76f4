"""Forgiving search words: the inflections of a word that the descriptions hold (Snowball's
English stemmer: wheelchairs finds wheelchair, shoes finds shoe), and the repair of a word that
no description holds by its nearest description word (rapidfuzz, optimal string alignment:
nebuliser to nebulizer, wheelchiar to wheelchair)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import aiosqlite
import Stemmer

from hcpcs_graphql.db.vocabulary import fetch_terms

MAX_VARIANTS = 8
"""Inflections of one word added to a search, at most."""
MIN_REPAIRED_LENGTH = 4
"""Shorter words are never repaired: too many words lie one edit away from them."""
INFLECTIONS = frozenset({"", "s", "es", "e", "ed", "d", "ing", "y", "ies", "is"})
"""The endings in which two forms of a word may differ (shoe-s, batter-y/-ies, orthos-is/-es)."""
_STEM_ENDINGS = "is"
_STEM_MIN = 3

# Without PyStemmer's cache (size 0): each description word is stemmed once, when the catalog
# is read, and the 11,500 words overflow the cache's 10,000, so that it cost more than it saved
# (13 ms against 3.5 ms for the two releases, every start); a request stems a word or two.
_STEMMER = Stemmer.Stemmer("english", 0)
_NO_VOWELS = str.maketrans("", "", "aeiouy")


def stem_key(word: str) -> str:
    """The key words that inflect one another share: the stem, without the trailing i and s the
    stemmer leaves on some Greek and Latin plurals (orthosis and orthoses, lens and lenses)."""
    key = str(_STEMMER.stemWord(word))
    while len(key) > _STEM_MIN and key[-1] in _STEM_ENDINGS:
        key = key[:-1]
    return key


def _inflects(word: str, other: str) -> bool:
    """Whether the two words differ in an inflectional ending only: the stemmer takes
    derivations too (ambulance, ambulate and ambulation are all "ambul")."""
    common = next(
        (at for at, (mine, theirs) in enumerate(zip(word, other, strict=False)) if mine != theirs),
        min(len(word), len(other)),
    )
    return word[common:] in INFLECTIONS and other[common:] in INFLECTIONS


def _consonants(word: str) -> str:
    return word.translate(_NO_VOWELS)


def max_edits(word: str) -> int:
    return 1 if len(word) < 7 else 2


@dataclass(frozen=True, slots=True)
class WordRepair:
    original: str
    corrected: str


class Vocabulary:
    def __init__(self, terms: list[tuple[str, int]]) -> None:
        self._sorted = sorted(term for term, _ in terms)
        self._documents = dict(terms)
        self._by_key: dict[str, list[str]] = {}
        for term in self._sorted:
            self._by_key.setdefault(stem_key(term), []).append(term)
        # Repairs are to plain words: not to codes or numbers written in descriptions. By
        # length: a word more edits longer or shorter than the limit is never near enough.
        self._by_length: dict[int, list[str]] = {}
        for term in self._sorted:
            if term.isalpha():
                self._by_length.setdefault(len(term), []).append(term)

    def has_prefix(self, word: str) -> bool:
        at = bisect.bisect_left(self._sorted, word)
        return at < len(self._sorted) and self._sorted[at].startswith(word)

    def documents(self, word: str) -> int:
        """How many descriptions hold a word that starts with WORD (counted once per word)."""
        at = bisect.bisect_left(self._sorted, word)
        total = 0
        while at < len(self._sorted) and self._sorted[at].startswith(word):
            total += self._documents[self._sorted[at]]
            at += 1
        return total

    def variants(self, word: str) -> tuple[str, ...]:
        """Description words that inflect WORD and that WORD, as a prefix, does not match."""
        if not word.isalpha():
            return ()
        found = [
            term
            for term in self._by_key.get(stem_key(word), [])
            if not term.startswith(word) and _inflects(word, term)
        ]
        found.sort(key=lambda term: -self._documents[term])
        return tuple(found[:MAX_VARIANTS])

    def repaired(self, word: str) -> str | None:
        """The description word nearest to WORD when none starts with it (and it has no
        inflection that one holds)."""
        if len(word) < MIN_REPAIRED_LENGTH or not word.isalpha() or self.has_prefix(word):
            return None
        if self.variants(word):
            return None
        # Imported at the first repair: rapidfuzz is 41 modules, 6 ms of every start otherwise
        # (the first search with a word to repair takes them once).
        from rapidfuzz import process  # noqa: PLC0415
        from rapidfuzz.distance import OSA  # noqa: PLC0415

        limit = max_edits(word)
        near = [
            term
            for length in range(len(word) - limit, len(word) + limit + 1)
            for term in self._by_length.get(length, ())
        ]
        found = process.extract(word, near, scorer=OSA.distance, score_cutoff=limit, limit=None)
        if not found:
            return None
        # Equally near: a word with the typed consonants (a vowel mistyped, the commonest
        # misspelling: concentrater is concentrator, not concentrated), of the typed length, then
        # the commoner word.
        typed = _consonants(word)
        best = min(
            found,
            key=lambda match: (
                match[1],
                _consonants(match[0]) != typed,
                abs(len(match[0]) - len(word)),
                -self._documents[match[0]],
                match[0],
            ),
        )
        return str(best[0])


class VocabularyCache:
    """The vocabulary of the served database, read once (the database never changes while it is
    served)."""

    def __init__(self) -> None:
        self._found: Vocabulary | None = None

    async def get(self, connection: aiosqlite.Connection) -> Vocabulary:
        # Two requests that both find it missing both read it: the same words, no harm.
        if self._found is None:
            self._found = Vocabulary(await fetch_terms(connection))
        return self._found
