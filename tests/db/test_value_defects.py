"""Issue 11's trial on the real January txt: an ASC_DT shifted two columns in five records is
reported, kept as CMS wrote it (table code_defect) and exported as CMS wrote it."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import aiosqlite
import pytest

from hcpcs_graphql.db.connection import connect_read_only
from hcpcs_graphql.db.export import export_chunks
from hcpcs_graphql.db.loader import LoadSummary, load
from hcpcs_graphql.domain.export_format import ExportFormat
from hcpcs_graphql.ingest.sources import find_releases
from hcpcs_graphql.services.catalog import Catalog
from tests.conftest import JANUARY_2026_TXT
from tests.shifted_asc_dt import CMS_TEXT, SHIFTED, shifted_january

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[LoadSummary]]:
    folder = shifted_january(tmp_path_factory.mktemp("2026-01_JAN"))
    db = folder / "hcpcs.db"
    return db, load(db, find_releases(folder))


def test_every_shifted_value_is_reported_with_code_field_and_positions(
    trial: tuple[Path, list[LoadSummary]],
) -> None:
    _, [summary] = trial
    assert [message for kind, message in summary.notes if kind == "unparsed_value"] == [
        f"ASC_DT of {code} at {JANUARY_2026_TXT.name}:{line}, positions 233-240 is not a"
        f" YYYYMMDD date: {CMS_TEXT!r} (kept here as written; the field is left blank)"
        for code, line in zip(SHIFTED, (631, 633, 636, 638, 640), strict=True)
    ]


def test_the_record_keeps_cms_text_and_its_typed_column_null(
    trial: tuple[Path, list[LoadSummary]],
) -> None:
    db, _ = trial
    with sqlite3.connect(db) as connection:
        defects = connection.execute(
            "select release_id, code, field, cms_text, reason from code_defect order by code"
        ).fetchall()
        dates = connection.execute(
            f"select asc_dt from code where code in ({', '.join('?' for _ in SHIFTED)})", SHIFTED
        ).fetchall()
    assert defects == [
        ("2026-01", code, "asc_dt", CMS_TEXT, "not a YYYYMMDD date") for code in SHIFTED
    ]
    assert dates == [(None,)] * len(SHIFTED)


async def _exported(db: Path, export_format: ExportFormat) -> bytes:
    connection: aiosqlite.Connection = await connect_read_only(db)
    try:
        release = (await Catalog.read(connection)).release("2026-01")
        return b"".join(
            [chunk async for chunk in export_chunks(connection, release, export_format)]
        )
    finally:
        await connection.close()


async def test_the_export_writes_cms_text_back_and_loads_again_as_it(
    trial: tuple[Path, list[LoadSummary]], tmp_path: Path
) -> None:
    db, _ = trial
    data = await _exported(db, ExportFormat.CSV)
    rows = {row["HCPC"]: row for row in csv.DictReader(io.StringIO(data.decode()))}
    assert [rows[code]["ASC_DT"] for code in SHIFTED] == [CMS_TEXT] * len(SHIFTED)
    # The codes around them are exported as before: ISO dates.
    assert rows["A2008"]["ASC_DT"] == "2026-01-01"
    # Loaded again, the export gives the same codes and keeps CMS's text again.
    (tmp_path / "hcpcs-2026-01.csv").write_bytes(data)
    again = tmp_path / "again.db"
    load(again, find_releases(tmp_path / "hcpcs-2026-01.csv"))
    assert await _exported(again, ExportFormat.CSV) == data
