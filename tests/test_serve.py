from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from hcpcs_graphql.cli import main
from hcpcs_graphql.db.schema import SCHEMA_VERSION, create_schema


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


def test_empty_sqlite_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    assert main(["serve", "--db", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"hcpcs: {path}: not a loaded HCPCS database (no such table: meta)\n"
    )


def test_database_without_release(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "none.db"
    with closing(sqlite3.connect(path)) as connection, connection:
        create_schema(connection)
    assert main(["serve", "--db", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"hcpcs: {path}: holds no release (load one with `hcpcs load`)\n"
    )


def test_database_of_another_schema_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("create table meta (key text primary key, value text not null)")
        connection.execute("insert into meta values ('schema_version', '1')")
    assert main(["serve", "--db", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"hcpcs: {path}: written with schema version 1, this program reads version"
        f" {SCHEMA_VERSION}: load the releases again into a new file\n"
    )


def test_workers_must_be_positive(real_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--db", str(real_db), "--workers", "0"]) == 2
    assert capsys.readouterr().err == "hcpcs: --workers must be 1 or more\n"
