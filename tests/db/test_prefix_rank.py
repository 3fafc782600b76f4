"""The short-prefix ranking computed in Python is the one text_hits gives, row for row."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from hcpcs_graphql.db import prefix_rank
from hcpcs_graphql.db.prefix_rank import rank_short_prefixes, rank_with_sql

ROWS = "select release_id, prefix, position, code_rowid from prefix_rank order by 1, 2, 3"


def ranked_by_sql(connection: sqlite3.Connection) -> list[tuple[object, ...]]:
    release_ids = [row[0] for row in connection.execute("select id from release")]
    connection.execute("begin")
    connection.execute("delete from prefix_rank")
    for release_id in release_ids:
        rank_with_sql(connection, release_id)
    rows = connection.execute(ROWS).fetchall()
    connection.execute("rollback")
    return rows


def never(connection: sqlite3.Connection, release_id: str) -> None:
    raise AssertionError("ranked by text_hits")


@pytest.fixture
def copy(real_db: Path, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to a copy of real_db, which holds two releases loaded together: both ranked
    on the same index."""
    db = tmp_path / "copy.db"
    shutil.copyfile(real_db, db)
    connection = sqlite3.connect(db, isolation_level=None)
    yield connection
    connection.close()


def reranked(connection: sqlite3.Connection) -> list[tuple[object, ...]]:
    """The rows once both releases are ranked again, in a transaction then rolled back."""
    connection.execute("begin")
    try:
        rank_short_prefixes(connection, ["2025-10", "2026-01"])
        rows: list[tuple[object, ...]] = connection.execute(ROWS).fetchall()
        return rows
    finally:
        connection.execute("rollback")


def test_the_ranking_is_text_hits_ranking(
    copy: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = ranked_by_sql(copy)
    monkeypatch.setattr(prefix_rank, "rank_with_sql", never)
    assert len(expected) > 300_000
    assert reranked(copy) == expected


def test_tokens_that_do_not_add_up_fall_back_to_text_hits(
    copy: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = copy.execute(ROWS).fetchall()
    monkeypatch.setattr(prefix_rank, "tokens", lambda text: text.split(","))
    assert reranked(copy) == expected


def test_tokens_as_unicode61_folds_them() -> None:
    assert prefix_rank.tokens("Wheelchair, Café-au-lait 2.5 mg/ml") == [
        "wheelchair",
        "cafe",
        "au",
        "lait",
        "2",
        "5",
        "mg",
        "ml",
    ]
