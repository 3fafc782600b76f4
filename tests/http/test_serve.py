from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from hcpcs_graphql.cli.main import main
from hcpcs_graphql.db.tables import SCHEMA_VERSION, create_schema
from hcpcs_graphql.http import server
from tests.serving import SERVE, free_port, without_read_permission


def test_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.db"
    assert main(["serve", "--db", str(missing)]) == 2
    assert capsys.readouterr().err == (
        f"hcpcs: {missing}: no such database file (load one with `hcpcs load`)\n"
    )
    assert not missing.exists()


def test_unreadable_database(real_db: Path, tmp_path: Path) -> None:
    # A loaded database the server's user may not read: `hcpcs serve` in a process of its own,
    # without the right to read it (root, who reads it all the same, without that right).
    path = tmp_path / "unreadable.db"
    shutil.copyfile(real_db, path)
    path.chmod(0)
    port = free_port()
    done = subprocess.run(
        [*without_read_permission(), *SERVE, "--db", str(path), "--port", str(port)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        f"hcpcs: {path}: cannot be read (Permission denied)\n",
    )


def test_a_folder_is_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--db", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"hcpcs: {tmp_path}: not a file\n"


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


def test_one_worker_a_core_by_default(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []

    def serve(db: Path, host: str, port: int, workers: int, stack: str) -> None:
        started.append(workers)

    monkeypatch.setattr(server, "serve", serve)
    assert main(["serve", "--db", str(real_db)]) == 0
    assert main(["serve", "--db", str(real_db), "--workers", "3"]) == 0
    assert started == [len(os.sched_getaffinity(0)), 3]


def test_the_shared_socket_is_made_for_tcp() -> None:
    # asyncio sets TCP_NODELAY on the connections of a socket whose protocol is TCP only.
    with server._listening_socket("127.0.0.1", 0) as sock:
        assert sock.proto == socket.IPPROTO_TCP


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_port_in_use(real_db: Path, workers: str, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        arguments = ["serve", "--db", str(real_db), "--port", str(port), "--workers", workers]
        assert main(arguments) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"hcpcs: cannot listen on 127.0.0.1:{port}: Address already in use"
    )
