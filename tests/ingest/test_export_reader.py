"""Reading the files `hcpcs export` writes: the codes and values they hold, and a clear error
naming the file and line for anything else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hcpcs_graphql.cli.main import main
from hcpcs_graphql.domain.export_format import COLUMNS, ExportFormat
from hcpcs_graphql.domain.records import CodeRecord, Kind, SourceError
from hcpcs_graphql.ingest.export_reader import read_export

BLANK = dict.fromkeys(COLUMNS[3:])
J9035 = {
    **BLANK,
    "HCPC": "J9035",
    "RECID": "3",
    "LONG_DESCRIPTION": "Injection, bevacizumab, 10 mg",
    "SHORT_DESCRIPTION": "Bevacizumab injection",
    "PRICE1": "51",
    "ANEST_BU": 0,
    "ADD_DT": "2005-01-01",
    "ACTION_CD": "N",
}
LT = {
    **BLANK,
    "HCPC": "LT",
    "RECID": "7",
    "LONG_DESCRIPTION": 'Left side (used to identify procedures performed on the left side, "lt")',
    "SHORT_DESCRIPTION": "Left side",
    "TERM_DT": "2030-12-31",
}


def csv_line(cells: list[object]) -> str:
    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"') else text

    return ",".join(cell(value) for value in cells) + "\r\n"


def as_csv(*codes: dict[str, object], header: tuple[str, ...] = COLUMNS) -> bytes:
    lines = [csv_line(list(header))]
    lines.extend(csv_line([code.get(column) for column in header]) for code in codes)
    return "".join(lines).encode()


def as_ndjson(*codes: dict[str, object]) -> bytes:
    return "".join(json.dumps(code) + "\n" for code in codes).encode()


def read(data: bytes, export_format: ExportFormat) -> list[CodeRecord]:
    return list(read_export(f"hcpcs-2026-01{export_format.suffix}", data, export_format))


def error(data: bytes, export_format: ExportFormat) -> str:
    with pytest.raises(SourceError) as raised:
        read(data, export_format)
    return str(raised.value)


@pytest.mark.parametrize(
    ("export_format", "data", "lines"),
    [
        (ExportFormat.CSV, as_csv(J9035, LT), (2, 3)),
        (ExportFormat.NDJSON, as_ndjson(J9035, LT), (1, 2)),
    ],
    ids=["csv", "ndjson"],
)
def test_the_codes_and_their_values(
    export_format: ExportFormat, data: bytes, lines: tuple[int, int]
) -> None:
    records = read(data, export_format)
    name = f"hcpcs-2026-01{export_format.suffix}"
    assert [(r.code, r.kind, r.long_description, r.where) for r in records] == [
        ("J9035", Kind.PROCEDURE, "Injection, bevacizumab, 10 mg", f"{name}:{lines[0]}"),
        ("LT", Kind.MODIFIER, LT["LONG_DESCRIPTION"], f"{name}:{lines[1]}"),
    ]
    values = records[0].values
    assert {column: values[column] for column in ("price1", "price2", "anest_bu", "add_dt")} == {
        "price1": "51",
        "price2": None,
        "anest_bu": 0,
        "add_dt": "2005-01-01",
    }
    assert records[1].values["term_dt"] == "2030-12-31"
    assert records[1].values["anest_bu"] is None


def test_a_byte_order_mark_blank_lines_and_padding_are_skipped() -> None:
    padded = {**J9035, "SHORT_DESCRIPTION": "  Bevacizumab injection ", "PRICE2": " "}
    data = b"\xef\xbb\xbf" + as_csv(padded).replace(b"\r\n", b"\r\n\r\n,,,\r\n", 1)
    (record,) = read(data, ExportFormat.CSV)
    assert (record.where, record.values["short_description"], record.values["price2"]) == (
        "hcpcs-2026-01.csv:4",
        "Bevacizumab injection",
        None,
    )


CSV_ERRORS = [
    (b"", "hcpcs-2026-01.csv: no header row (HCPC, RECID, LONG_DESCRIPTION, ...)"),
    (
        as_csv(J9035, header=COLUMNS[:-1]),
        "hcpcs-2026-01.csv:1: lacks the columns ACTION_CD",
    ),
    (
        as_csv(J9035, header=(*COLUMNS[:-1], "ACTION")),
        "hcpcs-2026-01.csv:1: lacks the columns ACTION_CD; has unknown columns 'ACTION'",
    ),
    (
        as_csv(J9035, header=(*COLUMNS, "HCPC")),
        "hcpcs-2026-01.csv:1: repeats the columns HCPC",
    ),
    (
        as_csv(J9035) + b"LT,7\r\n",
        "hcpcs-2026-01.csv:3: 2 fields where the header has 47",
    ),
    (
        as_csv(J9035, {**LT, "RECID": "8"}),
        "hcpcs-2026-01.csv:3: RECID '8' of LT is not 3 or 7",
    ),
    (
        as_csv({**J9035, "HCPC": "j9035"}),
        "hcpcs-2026-01.csv:2: HCPC 'j9035' is not a HCPCS code",
    ),
    (
        as_csv({**J9035, "HCPC": ""}),
        "hcpcs-2026-01.csv:2: HCPC '' is not a HCPCS code",
    ),
    (
        as_csv(J9035).replace(b"Injection", b'"Injection', 1),
        "hcpcs-2026-01.csv:2: not CSV",
    ),
    (as_csv(J9035) + b"\xff\r\n", "hcpcs-2026-01.csv:3: not UTF-8 text"),
]


@pytest.mark.parametrize(("data", "message"), CSV_ERRORS)
def test_a_malformed_csv_export_is_an_error_naming_file_and_line(data: bytes, message: str) -> None:
    assert error(data, ExportFormat.CSV).startswith(message)


def test_a_date_or_number_that_does_not_parse_is_kept_as_cms_text() -> None:
    # The export writes back CMS's text of a value that does not parse (spaces kept): loading the
    # export keeps it as the CMS readers do, its field blank.
    data = as_csv(
        {**J9035, "ADD_DT": "20050101", "TERM_DT": "2025-02-30", "ANEST_BU": "-1"},
        {**J9035, "HCPC": "J9036", "ASC_DT": "  202001"},
    )
    records = read(data, ExportFormat.CSV)
    assert [(found.values["add_dt"], found.values["asc_dt"]) for found in records] == [
        (None, None),
        ("2005-01-01", None),
    ]
    assert [defect.message() for found in records for defect in found.defects] == [
        f"{field} of J9035 at hcpcs-2026-01.csv:2 is not {expected}: {text!r}"
        " (kept here as written; the field is left blank)"
        for field, expected, text in (
            ("ANEST_BU", "a whole number", "-1"),
            ("ADD_DT", "a YYYY-MM-DD date", "20050101"),
            ("TERM_DT", "a YYYY-MM-DD date", "2025-02-30"),
        )
    ] + [
        "ASC_DT of J9036 at hcpcs-2026-01.csv:3 is not a YYYY-MM-DD date: '  202001'"
        " (kept here as written; the field is left blank)"
    ]


NDJSON_ERRORS = [
    (as_ndjson(J9035) + b"{\n", "hcpcs-2026-01.ndjson:2: not a JSON object (Expecting"),
    (as_ndjson(J9035) + b"[1]\n", "hcpcs-2026-01.ndjson:2: not a JSON object but list"),
    (
        as_ndjson({key: value for key, value in J9035.items() if key != "TOS5"}),
        "hcpcs-2026-01.ndjson:1: lacks the keys TOS5",
    ),
    (
        as_ndjson({**J9035, "release": "2026-01"}),
        "hcpcs-2026-01.ndjson:1: has unknown keys 'release'",
    ),
    (
        as_ndjson(J9035, {**LT, "PRICE1": 0}),
        "hcpcs-2026-01.ndjson:2: PRICE1 is not text: 0",
    ),
    (
        as_ndjson({**J9035, "ANEST_BU": 1.5}),
        "hcpcs-2026-01.ndjson:1: ANEST_BU is not a whole number: 1.5",
    ),
    (
        as_ndjson({**J9035, "RECID": 3}),
        "hcpcs-2026-01.ndjson:1: RECID is not text: 3",
    ),
]


@pytest.mark.parametrize(("data", "message"), NDJSON_ERRORS)
def test_a_malformed_ndjson_export_is_an_error_naming_file_and_line(
    data: bytes, message: str
) -> None:
    assert error(data, ExportFormat.NDJSON).startswith(message)


def test_loading_an_export_names_the_file_and_line_of_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hcpcs-2026-01.csv"
    path.write_bytes(as_csv(J9035, LT, J9035))
    db = tmp_path / "hcpcs.db"
    assert main(["load", str(path), "--db", str(db)]) == 2
    assert capsys.readouterr() == (
        "",
        "hcpcs: hcpcs-2026-01.csv:4: code J9035 appears again (first at hcpcs-2026-01.csv:2)\n",
    )
    assert not db.exists()
