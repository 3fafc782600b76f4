from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from hcpcs_graphql.cli import main


def test_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.db"
    assert main(["serve", "--db", str(missing)]) == 2
    assert capsys.readouterr().err == (
        f"hcpcs: {missing}: no such database file (load one with `hcpcs load`)\n"
    )
    assert not missing.exists()


def test_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "text.db"
    path.write_text("not a database")
    assert main(["serve", "--db", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"hcpcs: {path}: not a loaded HCPCS database (file is not a database)\n"
    )


def test_database_without_release(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    assert main(["serve", "--db", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"hcpcs: {path}: not a loaded HCPCS database (no such table: release)\n"
    )
