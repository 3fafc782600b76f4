"""Whether a database file can answer: every table of the schema is there and its first and last
rows can be read. Reading the ends of each table's b-tree touches its root and its rightmost
pages, so a file that was truncated or overwritten fails here, in a few statements, instead of
on the first query that needs a page that is gone (a full `pragma quick_check` reads the whole
file)."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import aiosqlite

from hcpcs_graphql.db.tables import create_schema

FileIdentity = tuple[int, int, int, int]


def file_identity(path: Path) -> FileIdentity:
    """What changes when the file is replaced, truncated or written. A server reads the catalog
    again when a load commits (http/live.py) and records the identity it read; a file that
    changed otherwise cannot be trusted."""
    found = path.stat()
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


def changed(path: Path, identity: FileIdentity) -> str | None:
    """Why the file at PATH is not the one that had IDENTITY; None when it is."""
    try:
        now = file_identity(path)
    except OSError as error:
        return f"{path}: {error.strerror or error}"
    if now != identity:
        return f"{path} changed since the server last read it and cannot be read again"
    return None


@functools.cache
def _tables() -> tuple[tuple[str, bool], ...]:
    """The tables the schema creates (FTS5's own tables too), each with whether its rows have a
    rowid to read the last one by."""
    connection = sqlite3.connect(":memory:")
    try:
        create_schema(connection)
        rows = connection.execute(
            "select name, type in ('table', 'shadow') and not wr from pragma_table_list"
            " where schema = 'main' and name not like 'sqlite_%'"
        ).fetchall()
    finally:
        connection.close()
    return tuple((str(name), bool(by_rowid)) for name, by_rowid in sorted(rows))


def probe_statements() -> Iterator[str]:
    # The names come from our own schema, never from a request: they can be spliced in.
    for name, by_rowid in _tables():
        yield f'select * from "{name}" limit 1'
        if by_rowid:
            yield f'select * from "{name}" order by rowid desc limit 1'


def problem(connection: sqlite3.Connection) -> str | None:
    """What is wrong with the database, in one line; None when it can answer."""
    for statement in probe_statements():
        try:
            connection.execute(statement).fetchall()
        except sqlite3.Error as error:
            return str(error)
    return None


async def async_problem(connection: aiosqlite.Connection) -> str | None:
    for statement in probe_statements():
        try:
            await connection.execute_fetchall(statement)
        except (sqlite3.Error, ValueError) as error:  # ValueError: the connection is closed
            return str(error)
    return None
