"""The xlsx ANWEB reader, on small workbooks written here with openpyxl."""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from hcpcs_graphql.domain.layout import DETAIL_FIELDS, HCPC, LONG_DESCRIPTION, RECID, SEQNUM
from hcpcs_graphql.domain.records import CodeRecord, SourceError
from hcpcs_graphql.ingest.workbook import read_workbook
from tests.conftest import JANUARY_2026_XLSX
from tests.ingest.records import A0080_AND_A1, A1, BLANK

HEADERS = [field.header for field in (HCPC, SEQNUM, RECID, LONG_DESCRIPTION, *DETAIL_FIELDS)]
TITLE = ["HCPCS 2026 January Alpha-Numeric HCPCS File"]


def row(code: str, recid: object, description: str, **values: object) -> list[object]:
    """A row of the 48 columns in the order of HEADERS, "" where no value is given."""
    cells: dict[str, object] = {
        "HCPC": code,
        "SEQNUM": "0010",
        "RECID": recid,
        "LONG DESCRIPTION": description,
        **{field.header: values[field.column] for field in DETAIL_FIELDS if field.column in values},
    }
    return [cells.get(header, "") for header in HEADERS]


def write(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for cells in rows:
        sheet.append(list(cells))
    workbook.save(path)
    return path


def read(path: Path) -> list[CodeRecord]:
    return list(read_workbook(path.name, path))


def error(path: Path) -> str:
    with pytest.raises(SourceError) as raised:
        read(path)
    return str(raised.value)


@pytest.mark.realdata
def test_the_headers_are_those_of_the_real_workbook() -> None:
    workbook = openpyxl.load_workbook(JANUARY_2026_XLSX, read_only=True)
    try:
        header = next(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    assert list(header) == HEADERS
    assert len(HEADERS) == 48


def test_title_rows_above_the_header_row_are_skipped(tmp_path: Path) -> None:
    path = write(
        tmp_path / "test.xlsx",
        [
            TITLE,
            [],
            ["Effective January 1, 2026", None, "HCPC"],
            HEADERS,
            row("   A1", "7", "Dressing for one wound", cov="C", add_dt="20020701"),
            row("A0021", "3", "Ambulance service", price1="00", anest_bu="  0", action_cd="N"),
        ],
    )
    records = read(path)
    assert [(found.as_dict(), found.where) for found in records] == [
        (
            A1 | {"cov": "C", "add_dt": "2002-07-01"},
            "test.xlsx:row 5",
        ),
        (
            BLANK
            | {
                "code": "A0021",
                "kind": "PROCEDURE",
                "long_description": "Ambulance service",
                "price1": "00",
                "anest_bu": 0,
                "action_cd": "N",
            },
            "test.xlsx:row 6",
        ),
    ]


def test_numeric_cells_get_their_leading_zeros_back(tmp_path: Path) -> None:
    path = write(
        tmp_path / "test.xlsx",
        [
            HEADERS,
            row(
                "G0103",
                3,
                "Prostate cancer screening",
                price1=0,
                price2=21.0,
                mult_pi=9,
                labcert1=10,
                labcert2=310,
                opps=0,
                opps_pi=1,
                procnote=64,
                tos1=5,
                anest_bu=5,
                asc_dt=20080101,
                add_dt=datetime.datetime(2000, 1, 1),
                act_eff_dt=datetime.date(2007, 1, 1),
                term_dt="20251231",
            ),
        ],
    )
    assert [found.as_dict() for found in read(path)] == [
        BLANK
        | {
            "code": "G0103",
            "kind": "PROCEDURE",
            "long_description": "Prostate cancer screening",
            "price1": "00",
            "price2": "21",
            "mult_pi": "9",
            "labcert1": "010",
            "labcert2": "310",
            "opps": "000",
            "opps_pi": "1",
            "procnote": "0064",
            "tos1": "5",
            "anest_bu": 5,
            "asc_dt": "2008-01-01",
            "add_dt": "2000-01-01",
            "act_eff_dt": "2007-01-01",
            "term_dt": "2025-12-31",
        }
    ]


def test_empty_rows_are_skipped_and_continuation_rows_joined(tmp_path: Path) -> None:
    path = write(
        tmp_path / "test.xlsx",
        [
            HEADERS,
            row("A0080", "3", "Non-emergency transportation, per mile", betos="O1A"),
            [None] * len(HEADERS),
            row("A0080", "4", "(individual or organization), with no vested interest"),
            ["", "  ", None],
            row("A1", "7", "Dressing for one wound"),
            [],
            [None, None],
        ],
    )
    assert [found.as_dict() for found in read(path)] == A0080_AND_A1


def test_columns_are_found_by_header_in_any_order(tmp_path: Path) -> None:
    order = [0, *reversed(range(1, len(HEADERS)))]
    cells = row("A0021", "3", "Ambulance service", cov="I", xref1="A0030")
    path = write(
        tmp_path / "test.xlsx",
        [[HEADERS[index] for index in order], [cells[index] for index in order]],
    )
    assert [found.as_dict() for found in read(path)] == [
        BLANK
        | {
            "code": "A0021",
            "kind": "PROCEDURE",
            "long_description": "Ambulance service",
            "cov": "I",
            "xref1": "A0030",
        }
    ]


def test_a_missing_header_column_is_an_error(tmp_path: Path) -> None:
    headers = [header for header in HEADERS if header not in {"COV", "ACTION CD"}]
    path = write(tmp_path / "test.xlsx", [TITLE, headers, ["A0021", "0010", "3", "Ambulance"]])
    assert error(path) == "test.xlsx:row 2: header row lacks the columns ACTION CD, COV"


def test_no_header_row_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "test.xlsx", [TITLE, row("A0021", "3", "Ambulance service")])
    assert error(path) == "test.xlsx: no header row starting with 'HCPC'"


def test_a_row_without_a_code_or_with_a_bad_recid_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "test.xlsx", [HEADERS, row("", "3", "Ambulance service")])
    assert error(path) == "test.xlsx:row 2: row without a HCPC code"
    path = write(tmp_path / "test.xlsx", [HEADERS, row("A0021", "5", "Ambulance service")])
    assert error(path) == "test.xlsx:row 2: RECID '5' of A0021 is not 3, 4, 7 or 8"


def test_a_continuation_row_without_its_first_row_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path / "test.xlsx",
        [HEADERS, row("A1", "7", "Dressing"), row("A0080", "4", "(individual or organization)")],
    )
    assert error(path) == "test.xlsx:row 3: continuation row of A0080 follows no first row"


def test_a_bad_date_is_kept_as_a_defect_naming_the_row(tmp_path: Path) -> None:
    path = write(tmp_path / "test.xlsx", [HEADERS, row("A0021", "3", "Ambulance", add_dt=2025)])
    (found,) = read(path)
    assert found.values["add_dt"] is None
    assert [defect.message() for defect in found.defects] == [
        "ADD DT of A0021 at test.xlsx:row 2 is not a YYYYMMDD date: '00002025'"
        " (kept here as written; the field is left blank)"
    ]


def test_a_file_that_is_not_a_workbook_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "test.xlsx"
    path.write_bytes(b"HCPC,SEQNUM,RECID\r\n")
    assert error(path) == (
        "test.xlsx: not a readable xlsx or xls workbook (invalid Zip archive: Could not find EOCD)"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert error(path).startswith("test.xlsx: not a readable xlsx or xls workbook (")
