"""The SQL the API runs. Each function takes an open connection and returns typed rows.

Each statement is one `execute_fetchall`: one trip to aiosqlite's thread instead of three."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import aiosqlite

from hcpcs_graphql.db.rows import CodeRow, CodeValueRow, ReleaseFileRow, ReleaseRow
from hcpcs_graphql.db.tables import CODE_COLUMNS
from hcpcs_graphql.domain.layout import DETAIL_FIELDS, FieldType
from hcpcs_graphql.domain.release_dates import file_date

# Keep batches well under SQLite's limit of bound variables.
MAX_BATCH = 500

_SELECT_CODE = f"select {', '.join(CODE_COLUMNS)} from code"
_DATE_INDEXES = tuple(
    CODE_COLUMNS.index(field.column) for field in DETAIL_FIELDS if field.type is FieldType.DATE
)


def code_row(values: Sequence[object]) -> CodeRow:
    converted = list(values)
    for index in _DATE_INDEXES:
        value = converted[index]
        if value is not None:
            converted[index] = datetime.date.fromisoformat(str(value))
    return CodeRow(*converted)  # type: ignore[arg-type]


async def fetch_codes(
    connection: aiosqlite.Connection, release_id: str, codes: Sequence[str]
) -> dict[str, CodeRow]:
    """The codes of one release that exist, by code."""
    found: dict[str, CodeRow] = {}
    unique = list(dict.fromkeys(codes))
    for start in range(0, len(unique), MAX_BATCH):
        batch = unique[start : start + MAX_BATCH]
        placeholders = ", ".join("?" for _ in batch)
        rows = await connection.execute_fetchall(
            f"{_SELECT_CODE} where release_id = ? and code in ({placeholders})",
            (release_id, *batch),
        )
        for values in rows:
            row = code_row(values)
            found[row.code] = row
    return found


async def fetch_cross_references(
    connection: aiosqlite.Connection, release: ReleaseRow
) -> list[tuple[str, tuple[str, ...]]]:
    """The codes of a release that have cross-references, with them (XREF1-5, in order)."""
    rows = await connection.execute_fetchall(
        "select code, xref1, xref2, xref3, xref4, xref5 from code"
        " where rowid between ? and ? and xref1 is not null order by code",
        (release.first_rowid, release.last_rowid),
    )
    return [(code, tuple(xref for xref in xrefs if xref)) for code, *xrefs in rows]


async def fetch_releases(connection: aiosqlite.Connection) -> list[ReleaseRow]:
    """Every loaded release, the newest first."""
    files: dict[str, list[ReleaseFileRow]] = {}
    for release_id, name, role, sha256, size in await connection.execute_fetchall(
        "select release_id, name, role, sha256, size from release_file"
        " order by release_id, role desc, name"
    ):
        files.setdefault(release_id, []).append(ReleaseFileRow(name, role, sha256, size))
    notes: dict[str, list[str]] = {}
    for release_id, message in await connection.execute_fetchall(
        "select release_id, message from release_note order by release_id, rowid"
    ):
        notes.setdefault(release_id, []).append(message)
    rows = await connection.execute_fetchall(
        "select r.id, r.effective_date, r.loaded_at, r.code_count, r.procedure_count,"
        " r.modifier_count, r.first_rowid, r.last_rowid,"
        " (select count(*) from code c where c.rowid between r.first_rowid and r.last_rowid"
        "  and c.term_dt < r.effective_date),"
        " (select count(*) from code c where c.rowid between r.first_rowid and r.last_rowid"
        "  and c.add_dt > r.effective_date)"
        " from release r order by r.effective_date desc"
    )
    return [
        ReleaseRow(
            id=release_id,
            effective_date=datetime.date.fromisoformat(effective_date),
            loaded_at=datetime.datetime.fromisoformat(loaded_at),
            code_count=code_count,
            procedure_count=procedure_count,
            modifier_count=modifier_count,
            first_rowid=first_rowid,
            last_rowid=last_rowid,
            files=tuple(files.get(release_id, ())),
            notes=tuple(notes.get(release_id, ())),
            file_date=file_date(file.name for file in files.get(release_id, ())),
            active_count=code_count - discontinued - not_yet_effective,
            discontinued_count=discontinued,
            not_yet_effective_count=not_yet_effective,
        )
        for (
            release_id, effective_date, loaded_at, code_count, procedure_count, modifier_count,
            first_rowid, last_rowid, discontinued, not_yet_effective,
        ) in rows
    ]  # fmt: skip


async def fetch_code_values(connection: aiosqlite.Connection) -> list[CodeValueRow]:
    rows = await connection.execute_fetchall(
        "select code_table, code, description, category from code_value order by code_table, code"
    )
    return [CodeValueRow(*values) for values in rows]
