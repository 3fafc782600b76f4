"""A database file damaged under a running server, or damaged before it starts (issue 9, defect
6): not ready, no export that dies after its 200, and `hcpcs serve` refusing it in one line."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.serving import SERVE, running


@pytest.fixture(scope="module")
def copy(real_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("damaged") / "hcpcs.db"
    shutil.copyfile(real_db, path)
    return path


@pytest.fixture(scope="module")
def truncated(copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("log") / "server.log"
    with running(copy, log) as url:
        assert httpx.get(f"{url}/readyz").status_code == 200
        os.truncate(copy, 1024 * 1024)
        yield url
    assert "Traceback" not in log.read_text(errors="replace")


def test_a_truncated_database_is_not_ready(truncated: str, copy: Path) -> None:
    response = httpx.get(f"{truncated}/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "database unavailable"}


def test_an_export_of_a_truncated_database_is_503_not_a_cached_200(truncated: str) -> None:
    response = httpx.get(f"{truncated}/export/2026-01.csv")
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"] == {"code": "UNAVAILABLE"}
    assert "immutable" not in response.headers.get("cache-control", "")
    assert "etag" not in response.headers


def serve(db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SERVE, "--db", str(db), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_database_without_the_code_table_is_refused_in_one_line(
    real_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "hcpcs.db"
    shutil.copyfile(real_db, path)
    with sqlite3.connect(path) as connection:
        connection.execute("drop table code")
    done = serve(path)
    assert (done.returncode, done.stderr) == (
        2,
        f"hcpcs: {path}: damaged or incomplete (no such table: code)\n",
    )
