"""scripts/serve on a machine without ../shared: an empty data folder, so it fetches the latest
release (`hcpcs update`) from $HCPCS_SOURCE, here the stand-in for CMS on 127.0.0.1, loads it
and serves it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import JANUARY_2026_TXT
from tests.fake_cms import PAGE_PATH, files_from, serving
from tests.serving import free_port, wait_started

SERVE = Path(__file__).resolve().parents[2] / "scripts" / "serve"


@pytest.mark.realdata
def test_serve_without_data_fetches_the_latest_release_from_the_source(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    db = tmp_path / "hcpcs.db"
    port = free_port()
    with serving(files_from(JANUARY_2026_TXT)) as cms:
        environment = {
            **os.environ,
            "HCPCS_DB": str(db),
            "HCPCS_DATA": str(tmp_path / "data"),
            "HCPCS_SOURCE": cms.page,
            "HCPCS_CACHE": str(tmp_path / "cache"),
            # Anything that went past the stand-in would fail rather than reach CMS.
            "https_proxy": "http://127.0.0.1:9",
            "HTTPS_PROXY": "http://127.0.0.1:9",
        }
        process = subprocess.Popen(
            [str(SERVE), "--port", str(port), "--workers", "1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=environment,
        )
        try:
            # Fetching and loading the release come first: a longer bound than a server's.
            server_log = wait_started(process, f"http://127.0.0.1:{port}", 300)
        finally:
            process.terminate()
            process.wait(timeout=30)
        server_log.close()
        assert cms.requests[0] == PAGE_PATH
    with sqlite3.connect(db) as connection:
        assert connection.execute("select id from release").fetchall() == [("2026-10",)]
