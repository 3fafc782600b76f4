"""Opening a loaded database for reading."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import aiosqlite

from hcpcs_graphql.db.schema import SCHEMA_VERSION

DEFAULT_DB = "hcpcs.db"
"""The database file when neither --db nor HCPCS_DB names one."""


class DatabaseError(Exception):
    """A database file that cannot be served; the message says why, in one line."""


def read_only_uri(path: Path) -> str:
    # immutable=1 alone would create an empty file where none exists: check first.
    return f"{path.resolve().as_uri()}?mode=ro&immutable=1"


def check_database(path: Path) -> list[str]:
    """The ids of the releases in the database at PATH, or a DatabaseError saying what is wrong."""
    if not path.exists():
        raise DatabaseError(f"{path}: no such database file (load one with `hcpcs load`)")
    if not path.is_file():
        raise DatabaseError(f"{path}: not a file")
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            version = connection.execute(
                "select value from meta where key = 'schema_version'"
            ).fetchone()
            if version is None or version[0] != str(SCHEMA_VERSION):
                raise DatabaseError(
                    f"{path}: written with schema version {version[0] if version else 'none'},"
                    f" this program reads version {SCHEMA_VERSION}: load the releases again"
                    " into a new file"
                )
            rows = connection.execute("select id from release order by id desc").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{path}: not a loaded HCPCS database ({error})") from None
    if not rows:
        raise DatabaseError(f"{path}: holds no release (load one with `hcpcs load`)")
    return [row[0] for row in rows]


async def connect_read_only(path: Path) -> aiosqlite.Connection:
    check_database(path)
    return await aiosqlite.connect(read_only_uri(path), uri=True)
