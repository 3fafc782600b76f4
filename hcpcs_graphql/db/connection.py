"""Opening a loaded database for reading."""

from __future__ import annotations

import sqlite3
import stat
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import aiosqlite

from hcpcs_graphql.db.health import problem
from hcpcs_graphql.db.tables import SCHEMA_VERSION

DEFAULT_DB = "hcpcs.db"
"""The database file when neither --db nor HCPCS_DB names one."""


class DatabaseError(Exception):
    """A database file that cannot be served; the message says why, in one line."""


def read_only_uri(path: Path) -> str:
    # Not immutable: `hcpcs load` may add a release while the server reads (the loader writes
    # in WAL mode, so readers are never blocked nor see half a load; http/live.py).
    return f"{path.resolve().as_uri()}?mode=ro"


def check_database(path: Path) -> list[str]:
    """The ids of the releases in the database at PATH, or a DatabaseError saying what is wrong."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise DatabaseError(f"{path}: not a file")
        with path.open("rb"):
            pass  # readable by this user (the check below would say "unable to open")
    except (FileNotFoundError, NotADirectoryError):
        raise DatabaseError(f"{path}: no such database file (load one with `hcpcs load`)") from None
    except OSError as error:  # no permission on the file or on a folder of its path
        raise DatabaseError(f"{path}: cannot be read ({error.strerror})") from None
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
            damage = problem(connection)
            if damage is not None:
                raise DatabaseError(f"{path}: damaged or incomplete ({damage})")
        finally:
            connection.close()
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode == sqlite3.SQLITE_CANTOPEN:  # removed since the check above
            raise DatabaseError(f"{path}: cannot be opened ({error})") from None
        raise DatabaseError(f"{path}: not a loaded HCPCS database ({error})") from None
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{path}: not a loaded HCPCS database ({error})") from None
    if not rows:
        raise DatabaseError(f"{path}: holds no release (load one with `hcpcs load`)")
    return [row[0] for row in rows]


def is_statement_timeout(error: BaseException | None) -> bool:
    """SQLite stopped a statement that ran past its time limit: the progress handler below
    interrupted it, which SQLite reports with its result code SQLITE_INTERRUPT."""
    return (
        isinstance(error, sqlite3.OperationalError)
        and getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_INTERRUPT
    )


STATEMENT_SECONDS = 1.0
"""How long one SQL statement may run before SQLite stops it (HCPCS_STATEMENT_SECONDS)."""
PROGRESS_STEPS = 10_000
"""SQLite virtual-machine steps between two calls of the progress handler."""
STATEMENT_CHECKS = 0
"""How many progress-handler calls (of PROGRESS_STEPS each) one statement may take before
SQLite stops it, whatever the time (HCPCS_STATEMENT_STEPS); 0 sets no such limit."""


class StatementClock:
    """Times each statement of a connection: SQLite reports the start of each statement to
    `started` (its trace callback) and calls `overdue` every few thousand instructions (its
    progress handler), which stops the statement past the limit of seconds, or at its CHECKS-th
    call if CHECKS is set (a limit of work, the same on any machine). Both run in the
    connection's thread. Listeners see every statement, as a trace callback would."""

    def __init__(self, seconds: float, checks: int = STATEMENT_CHECKS) -> None:
        self.seconds = seconds
        self.checks = checks
        self.start = time.monotonic()
        self.calls = 0
        self.listeners: list[Callable[[str], None]] = []

    def started(self, statement: str) -> None:
        self.start = time.monotonic()
        self.calls = 0
        for listener in self.listeners:
            listener(statement)

    def overdue(self) -> int:
        self.calls += 1
        if self.checks and self.calls >= self.checks:
            return 1
        return 1 if time.monotonic() - self.start > self.seconds else 0


_clocks: weakref.WeakKeyDictionary[aiosqlite.Connection, StatementClock] = (
    weakref.WeakKeyDictionary()
)


def statement_clock(connection: aiosqlite.Connection) -> StatementClock:
    return _clocks[connection]


async def connect_read_only(
    path: Path, statement_seconds: float = STATEMENT_SECONDS
) -> aiosqlite.Connection:
    check_database(path)
    connection = await aiosqlite.connect(read_only_uri(path), uri=True)
    clock = _clocks[connection] = StatementClock(statement_seconds)
    await connection.set_trace_callback(clock.started)
    await connection.set_progress_handler(clock.overdue, PROGRESS_STEPS)
    return connection
