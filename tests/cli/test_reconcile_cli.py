"""`hcpcs reconcile FILE.csv`: the codes' column, the counts, the CSV written, and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.run import run

CHARGEMASTER = (
    "Charge Code,Description,HCPCS Code,Price\n"
    "1001,Avastin 10 mg,J9035,120.00\n"
    "1002,Avastin 10 mg (pharmacy),j9035 ,120.00\n"
    "1003,Skin substitute,A2001,80.00\n"
    "1004,Asparaginase,J9020,55.00\n"
    "1005,Garment,A4466,12.00\n"
    "1006,Office visit,99213,90.00\n"
    "1007,Typo,A0022,1.00\n"
    "1008,No code,,2.00\n"
)
OUTPUT = (
    "code,bucket,details,changed_fields,short_description,termination_date,replacements,"
    "suggestions\n"
    "J9035,UNCHANGED,No change in descriptions or payment-relevant fields from 2025-10 to "
    "2026-01.,,Bevacizumab injection,,,\n"
    "A2001,PAYMENT_CHANGED,Long description changed; pricing indicators 13 -> 11; ASC payment "
    "group (blank) -> YY.,LONG_DESCRIPTION PRICING_INDICATORS ASC_PAYMENT_GROUP,"
    '"Innovamatrix ac, per sq cm",,,\n'
    "J9020,DISCONTINUED,Discontinued: its last valid day is 2025-12-31. CMS cross-references no "
    'other code.,,"Asparaginase, nos",2025-12-31,,\n'
    "A4466,DISCONTINUED,Discontinued: its last valid day is 2016-12-31. CMS cross-references "
    "A4467.,,Elastic garment/covering,2016-12-31,A4467,\n"
    '99213,UNCHECKED,"99213 has the shape of a CPT (Level I) code, which the CMS HCPCS Level II '
    'file does not hold: not reviewed.",,,,,\n'
    "A0022,UNKNOWN,A0022 is in neither 2025-10 nor 2026-01.,,,,,A0021 A0422 A2022 A6022 G0022\n"
)
SUMMARY = (
    "{file} column 3 (HCPCS Code): 6 codes (8 rows) reviewed from 2025-10 to 2026-01\n"
    "UNCHANGED                 1\n"
    "DESCRIPTION_CHANGED       0\n"
    "PAYMENT_CHANGED           1\n"
    "DISCONTINUED              2\n"
    "ADDED                     0\n"
    "UNKNOWN                   1\n"
    "UNCHECKED                 1\n"
)


def reconcile(db: Path, path: Path, *extra: str | Path) -> list[str | Path]:
    return ["reconcile", path, "--from", "2025-10", "--to", "2026-01", "--db", db, *extra]


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "chargemaster.csv"
    path.write_text(text, encoding=encoding)
    return path


def test_counts_and_the_csv_written(
    tmp_path: Path, real_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, CHARGEMASTER)
    output = tmp_path / "review.csv"
    assert run(capsys, *reconcile(real_db, path, "--output", output)) == (
        0,
        SUMMARY.format(file=path) + f"written to {output}\n",
        "",
    )
    assert output.read_text() == OUTPUT


def test_the_csv_on_standard_output_and_the_counts_on_standard_error(
    tmp_path: Path, real_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, CHARGEMASTER)
    assert run(capsys, *reconcile(real_db, path)) == (0, OUTPUT, SUMMARY.format(file=path))


@pytest.mark.parametrize(
    ("text", "column", "encoding"),
    [
        # A header named hcpcs (any case), in an Excel export with a byte order mark.
        ("Price;hcpcs\n1;J9035\n2;99213\n", None, "utf-8-sig"),
        # No code header: the first column; its first row is a code, so no header.
        ("J9035,Avastin\n99213,Visit\n", None, "utf-8"),
        # A first row that is no code is a header.
        ("CDM Code,Desc\nJ9035,Avastin\n99213,Visit é\n", None, "cp1252"),
        ("Charge,Item\n1,J9035\n2,99213\n", "item", "utf-8"),
        ("1,J9035\n2,99213\n", "2", "utf-8"),
    ],
)
def test_the_codes_column(
    tmp_path: Path,
    real_db: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    column: str | None,
    encoding: str,
) -> None:
    path = write(tmp_path, text, encoding)
    extra = [] if column is None else ["--column", column]
    code, out, _ = run(capsys, *reconcile(real_db, path, *extra))
    assert code == 0
    assert [line.split(",")[:2] for line in out.splitlines()[1:]] == [
        ["J9035", "UNCHANGED"],
        ["99213", "UNCHECKED"],
    ]


@pytest.mark.parametrize(
    ("text", "extra", "message"),
    [
        (
            "code\nJ9035\n",
            ["--column", "hcpcs"],
            "{path}: no column named 'hcpcs' in the first row",
        ),
        ("", [], "{path}: no rows"),
        (
            "code\nJ9035\n",
            ["--to", "2026-04"],
            "release '2026-04' is not loaded; loaded releases: 2026-01, 2025-10",
        ),
        (
            "code\nJ9035\n",
            ["--from", "2026-01", "--to", "2025-10"],
            "`from` (2026-01) takes effect after `to` (2025-10): give the older release as `from`",
        ),
    ],
)
def test_errors_exit_2_with_one_line(
    tmp_path: Path,
    real_db: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    extra: list[str],
    message: str,
) -> None:
    path = write(tmp_path, text)
    assert run(capsys, *reconcile(real_db, path), *extra) == (
        2,
        "",
        f"hcpcs: {message.format(path=path)}\n",
    )


def test_a_missing_file(tmp_path: Path, real_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.csv"
    assert run(capsys, *reconcile(real_db, missing)) == (
        2,
        "",
        f"hcpcs: cannot read {missing}: No such file or directory\n",
    )


def test_a_file_that_is_not_csv(
    tmp_path: Path, real_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "chargemaster.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")
    assert run(capsys, *reconcile(real_db, path)) == (
        2,
        "",
        f"hcpcs: {path}: not a CSV file (it holds binary data; save a workbook as CSV)\n",
    )


@pytest.mark.parametrize("command", ["reconcile", "schema"])
def test_an_output_in_a_missing_folder(
    tmp_path: Path, real_db: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    output = tmp_path / "missing" / "out.csv"
    arguments = (
        reconcile(real_db, write(tmp_path, "code\nJ9035\n"))
        if command == "reconcile"
        else ["schema"]
    )
    assert run(capsys, *arguments, "--output", output) == (
        2,
        "",
        f"hcpcs: cannot write {output}: No such file or directory\n",
    )
    assert not output.parent.exists()
