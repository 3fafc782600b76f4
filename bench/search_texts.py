"""bench/search.py's texts: what a typeahead sends, by kind (1, 2 and 3 characters, one word, two
words, codes, typos), chosen from the descriptions and codes of the release."""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from paths import BenchError
from queries import spread
from releases import read_release

RELEASE = "2026-01"
SEED = 2026

ONE_CHAR = "(1a) search: 1 char"


TWO_CHARS = "(1b) search: 2 chars"


THREE_CHARS = "(1c) search: 3 chars"


ONE_WORD = "(1d) search: 1 word"


TWO_WORDS = "(1e) search: 2 words"


CODES = "(1f) search: code"


TYPOS = "(1g) search: typo"


TYPEAHEAD = (ONE_CHAR, TWO_CHARS, THREE_CHARS, ONE_WORD, TWO_WORDS, CODES, TYPOS)

# Words as the API splits them (hcpcs_graphql.db.search_query): runs of letters and digits.
WORD = re.compile(r"[^\W_]+")


STOPWORDS = frozenset((
    "a", "an", "and", "any", "are", "as", "at", "be", "by", "each", "for", "from", "in",
    "includes", "including", "is", "it", "no", "non", "not", "of", "on", "or", "other", "per",
    "than", "that", "the", "this", "to", "up", "use", "used", "w", "when", "which", "with",
))  # fmt: skip


EXAMPLE_WORDS = ("wheelchair", "injection", "catheter")


TEXTS_PER_VARIANT = 400


CODE_TEXTS = 500


MIN_WORDS = 40


MIN_TYPO_LENGTH = 6


def heavy_and_spread(ranked: Sequence[str], count: int) -> list[str]:
    """Half of COUNT from the top of RANKED (the most frequent, the heaviest to search), the
    other half spread evenly over the rest (down to the rarest)."""
    if len(ranked) <= count:
        return list(ranked)
    top = count // 2
    return [*ranked[:top], *spread(ranked[top:], count - top)]


def by_frequency(counts: Counter[str], minimum: int = 1) -> list[str]:
    return [
        item
        for item, count in sorted(counts.items(), key=lambda entry: (-entry[1], entry[0]))
        if count >= minimum
    ]


def mixed_case(code: str, index: int) -> str:
    """The code as users type it: upper case, lower case, or capitalized (Lt, Rt, ...)."""
    return (code.upper(), code.lower(), code.capitalize())[index % 3]


def shuffled(texts: Sequence[str], seed: int) -> list[str]:
    """The distinct texts in a fixed pseudo-random order, so that neighbours differ."""
    unique = list(dict.fromkeys(texts))
    random.Random(seed).shuffle(unique)
    return unique


@dataclass
class Texts:
    release: str
    by_variant: dict[str, list[str]]


def choose_texts(db: Path) -> Texts:
    """The texts of each typeahead variant, from the descriptions and codes of the release."""
    with read_release(db, RELEASE) as (connection, _):
        rows: list[tuple[str, str | None, str]] = connection.execute(
            "select code, short_description, long_description from code where release_id = ?"
            " order by code",
            (RELEASE,),
        ).fetchall()
    # Each count is of codes: a word counts once per code whose descriptions hold it.
    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    prefixes: dict[int, Counter[str]] = {2: Counter(), 3: Counter()}
    code_prefixes: dict[int, Counter[str]] = {2: Counter(), 3: Counter()}
    for code, short, long in rows:
        found: set[str] = set()
        found_pairs: set[str] = set()
        for text in (short or "", long):
            tokens = [token.lower() for token in WORD.findall(text)]
            found.update(tokens)
            found_pairs.update(
                f"{first} {second}"
                for first, second in itertools.pairwise(tokens)
                if plain_word(first, 3) and plain_word(second, 3)
            )
        words.update(found)
        pairs.update(found_pairs)
        for length, counter in prefixes.items():
            counter.update({word[:length] for word in found if len(word) >= length})
        for length, counter in code_prefixes.items():
            if len(code) > length:
                counter[code[:length]] += 1
    one_word = [word for word in by_frequency(words, 2) if plain_word(word, 4)]
    chosen_words = heavy_and_spread(one_word, TEXTS_PER_VARIANT)
    chosen_words += [word for word in EXAMPLE_WORDS if word not in chosen_words]
    if len(chosen_words) < MIN_WORDS:
        raise BenchError(f"{db}: only {len(chosen_words)} words for the one-word variant")

    def short_texts(length: int) -> list[str]:
        # Three quarters the start of a description word, a quarter the start of a code.
        from_words = heavy_and_spread(by_frequency(prefixes[length]), TEXTS_PER_VARIANT * 3 // 4)
        from_codes = heavy_and_spread(by_frequency(code_prefixes[length]), TEXTS_PER_VARIANT // 4)
        seen = {text.lower() for text in from_words}
        return from_words + [
            mixed_case(prefix, index)
            for index, prefix in enumerate(from_codes)
            if prefix.lower() not in seen
        ]

    codes = [code for code, _, _ in rows]
    letters = "abcdefghijklmnopqrstuvwxyz"
    by_variant = {
        ONE_CHAR: [*letters, *letters.upper(), *"0123456789"],
        TWO_CHARS: short_texts(2),
        THREE_CHARS: short_texts(3),
        ONE_WORD: chosen_words,
        TWO_WORDS: heavy_and_spread(by_frequency(pairs, 2), TEXTS_PER_VARIANT),
        CODES: [mixed_case(code, index) for index, code in enumerate(spread(codes, CODE_TEXTS))],
        # Two inner letters swapped (the search repairs them): words no description holds.
        TYPOS: [
            typo
            for word in chosen_words
            if len(word) >= MIN_TYPO_LENGTH
            and (typo := word[:2] + word[3] + word[2] + word[4:]) not in words
        ],
    }
    return Texts(
        RELEASE,
        {
            name: shuffled(texts, SEED + index)
            for index, (name, texts) in enumerate(by_variant.items())
        },
    )


def plain_word(word: str, length: int) -> bool:
    return word.isalpha() and len(word) >= length and word not in STOPWORDS
