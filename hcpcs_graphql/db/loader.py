"""Loading CMS releases into a SQLite database: parse everything first, then write every release
in one transaction, so that a failed load leaves the database as it was."""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hcpcs_graphql.db.prefix_rank import rank_short_prefixes
from hcpcs_graphql.db.release_checks import (
    check_code_count,
    counted,
    cross_check,
    unknown_values,
)
from hcpcs_graphql.db.tables import CODE_COLUMNS, create_schema
from hcpcs_graphql.domain.code_tables import all_code_values
from hcpcs_graphql.domain.records import CodeRecord, Kind, SourceError
from hcpcs_graphql.ingest.sources import ReleaseSource, SourceFile

Progress = Callable[[str], None]

_INSERT_CODE = (
    f"insert into code ({', '.join(CODE_COLUMNS)}) values ({', '.join('?' for _ in CODE_COLUMNS)})"
)


@dataclass(slots=True)
class ParsedRelease:
    source: ReleaseSource
    records: list[CodeRecord]
    notes: list[tuple[str, str]] = field(default_factory=list)
    """(kind, message): unknown coded values and cross-check differences."""

    @property
    def counts(self) -> Counter[Kind]:
        return Counter(record.kind for record in self.records)


@dataclass(frozen=True, slots=True)
class LoadSummary:
    release_id: str
    source_name: str
    codes: int
    procedures: int
    modifiers: int
    seconds: float
    notes: list[tuple[str, str]]

    def line(self) -> str:
        return (
            f"loaded release {self.release_id}: {counted(self.codes, 'code')}"
            f" ({counted(self.procedures, 'procedure')}, {counted(self.modifiers, 'modifier')})"
            f" from {self.source_name} in {self.seconds:.1f} s"
        )


def _read(file: SourceFile, progress: Progress) -> list[CodeRecord]:
    records: list[CodeRecord] = []
    seen: dict[str, str] = {}
    for record in file.records():
        if record.code in seen:
            raise SourceError(
                f"{record.where}: code {record.code} appears again (first at {seen[record.code]})"
            )
        seen[record.code] = record.where
        records.append(record)
        if len(records) % 1000 == 0:
            progress(f"reading {file.name}: {len(records):,} codes")
    if not records:
        # A file of disclaimer-like lines only, or a header row alone, is not an empty release.
        raise SourceError(f"{file.name}: holds no HCPCS code")
    return records


def parse_release(source: ReleaseSource, progress: Progress) -> ParsedRelease:
    """The release's primary file read and checked; the cross-check is compare_files's."""
    parsed = ParsedRelease(source, _read(source.primary, progress))
    parsed.notes.extend(
        ("unparsed_value", defect.message())
        for record in parsed.records
        for defect in record.defects
    )
    parsed.notes.extend(unknown_values(parsed.records))
    return parsed


def compare_files(parsed: ParsedRelease) -> list[tuple[str, str]]:
    """The differences between the release's primary file and its cross-check file."""
    other_file = parsed.source.cross_check
    if other_file is None:
        return []
    other = _read(other_file, lambda _: None)
    return cross_check(parsed.records, other_file.name, other)


def _write(connection: sqlite3.Connection, parsed: ParsedRelease) -> None:
    source = parsed.source
    release_id = source.release_id
    connection.execute(
        "insert into code_fts (code_fts, rowid, short_description, long_description)"
        " select 'delete', rowid, short_description, long_description from code"
        " where release_id = ?",
        (release_id,),
    )
    for table, column in (
        ("code", "release_id"),
        ("code_defect", "release_id"),
        ("release_file", "release_id"),
        ("release_note", "release_id"),
        ("release", "id"),
    ):
        connection.execute(f"delete from {table} where {column} = ?", (release_id,))
    connection.executemany(
        _INSERT_CODE,
        [
            (
                release_id,
                record.code,
                record.kind.value,
                record.long_description,
                *record.values.values(),
            )
            # In code order, so that rowid order is code order within the release.
            for record in sorted(parsed.records, key=lambda record: record.code)
        ],
    )
    first_rowid, last_rowid = connection.execute(
        "select min(rowid), max(rowid) from code where release_id = ?", (release_id,)
    ).fetchone()
    if last_rowid - first_rowid + 1 != len(parsed.records):
        raise RuntimeError(f"the rowids of release {release_id} are not consecutive")
    connection.execute(
        "insert into code_fts (rowid, short_description, long_description)"
        " select rowid, short_description, long_description from code where release_id = ?",
        (release_id,),
    )
    counts = parsed.counts
    connection.execute(
        "insert into release (id, effective_date, loaded_at, code_count, procedure_count,"
        " modifier_count, first_rowid, last_rowid) values (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            release_id,
            f"{release_id}-01",
            datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            len(parsed.records),
            counts[Kind.PROCEDURE],
            counts[Kind.MODIFIER],
            first_rowid,
            last_rowid,
        ),
    )
    connection.executemany(
        "insert into code_defect (release_id, code, field, cms_text, reason)"
        " values (?, ?, ?, ?, ?)",
        [
            (release_id, record.code, defect.column, defect.raw, f"not {defect.expected}")
            for record in parsed.records
            for defect in record.defects
        ],
    )
    files = [(source.primary, "source")]
    if source.cross_check is not None:
        files.append((source.cross_check, "cross_check"))
    connection.executemany(
        "insert into release_file (release_id, name, role, sha256, size) values (?, ?, ?, ?, ?)",
        [(release_id, file.name, role, file.sha256, len(file.data)) for file, role in files],
    )
    connection.executemany(
        "insert into release_note (release_id, kind, message) values (?, ?, ?)",
        [(release_id, kind, message) for kind, message in parsed.notes],
    )


def _write_code_values(connection: sqlite3.Connection) -> None:
    connection.execute("delete from code_value")
    connection.executemany(
        "insert into code_value (code_table, code, description, category) values (?, ?, ?, ?)",
        [
            (value.table, value.code, value.description, value.category)
            for value in all_code_values()
        ],
    )


def _compare_all(
    releases: list[ParsedRelease],
) -> list[tuple[ParsedRelease, list[tuple[str, str]]]]:
    return [(release, compare_files(release)) for release in releases]


def _leave_wal(connection: sqlite3.Connection) -> None:
    """Back to a rollback journal, so that readers leave no -wal and -shm files beside the
    database and the database is one file again. The pages go to the database first without
    blocking readers; the switch itself blocks them briefly (they wait, SQLite's busy timeout).
    A server that keeps reading past that timeout leaves the database in WAL mode: still
    correct, and the next load tries again."""
    connection.execute("pragma wal_checkpoint(passive)")
    with contextlib.suppress(sqlite3.OperationalError):
        connection.execute("pragma journal_mode = delete")


def load(
    db_path: Path,
    sources: list[ReleaseSource],
    progress: Progress = lambda _: None,
    allow_fewer_codes: bool = False,
) -> list[LoadSummary]:
    started = time.perf_counter()
    parsed = []
    for source in sources:
        began = time.perf_counter()
        parsed.append((parse_release(source, progress), time.perf_counter() - began))
    existed = db_path.exists()
    connection = sqlite3.connect(db_path, isolation_level=None)
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        # WAL while loading: a server reading the database goes on reading the releases as
        # they were until the load commits (never blocked), and sees all of it from then on.
        connection.execute("pragma journal_mode = wal")
        # Ranking short prefixes materialises thousands of matches per prefix: in memory, with
        # a cache large enough for a release's pages (64 MiB), not in temporary files.
        connection.execute("pragma temp_store = memory")
        connection.execute("pragma cache_size = -65536")
        try:
            connection.execute("begin immediate")
            # The cross-check files are read while SQLite writes (it lets go of the GIL): on
            # two cores that hides most of reading the xlsx. Their notes are written last.
            comparing = executor.submit(_compare_all, [release for release, _ in parsed])
            try:
                create_schema(connection)
                _write_code_values(connection)
                # Oldest first, so that each release is counted against the one before it.
                for release, _ in sorted(parsed, key=lambda item: item[0].source.release_id):
                    if not allow_fewer_codes:
                        check_code_count(
                            connection, release.source.release_id, len(release.records)
                        )
                    progress(f"writing release {release.source.release_id}")
                    _write(connection, release)
                progress("ranking short prefixes")
                rank_short_prefixes(
                    connection, [release.source.release_id for release, _ in parsed]
                )
                for release, notes in comparing.result():
                    release.notes.extend(notes)
                    connection.executemany(
                        "insert into release_note (release_id, kind, message) values (?, ?, ?)",
                        [(release.source.release_id, kind, message) for kind, message in notes],
                    )
                connection.execute("commit")
            except BaseException:
                connection.execute("rollback")
                raise
        finally:
            _leave_wal(connection)
    except BaseException:
        connection.close()
        executor.shutdown(cancel_futures=True)
        if not existed:
            for suffix in ("", "-wal", "-shm"):
                db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        raise
    connection.close()
    executor.shutdown()
    write_seconds = time.perf_counter() - started - sum(seconds for _, seconds in parsed)
    share = write_seconds / len(parsed) if parsed else 0.0
    return [
        LoadSummary(
            release_id=release.source.release_id,
            source_name=release.source.primary.name,
            codes=len(release.records),
            procedures=release.counts[Kind.PROCEDURE],
            modifiers=release.counts[Kind.MODIFIER],
            seconds=seconds + share,
            notes=release.notes,
        )
        for release, seconds in parsed
    ]
