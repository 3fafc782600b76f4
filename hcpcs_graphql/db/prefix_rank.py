"""The prefix_rank table: for each one- and two-character word prefix, a release's codes in the
order a search for it ranks them (text_hits on the release's date).

One pass in Python over the release's tokens does what one text_hits statement per prefix did:
for a one-word prefix text_hits is bm25 of one phrase plus RANK_RULES,
and each of those is computed here with the same formula and the same floating-point operations
as SQLite's (fts5_aux.c's bm25: k1 1.2, b 0.75, idf clamped at 1e-6), from the numbers FTS5
keeps: rows and tokens of the whole index (its averages record), tokens of each row (its docsize
table) and, for the idf, the rows of the other releases that match (their prefix_rank rows).
When the tokens found here do not add up to FTS5's for every row, the releases are ranked with
text_hits, one statement per prefix, as before (tests/db/test_prefix_rank.py checks that both
give the same rows).

Into an empty database it costs about what the statements did (two fifths of it is writing some
190,000 rows a release); into a database of several releases far less, since each statement's
bm25 counted the prefix's matches in every release (bench/load.py)."""

from __future__ import annotations

import json
import math
import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from hcpcs_graphql.db.search import (
    BM25_WEIGHTS,
    RANK_RULES,
    SHORT_PREFIXES,
    text_hits,
)
from hcpcs_graphql.db.search_query import SearchText, plain_word
from hcpcs_graphql.domain.noc import noc_codes

_K1 = 1.2
_B = 0.75
_K1_PLUS_ONE = _K1 + 1.0
_WEIGHTS = tuple(float(weight) for weight in BM25_WEIGHTS.split(","))
_PENALTY = dict(RANK_RULES)
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def tokens(text: str) -> list[str]:
    """The words of a text as the unicode61 tokenizer (remove_diacritics 2) indexes them:
    runs of letters, digits and private-use characters, folded."""
    if text.isascii():
        # Nearly every description: letters and digits only need lower case.
        return _ASCII_WORD.findall(text.lower())
    found: list[str] = []
    word: list[str] = []
    for char in text + " ":
        category = unicodedata.category(char)
        if category[0] in "LN" or category == "Co":
            word.append(char)
        elif word:
            found.append(plain_word("".join(word)))
            word = []
    return found


def _varints(blob: bytes) -> list[int]:
    """SQLite's varints (big-endian, seven bits a byte, the ninth byte whole)."""
    values = []
    index = 0
    while index < len(blob):
        value = 0
        for count in range(9):
            byte = blob[index]
            index += 1
            if count == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        values.append(value)
    return values


@dataclass(slots=True)
class _Release:
    release_id: str
    day: str
    rows: list[tuple[int, str, str | None, str | None]]
    """(rowid, code, add_dt, term_dt) of each code."""
    heads: list[tuple[str, str]]
    """(head segment as text_hits compares it, first word of the long description)."""
    sizes: list[int]
    """Tokens of each row, both columns."""
    frequencies: list[dict[str, float]]
    """For each row, each prefix's weighted count of the words it starts."""


def _read(connection: sqlite3.Connection, release_id: str) -> _Release | None:
    first_rowid, last_rowid, day = connection.execute(
        "select first_rowid, last_rowid, effective_date from release where id = ?", (release_id,)
    ).fetchone()
    found = _Release(release_id, day, [], [], [], [])
    stored = dict(
        connection.execute(
            "select id, sz from code_fts_docsize where id between ? and ?",
            (first_rowid, last_rowid),
        ).fetchall()
    )
    for rowid, code, short, long, add_dt, term_dt in connection.execute(
        "select rowid, code, short_description, long_description, add_dt, term_dt from code"
        " where rowid between ? and ? order by rowid",
        (first_rowid, last_rowid),
    ):
        columns = [tokens(short or ""), tokens(long or "")]
        if rowid not in stored or _varints(stored[rowid]) != [len(words) for words in columns]:
            return None
        frequency: dict[str, float] = defaultdict(float)
        for words, weight in zip(columns, _WEIGHTS, strict=True):
            for word in words:
                for length in SHORT_PREFIXES:
                    if len(word) >= length:
                        frequency[word[:length]] += weight
        found.rows.append((rowid, code, add_dt, term_dt))
        segment = (long or "").split(",", 1)[0].strip(" ").translate(_ASCII_LOWER)
        found.heads.append((segment, columns[1][0] if columns[1] else ""))
        found.sizes.append(sum(len(words) for words in columns))
        found.frequencies.append(frequency)
    return found


def rank_with_sql(connection: sqlite3.Connection, release_id: str) -> None:
    """The release's ranking by text_hits itself, one statement per prefix of the index."""
    terms = connection.execute("select term from code_fts_vocabulary").fetchall()
    prefixes = sorted({term[:length] for (term,) in terms for length in SHORT_PREFIXES})
    first_rowid, last_rowid, day = connection.execute(
        "select first_rowid, last_rowid, effective_date from release where id = ?", (release_id,)
    ).fetchone()
    for prefix in prefixes:
        hits, parameters = text_hits(SearchText((prefix,)), first_rowid, last_rowid, day)
        connection.execute(
            "insert into prefix_rank (release_id, prefix, position, code_rowid)"
            " select ?, ?, row_number() over (order by score, id), id from ("
            f" with matches as materialized ({hits}) select * from matches)",
            (release_id, prefix, *parameters),
        )


def _matching_rows(connection: sqlite3.Connection, others: list[str], prefix: str) -> int:
    """Rows of the other releases that a search for the prefix matches: their ranking's length."""
    total = 0
    for release_id in others:
        row = connection.execute(
            "select max(position) from prefix_rank where release_id = ? and prefix = ?",
            (release_id, prefix),
        ).fetchone()
        total += row[0] or 0
    return total


def rank_short_prefixes(connection: sqlite3.Connection, release_ids: list[str]) -> None:
    """Rank the codes of the releases just written for each short prefix. bm25 weighs a match by
    statistics of the whole index, which each load changes a little; the releases loaded before
    keep the ranking of their own load (ranking them all again grew with each release)."""
    for release_id in release_ids:
        connection.execute("delete from prefix_rank where release_id = ?", (release_id,))
    others = [
        release_id
        for (release_id,) in connection.execute("select id from release order by id")
        if release_id not in release_ids
    ]
    read = [_read(connection, release_id) for release_id in release_ids]
    releases = [release for release in read if release is not None]
    if len(releases) < len(read):
        for release_id in release_ids:
            rank_with_sql(connection, release_id)
        return
    (averages,) = connection.execute("select block from code_fts_data where id = 1").fetchone()
    index_rows, *column_tokens = _varints(averages)
    average_size = float(sum(column_tokens)) / float(index_rows)
    matching: dict[str, int] = defaultdict(int)
    for release in releases:
        for frequency in release.frequencies:
            for prefix in frequency:
                matching[prefix] += 1
    idf: dict[str, float] = {}
    for prefix, rows in matching.items():
        hits = float(rows + _matching_rows(connection, others, prefix))
        value = math.log((index_rows - hits + 0.5) / (hits + 0.5))
        idf[prefix] = value if value > 0.0 else 1e-6
    nocs = noc_codes()
    for release in releases:
        _rank(connection, release, idf, average_size, nocs)


def _rank(
    connection: sqlite3.Connection,
    release: _Release,
    idf: dict[str, float],
    average_size: float,
    nocs: frozenset[str],
) -> None:
    scored: dict[str, list[tuple[float, int]]] = defaultdict(list)
    head_penalty = _PENALTY["head"]
    noc_penalty = {prefix: 0 if _asks_for_noc(prefix) else _PENALTY["noc"] for prefix in idf}
    for (rowid, code, add_dt, term_dt), (segment, first_word), size, frequency in zip(
        release.rows, release.heads, release.sizes, release.frequencies, strict=True
    ):
        active = (add_dt is None or add_dt <= release.day) and (
            term_dt is None or term_dt >= release.day
        )
        status = 0 if active else _PENALTY["status"]
        # The factors of fts5's bm25 that do not depend on the phrase, computed as it does.
        saturation = _K1 * (1 - _B + _B * float(size) / average_size)
        is_noc = code in nocs
        for prefix, count in frequency.items():
            bm25 = -1.0 * (idf[prefix] * ((count * _K1_PLUS_ONE) / (count + saturation)))
            noc = noc_penalty[prefix] if is_noc else 0
            head = 0 if segment == prefix else 1 if first_word.startswith(prefix) else 3
            scored[prefix].append((bm25 + status + noc + head * head_penalty, rowid))
    # One statement with the rows as JSON: far cheaper than one insert per row.
    connection.execute(
        "insert into prefix_rank (release_id, prefix, position, code_rowid)"
        " select ?, value ->> 0, value ->> 1, value ->> 2 from json_each(?)",
        (
            release.release_id,
            json.dumps(
                [
                    (prefix, position, rowid)
                    for prefix in sorted(scored)
                    for position, (_, rowid) in enumerate(sorted(scored[prefix]), start=1)
                ]
            ),
        ),
    )


def _asks_for_noc(prefix: str) -> bool:
    return SearchText((prefix,)).asks_for_noc
