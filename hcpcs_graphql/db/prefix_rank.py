"""The prefix_rank table: for each one- and two-character word prefix, a release's codes in the
order a search for it ranks them (text_hits on the release's date)."""

from __future__ import annotations

import sqlite3

from hcpcs_graphql.db.search import SHORT_PREFIXES, SearchText, text_hits


def rank_short_prefixes(connection: sqlite3.Connection, release_ids: list[str]) -> None:
    """Rank the codes of the releases just written for each short prefix, as a search would on
    the release's date (text_hits). bm25 weighs a match by statistics of the whole index, which
    each load changes a little; the releases loaded before keep the ranking of their own load.
    Ranking every release again took most of a load into a database of several releases (6.3 of
    8.7 s with seven releases: bench/load.py), and grew with each release.

    About two fifths of the time is writing the rows (some 190,000 a release); computing the
    same ranking in one pass in Python (bm25 as fts5 computes it, from its docsize and averages
    records) gave the same rows but was no faster than these statements."""
    terms = connection.execute("select term from code_fts_vocabulary").fetchall()
    prefixes = sorted({term[:length] for (term,) in terms for length in SHORT_PREFIXES})
    for release_id in release_ids:
        connection.execute("delete from prefix_rank where release_id = ?", (release_id,))
        first_rowid, last_rowid, day = connection.execute(
            "select first_rowid, last_rowid, effective_date from release where id = ?",
            (release_id,),
        ).fetchone()
        for prefix in prefixes:
            hits, parameters = text_hits(SearchText((prefix,)), first_rowid, last_rowid, day)
            connection.execute(
                "insert into prefix_rank (release_id, prefix, position, code_rowid)"
                " select ?, ?, row_number() over (order by score, id), id from ("
                f" with matches as materialized ({hits}) select * from matches)",
                (release_id, prefix, *parameters),
            )
