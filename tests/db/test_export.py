"""Exporting a release (db/export.py, `hcpcs export`): every field of every code in code order,
read a chunk at a time, and loaded back to the same code rows."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import sqlite3
from pathlib import Path

import aiosqlite
import pytest

from hcpcs_graphql.db.connection import connect_read_only
from hcpcs_graphql.db.export import export_chunks
from hcpcs_graphql.db.loader import load
from hcpcs_graphql.db.rows import ReleaseRow
from hcpcs_graphql.domain.export_format import COLUMNS, ExportFormat, export_name
from hcpcs_graphql.ingest.sources import find_releases
from hcpcs_graphql.services.catalog import Catalog
from tests.cli.run import run_binary as run

RELEASES = ["2026-01", "2025-10"]
FORMATS = list(ExportFormat)


async def exported(
    connection: aiosqlite.Connection, release: ReleaseRow, export_format: ExportFormat
) -> bytes:
    return b"".join([chunk async for chunk in export_chunks(connection, release, export_format)])


async def exported_from(db: Path, release_id: str, export_format: ExportFormat) -> bytes:
    connection = await connect_read_only(db)
    try:
        release = (await Catalog.read(connection)).release(release_id)
        return await exported(connection, release, export_format)
    finally:
        await connection.close()


def code_rows(db: Path, release_id: str) -> list[tuple[object, ...]]:
    """Every column of every code of the release, in rowid order."""
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return connection.execute(
            "select * from code where release_id = ? order by rowid", (release_id,)
        ).fetchall()


def release_facts(
    db: Path, release_id: str
) -> tuple[tuple[object, ...], list[tuple[object, ...]], list[str]]:
    """The release's dates and counts, its files (name, role), the kinds of its notes."""
    with contextlib.closing(sqlite3.connect(db)) as connection:
        release = connection.execute(
            "select effective_date, code_count, procedure_count, modifier_count from release"
            " where id = ?",
            (release_id,),
        ).fetchone()
        files = connection.execute(
            "select name, role from release_file where release_id = ? order by name",
            (release_id,),
        ).fetchall()
        notes = connection.execute(
            "select kind from release_note where release_id = ?", (release_id,)
        ).fetchall()
    return release, files, [kind for (kind,) in notes]


@pytest.mark.parametrize("export_format", FORMATS)
@pytest.mark.parametrize("release_id", RELEASES)
async def test_an_export_loads_back_to_the_same_code_rows(
    real_db: Path,
    connection: aiosqlite.Connection,
    catalog: Catalog,
    tmp_path: Path,
    release_id: str,
    export_format: ExportFormat,
) -> None:
    data = await exported(connection, catalog.release(release_id), export_format)
    path = tmp_path / export_name(release_id, export_format)
    path.write_bytes(data)
    reloaded = tmp_path / "reloaded.db"
    load(reloaded, find_releases(path))

    original = code_rows(real_db, release_id)
    assert len(original) == catalog.release(release_id).code_count
    assert code_rows(reloaded, release_id) == original
    # What the release says of itself differs in its source file, and in the notes of the
    # cross-check with the CMS xlsx (January 2026's; the export is loaded alone).
    release, files, notes = release_facts(real_db, release_id)
    assert (len(files), notes) == ((2, ["cross_check"] * 3) if release_id == "2026-01" else (1, []))
    assert release_facts(reloaded, release_id) == (release, [(path.name, "source")], [])
    # The export of the reloaded release is the same file.
    assert await exported_from(reloaded, release_id, export_format) == data


async def test_csv_has_a_header_row_and_every_code_in_code_order(
    real_db: Path, connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    data = await exported(connection, catalog.release("2026-01"), ExportFormat.CSV)
    rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
    assert rows[0] == list(COLUMNS)
    assert rows[0][:4] == ["HCPC", "RECID", "LONG_DESCRIPTION", "SHORT_DESCRIPTION"]
    assert rows[0][-4:] == ["ADD_DT", "ACT_EFF_DT", "TERM_DT", "ACTION_CD"]
    codes = [row[0] for row in rows[1:]]
    assert codes == sorted(codes)
    assert codes == [code for (_, code, *_) in code_rows(real_db, "2026-01")]
    by_code = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    # Text as stored (leading zeros), blank fields empty, dates ISO, the kind in RECID.
    assert {
        column: by_code["A9597"][column]
        for column in ("RECID", "PRICE1", "PRICE2", "ANEST_BU", "ADD_DT", "TERM_DT", "BETOS")
    } == {
        "RECID": "3",
        "PRICE1": "57",
        "PRICE2": "",
        "ANEST_BU": "0",
        "ADD_DT": "2017-01-01",
        "TERM_DT": "",
        "BETOS": "I1E",
    }
    assert (by_code["LT"]["RECID"], by_code["LT"]["SHORT_DESCRIPTION"]) == ("7", "Left side")
    assert by_code["A4466"]["TERM_DT"] == "2016-12-31"
    assert data.endswith(b"\r\n")


async def test_ndjson_is_one_object_per_code_with_the_same_names(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    data = await exported(connection, catalog.release("2025-10"), ExportFormat.NDJSON)
    lines = data.decode().split("\n")
    assert lines[-1] == ""
    objects = [json.loads(line) for line in lines[:-1]]
    assert len(objects) == catalog.release("2025-10").code_count
    assert all(list(found) == list(COLUMNS) for found in objects)
    lt = next(found for found in objects if found["HCPC"] == "LT")
    assert {key: lt[key] for key in ("RECID", "PRICE1", "ANEST_BU", "TERM_DT")} == {
        "RECID": "7",
        "PRICE1": None,
        "ANEST_BU": None,
        "TERM_DT": None,
    }
    a9597 = next(found for found in objects if found["HCPC"] == "A9597")
    assert {key: a9597[key] for key in ("PRICE1", "ANEST_BU", "ADD_DT")} == {
        "PRICE1": "57",
        "ANEST_BU": 0,
        "ADD_DT": "2017-01-01",
    }


async def test_the_export_is_read_and_sent_a_chunk_at_a_time(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    release = catalog.release("2026-01")
    chunks = export_chunks(connection, release, ExportFormat.CSV, chunk_rows=1000)
    first = await anext(chunks)
    # The first bytes are out when one statement has read CMS's text of the values that do not
    # parse (of the whole release) and one the first 1,000 codes.
    assert len(statements) == 2
    assert "code_defect" in statements[0]
    assert first.count(b"\r\n") == 1 + 1000
    rest = [chunk async for chunk in chunks]
    assert [chunk.count(b"\r\n") for chunk in rest] == [1000] * 8 + [6]
    assert len(statements) == 11
    assert all(" limit " in statement for statement in statements[1:])


def test_the_command_writes_the_export_to_standard_output_or_a_file(
    real_db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    csv_data = asyncio.run(exported_from(real_db, "2025-10", ExportFormat.CSV))
    ndjson_data = asyncio.run(exported_from(real_db, "2025-10", ExportFormat.NDJSON))
    assert run(capsysbinary, "export", "2025-10", "--db", real_db) == (0, csv_data, "")
    assert run(capsysbinary, "export", "2025-10", "--db", real_db, "--format", "ndjson") == (
        0,
        ndjson_data,
        "",
    )
    # The format from the output file's suffix.
    output = tmp_path / "october.ndjson"
    assert run(capsysbinary, "export", "2025-10", "--db", real_db, "--output", output) == (
        0,
        b"",
        "",
    )
    assert output.read_bytes() == ndjson_data
    assert sorted(path.name for path in tmp_path.iterdir()) == ["october.ndjson"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["2024-01"],
            "release '2024-01' is not in {db}; loaded releases: 2026-01, 2025-10",
        ),
        (
            ["2026-01", "--format", "csv", "--output", "{tmp}/codes.ndjson"],
            "--format csv does not match the output file {tmp}/codes.ndjson",
        ),
        (
            ["2026-01", "--output", "{tmp}/missing/codes.csv"],
            "cannot write {tmp}/missing/codes.csv: No such file or directory",
        ),
    ],
)
def test_the_command_refuses_in_one_line(
    real_db: Path,
    tmp_path: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    args: list[str],
    message: str,
) -> None:
    filled = [arg.format(tmp=tmp_path) for arg in args]
    assert run(capsysbinary, "export", *filled, "--db", real_db) == (
        2,
        b"",
        f"hcpcs: {message.format(db=real_db, tmp=tmp_path)}\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_the_command_needs_a_database(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    db = tmp_path / "none.db"
    assert run(capsysbinary, "export", "2026-01", "--db", db) == (
        2,
        b"",
        f"hcpcs: {db}: no such database file (load one with `hcpcs load`)\n",
    )
    assert not db.exists()
