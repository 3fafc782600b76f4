"""Loading CMS releases into a SQLite database: parse everything first, then write every release
in one transaction, so that a failed load leaves the database as it was."""

from __future__ import annotations

import datetime
import itertools
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hcpcs_graphql.db.code_tables import all_code_values, code_table
from hcpcs_graphql.db.layout import DETAIL_FIELDS
from hcpcs_graphql.db.records import CodeRecord, Kind, SourceError
from hcpcs_graphql.db.schema import CODE_COLUMNS, create_schema
from hcpcs_graphql.db.search import SHORT_PREFIXES, SearchText, text_hits
from hcpcs_graphql.db.sources import ReleaseSource, SourceFile

Progress = Callable[[str], None]

_CODED_FIELDS = [field for field in DETAIL_FIELDS if field.code_table is not None]
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


def counted(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _listed(codes: list[str]) -> str:
    shown = ", ".join(codes[:5]) + (", ..." if len(codes) > 5 else "")
    return f"{counted(len(codes), 'code')} ({shown})"


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
    parsed = ParsedRelease(source, _read(source.primary, progress))
    parsed.notes.extend(unknown_values(parsed.records))
    if source.cross_check is not None:
        other = _read(source.cross_check, progress)
        parsed.notes.extend(cross_check(parsed.records, source.cross_check.name, other))
    return parsed


def unknown_values(records: Iterable[CodeRecord]) -> list[tuple[str, str]]:
    """Coded values that the code tables do not know: kept as they are, and reported."""
    unknown: dict[tuple[str, str], list[str]] = {}
    for record in records:
        for coded in _CODED_FIELDS:
            value = record.values[coded.column]
            assert coded.code_table is not None
            if isinstance(value, str) and value not in code_table(coded.code_table):
                unknown.setdefault((coded.header, value), []).append(record.code)
    return [
        (
            "unknown_value",
            f"{header} {value!r} has no known meaning: {_listed(codes)}",
        )
        for (header, value), codes in sorted(unknown.items())
    ]


def cross_check(
    records: list[CodeRecord], other_name: str, others: list[CodeRecord]
) -> list[tuple[str, str]]:
    """The differences between the primary file and the release's other file, by field."""
    by_code = {record.code: record for record in others}
    differences: dict[str, list[str]] = {}
    for record in records:
        other = by_code.pop(record.code, None)
        if other is None:
            differences.setdefault("lacks", []).append(record.code)
            continue
        mine, theirs = record.as_dict(), other.as_dict()
        for column, value in mine.items():
            if value == theirs[column]:
                continue
            label = column
            if column == "long_description" and _words(value) == _words(theirs[column]):
                label = "long_description (white space only)"
            differences.setdefault(label, []).append(record.code)
    if by_code:
        differences["has more"] = sorted(by_code)
    return [
        (
            "cross_check",
            f"{other_name} lacks {_listed(codes)}"
            if label == "lacks"
            else f"{other_name} has {_listed(codes)} that the source lacks"
            if label == "has more"
            else f"{other_name} differs in {label} for {_listed(codes)}",
        )
        for label, codes in differences.items()
    ]


def _words(value: object) -> list[str]:
    return str(value).split()


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


def _rank_short_prefixes(connection: sqlite3.Connection) -> None:
    """Rank the codes of every release for each short prefix, as a search would on the
    release's date (text_hits). bm25 weighs a match by statistics of the whole index, which every
    load changes: so every release is ranked again after each load."""
    connection.execute("delete from prefix_rank")
    terms = connection.execute("select term from code_fts_vocabulary").fetchall()
    prefixes = sorted({term[:length] for (term,) in terms for length in SHORT_PREFIXES})
    releases = connection.execute(
        "select id, first_rowid, last_rowid, effective_date from release"
    ).fetchall()
    for (release_id, first_rowid, last_rowid, day), prefix in itertools.product(releases, prefixes):
        hits, parameters = text_hits(SearchText((prefix,)), first_rowid, last_rowid, day)
        connection.execute(
            "insert into prefix_rank (release_id, prefix, position, code_rowid)"
            " select ?, ?, row_number() over (order by score, id), id from ("
            f" with matches as materialized ({hits}) select * from matches)",
            (release_id, prefix, *parameters),
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


def load(
    db_path: Path, sources: list[ReleaseSource], progress: Progress = lambda _: None
) -> list[LoadSummary]:
    started = time.perf_counter()
    parsed = []
    for source in sources:
        began = time.perf_counter()
        parsed.append((parse_release(source, progress), time.perf_counter() - began))
    existed = db_path.exists()
    connection = sqlite3.connect(db_path, isolation_level=None)
    try:
        connection.execute("begin immediate")
        try:
            create_schema(connection)
            _write_code_values(connection)
            for release, _ in parsed:
                progress(f"writing release {release.source.release_id}")
                _write(connection, release)
            progress("ranking short prefixes")
            _rank_short_prefixes(connection)
            connection.execute("commit")
        except BaseException:
            connection.execute("rollback")
            raise
    except BaseException:
        connection.close()
        if not existed:
            db_path.unlink(missing_ok=True)
        raise
    connection.close()
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
