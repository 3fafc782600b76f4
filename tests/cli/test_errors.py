"""Every way a command fails ends in one line on stderr and exit 2, never a traceback; `-` is
standard output wherever an output path is taken; a reader that stops early (`| head`) ends
the command quietly."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from hcpcs_graphql.cli.main import main
from hcpcs_graphql.schema.schema import export_sdl
from tests.conftest import FIXTURES, REPOSITORY

OLDER, NEWER = "2025-10", "2026-01"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("errors") / "hcpcs.db"
    assert main(["load", str(FIXTURES), "--db", str(path)]) == 0
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def reconcile(db: Path, path: Path, *extra: str | Path) -> list[str | Path]:
    return ["reconcile", path, "--from", OLDER, "--to", NEWER, "--db", db, *extra]


def chargemaster(tmp_path: Path) -> Path:
    path = tmp_path / "chargemaster.csv"
    path.write_text("code\nA0021\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "reason"),
    [("missing.csv", "No such file or directory"), ("", "Is a directory")],
    ids=["missing", "a-folder"],
)
def test_an_input_file_that_cannot_be_read(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, reason: str
) -> None:
    path = tmp_path / name  # "": the folder itself
    assert run(capsys, *reconcile(db, path)) == (2, "", f"hcpcs: cannot read {path}: {reason}\n")


def test_a_reconcile_input_that_is_not_csv(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Text without NUL (so not taken for a workbook) whose one field is past the csv module's
    # field size limit.
    path = tmp_path / "notes.csv"
    path.write_text("x" * (csv.field_size_limit() + 1), encoding="utf-8")
    assert run(capsys, *reconcile(db, path)) == (
        2,
        "",
        f"hcpcs: {path}: not a CSV file (field larger than field limit "
        f"({csv.field_size_limit()}))\n",
    )


@pytest.mark.parametrize(
    "command",
    [
        ["export", NEWER, "--output", "{missing}/hcpcs-2026-01.csv"],
        ["diff", OLDER, NEWER, "--csv", "{missing}/changes.csv"],
        ["schema", "--output", "{missing}/schema.graphql"],
        ["reconcile", "{chargemaster}", "--from", OLDER, "--to", NEWER, "--output", "{missing}/r"],
    ],
    ids=lambda command: command[0],
)
def test_an_output_folder_that_is_missing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    names = {"missing": tmp_path / "missing", "chargemaster": chargemaster(tmp_path)}
    args = [arg.format(**names) for arg in command]
    target = args[-1]
    db_option = [] if command[0] == "schema" else ["--db", str(db)]
    code, _out, err = run(capsys, *args, *db_option)
    assert (code, err) == (2, f"hcpcs: cannot write {target}: No such file or directory\n")
    assert not (tmp_path / "missing").exists()


def test_a_dash_is_standard_output(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "schema", "--output", "-")
    assert (code, out, err) == (0, export_sdl(), "")

    code, diff_csv, summary = run(capsys, "diff", OLDER, NEWER, "--db", db, "--csv", "-")
    code_only, summary_only, _ = run(capsys, "diff", OLDER, NEWER, "--db", db)
    rows = list(csv.reader(io.StringIO(diff_csv)))
    assert (code, code_only) == (0, 0)
    codes = len({row[0] for row in rows[1:]})
    assert summary == summary_only + f"wrote {codes:,} codes to standard output\n"
    assert rows[0][0] == "code"

    code, out, err = run(capsys, "export", NEWER, "--db", db, "--output", "-")
    assert (code, err) == (0, "")
    assert out == run(capsys, "export", NEWER, "--db", db)[1]
    assert out.startswith("HCPC,RECID,")

    code, out, err = run(capsys, *reconcile(db, chargemaster(tmp_path), "--output", "-"))
    assert (code, out.splitlines()[1].split(",")[:2]) == (0, ["A0021", "UNCHANGED"])
    assert err.startswith(f"{tmp_path / 'chargemaster.csv'} column 1 (code): 1 codes")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["chargemaster.csv"]


@pytest.mark.parametrize(
    "command",
    [
        ["schema"],
        ["export", NEWER, "--db", "{db}"],
        ["verify", "{fixtures}/HCPC2026_JAN_ANWEB_01122026.txt", "--db", "{db}"],
    ],
    ids=lambda command: command[0],
)
def test_a_reader_that_stops_early_ends_the_command_quietly(db: Path, command: list[str]) -> None:
    args = [arg.format(db=db, fixtures=FIXTURES) for arg in command]
    process = subprocess.Popen(
        [sys.executable, "-m", "hcpcs_graphql.cli", *args],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    # The reader is gone before the command writes its first byte: as `| head -0` would be.
    process.stdout.close()
    with process.stderr:
        err = process.stderr.read()
    assert (process.wait(), err) == (1, b"")
