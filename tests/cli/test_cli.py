"""The `hcpcs load` and `hcpcs verify` commands: output, exit codes and one-line errors."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from hcpcs_graphql.domain.layout import DETAIL_FIELDS, HCPC, Field
from tests.cli.run import loaded, run
from tests.conftest import FIXTURES

JAN_TXT = "HCPC2026_JAN_ANWEB_01122026.txt"
JAN_XLSX = "HCPC2026_JAN_ANWEB_01122026.xlsx"
OCT_XLSX = "HCPC2025_OCT_ANWEB.xlsx"
FIELDS = {field.column: field for field in DETAIL_FIELDS}


def jan_lines() -> list[str]:
    """The lines of the January fixture, without their CRLF; A0021 is line 2 (index 1)."""
    return (FIXTURES / JAN_TXT).read_bytes().decode("ascii").split("\r\n")


def edit(line: str, field: Field, value: str) -> str:
    text = value.rjust(field.width) if field.column == "anest_bu" else value.ljust(field.width)
    return line[: field.start - 1] + text + line[field.end :]


def write_txt(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(exist_ok=True)
    path.write_bytes("\r\n".join(lines).encode("ascii"))
    return path


def without_time(out: str) -> str:
    return re.sub(r" in \d+\.\d s$", " in _ s", out, flags=re.MULTILINE)


def test_load_prints_a_line_per_release_and_the_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "hcpcs.db"
    code, out, err = run(capsys, "load", FIXTURES, "--db", db)
    assert (code, err) == (
        0,
        f"2026-01 cross check: {JAN_XLSX} differs in act_eff_dt for 1 code (A0021)\n",
    )
    assert without_time(out) == (
        "loaded release 2020-01: 2 codes (1 procedure, 1 modifier)"
        " from HCPC2020_ANWEB_w_disclaimer.txt in _ s\n"
        f"loaded release 2025-10: 4 codes (3 procedures, 1 modifier) from {OCT_XLSX} in _ s\n"
        f"loaded release 2026-01: 5 codes (4 procedures, 1 modifier) from {JAN_TXT} in _ s\n"
    )
    assert db.is_file()


def test_a_value_that_does_not_parse_is_kept_in_the_notes_and_the_load_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "hcpcs.db"
    code, out, err = run(capsys, "load", corrupt_txt(tmp_path), "--db", db)
    assert (code, err) == (
        0,
        f"2026-01 unparsed value: ANEST_BU of A0021 at {JAN_TXT}:2, positions 266-268 is not a"
        " whole number: '  X' (kept here as written; the field is left blank)\n",
    )
    assert without_time(out) == (
        f"loaded release 2026-01: 5 codes (4 procedures, 1 modifier) from {JAN_TXT} in _ s\n"
    )


def test_a_release_with_far_fewer_codes_is_refused_unless_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = loaded(capsys, tmp_path / "hcpcs.db", FIXTURES / OCT_XLSX)
    fewer = jan_lines()
    del fewer[1:4]  # A0021 and A0080 (its two records)
    path = write_txt(tmp_path / "in" / JAN_TXT, fewer)
    assert run(capsys, "load", path, "--db", db) == (
        2,
        "",
        "hcpcs: release 2026-01: refused by the code count check: 3 codes, 25% fewer than the 4"
        " of release 2025-10 (more than 5% fewer: a file cut short?); load it with"
        " --allow-fewer-codes if CMS did drop them\n",
    )
    code, out, _ = run(capsys, "load", path, "--db", db, "--allow-fewer-codes")
    assert (code, without_time(out)) == (
        0,
        f"loaded release 2026-01: 3 codes (2 procedures, 1 modifier) from {JAN_TXT} in _ s\n",
    )


def test_load_with_a_release_id_for_a_file_named_otherwise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hcpcs-april.txt"
    shutil.copy(FIXTURES / JAN_TXT, path)
    code, out, err = run(capsys, "load", path, "--release", "2026-04", "--db", tmp_path / "h.db")
    assert (code, without_time(out), err) == (
        0,
        "loaded release 2026-04: 5 codes (4 procedures, 1 modifier) from hcpcs-april.txt in _ s\n",
        "",
    )


def corrupt_txt(tmp_path: Path) -> Path:
    lines = jan_lines()
    lines[1] = edit(lines[1], FIELDS["anest_bu"], "X")
    return write_txt(tmp_path / "in" / JAN_TXT, lines)


def cut_txt(tmp_path: Path) -> Path:
    path = tmp_path / "in" / JAN_TXT
    path.parent.mkdir()
    path.write_bytes((FIXTURES / JAN_TXT).read_bytes()[:-400])  # cut short inside G0103
    return path


def corrupt_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "in" / OCT_XLSX
    path.parent.mkdir()
    path.write_bytes(b"HCPC;SEQNUM;RECID\r\n")
    return path


def unnamed_txt(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "hcpcs.txt"
    path.parent.mkdir()
    shutil.copy(FIXTURES / JAN_TXT, path)
    return path


Arguments = Callable[[Path], list[str | Path]]
LOAD_FAILURES: list[tuple[str, Arguments, str]] = [
    (
        "missing path",
        lambda tmp: [FIXTURES / JAN_TXT, tmp / "missing.zip"],
        "{tmp}/missing.zip: no such file or folder",
    ),
    (
        "cut-short txt",
        lambda tmp: [FIXTURES / OCT_XLSX, cut_txt(tmp)],
        f"{JAN_TXT}:7: refused by the truncation check: the last record has no line end"
        " (the file is cut short)",
    ),
    (
        "corrupt xlsx",
        lambda tmp: [FIXTURES / JAN_TXT, corrupt_xlsx(tmp)],
        f"{OCT_XLSX}: not a readable xlsx or xls workbook (Cannot detect file format)",
    ),
    (
        "bad release",
        lambda tmp: [FIXTURES / JAN_TXT, "--release", "2026-02"],
        "release id '2026-02' is not YYYY-MM with MM the first month of a quarter"
        " (01, 04, 07 or 10)",
    ),
    (
        "release twice",
        lambda tmp: [FIXTURES / JAN_TXT, FIXTURES / JAN_XLSX],
        "release 2026-01 is given more than once",
    ),
    (
        "no release",
        lambda tmp: [unnamed_txt(tmp)],
        "hcpcs.txt: cannot tell the release from the file name nor from what holds it (in);"
        " give it with --release",
    ),
]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [pytest.param(arguments, message, id=case) for case, arguments, message in LOAD_FAILURES],
)
def test_load_fails_with_one_line_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: Arguments, message: str
) -> None:
    db = tmp_path / "hcpcs.db"
    code, out, err = run(capsys, "load", *arguments(tmp_path), "--db", db)
    assert (code, out, err) == (2, "", f"hcpcs: {message.replace('{tmp}', str(tmp_path))}\n")
    assert not db.exists()


def test_load_into_a_file_that_is_not_a_database_leaves_it_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "hcpcs.db"
    shutil.copy(FIXTURES / JAN_TXT, db)
    code, out, err = run(capsys, "load", FIXTURES / OCT_XLSX, "--db", db)
    assert (code, out, err) == (2, "", "hcpcs: database error: file is not a database\n")
    assert db.read_bytes() == (FIXTURES / JAN_TXT).read_bytes()


def test_verify_exits_0_when_the_database_matches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = loaded(capsys, tmp_path / "hcpcs.db", FIXTURES)
    assert run(capsys, "verify", FIXTURES / JAN_TXT, "--db", db) == (
        0,
        f"release 2026-01: {JAN_TXT} matches {db}\n",
        "",
    )
    assert run(capsys, "verify", FIXTURES, "--db", db) == (
        0,
        f"release 2020-01: HCPC2020_ANWEB_w_disclaimer.txt matches {db}\n"
        f"release 2025-10: {OCT_XLSX} matches {db}\n"
        f"release 2026-01: {JAN_TXT} matches {db}\n",
        "",
    )


@pytest.fixture
def january_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """hcpcs.db in the test's folder, the January txt fixture loaded into it."""
    return loaded(capsys, tmp_path / "hcpcs.db", FIXTURES / JAN_TXT)


def test_verify_exits_1_listing_the_differences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], january_db: Path
) -> None:
    lines = [line for line in jan_lines() if not line.startswith("G0103")]
    lines[1] = edit(edit(lines[1], FIELDS["betos"], "O1B"), FIELDS["anest_bu"], "7")
    lines[1] = edit(edit(lines[1], FIELDS["term_dt"], "20261231"), FIELDS["add_dt"], " " * 8)
    lines.insert(2, edit(lines[1], HCPC, "A0022"))
    path = write_txt(tmp_path / "changed" / JAN_TXT, lines)
    # Field names as the export writes them, values as CMS does: no Python reprs.
    assert run(capsys, "verify", path, "--db", january_db) == (
        1,
        "2026-01 A0021 BETOS: file O1B, database O1A\n"
        "2026-01 A0021 ANEST_BU: file 7, database 0\n"
        "2026-01 A0021 ADD_DT: file (blank), database 19850101\n"
        "2026-01 A0021 TERM_DT: file 20261231, database (blank)\n"
        f"2026-01 A0022: in {JAN_TXT}, not in the database\n"
        f"2026-01 G0103: in the database, not in {JAN_TXT}\n"
        f"release 2026-01: 6 differences between {JAN_TXT} and {january_db}\n",
        "",
    )


def test_verify_exits_1_for_a_release_not_in_the_database(
    capsys: pytest.CaptureFixture[str], january_db: Path
) -> None:
    assert run(capsys, "verify", FIXTURES / OCT_XLSX, "--db", january_db) == (
        1,
        f"release 2025-10: not in {january_db}\n",
        "",
    )


def test_verify_fails_with_exit_code_2_without_a_database_or_on_a_corrupt_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "hcpcs.db"
    assert run(capsys, "verify", FIXTURES / JAN_TXT, "--db", db) == (
        2,
        "",
        f"hcpcs: {db}: no such database file (load one with `hcpcs load`)\n",
    )
    assert not db.exists()
    assert run(capsys, "load", FIXTURES / JAN_TXT, "--db", db)[0] == 0
    assert run(capsys, "verify", cut_txt(tmp_path), "--db", db) == (
        2,
        "",
        f"hcpcs: {JAN_TXT}:7: refused by the truncation check: the last record has no line end"
        " (the file is cut short)\n",
    )


def test_the_database_defaults_to_hcpcs_db_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "from-env.db"
    monkeypatch.setenv("HCPCS_DB", str(db))
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "load", FIXTURES / JAN_TXT)[0] == 0
    assert run(capsys, "verify", FIXTURES / JAN_TXT) == (
        0,
        f"release 2026-01: {JAN_TXT} matches {db}\n",
        "",
    )
    # --db wins over the environment.
    assert run(capsys, "load", FIXTURES / OCT_XLSX, "--db", tmp_path / "given.db")[0] == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["from-env.db", "given.db"]


def test_the_database_defaults_to_hcpcs_db_in_the_working_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HCPCS_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "load", FIXTURES / JAN_TXT)[0] == 0
    assert run(capsys, "verify", FIXTURES / JAN_TXT) == (
        0,
        f"release 2026-01: {JAN_TXT} matches hcpcs.db\n",
        "",
    )
    assert [path.name for path in tmp_path.iterdir()] == ["hcpcs.db"]
