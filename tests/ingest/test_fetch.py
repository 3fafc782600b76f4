"""`hcpcs fetch` and `hcpcs update` against a fake of CMS's site on 127.0.0.1 (tests/fake_cms.py):
the page's links followed, downloads retried, cached with a manifest, written atomically."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from hcpcs_graphql.ingest import fetch as fetching
from tests.cli.run import run
from tests.conftest import JANUARY_2026_TXT
from tests.fake_cms import FakeCms, files_from, serving

ZIPS = "/files/zip"
OCTOBER = "october-2026-alpha-numeric-hcpcs-file-corrected.zip"


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return files_from(JANUARY_2026_TXT)


@pytest.fixture
def cms(files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeCms]:
    monkeypatch.setattr(fetching, "RETRY_SECONDS", 0.0)
    with serving(dict(files)) as fake:
        yield fake


def manifest(cache: Path) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = json.loads((cache / "manifest.json").read_text())["files"]
    for entry in entries:
        entry.pop("fetched_at")
    return entries


def entry(cms: FakeCms, release_id: str, name: str) -> dict[str, object]:
    data = cms.files[f"{ZIPS}/{name}"]
    return {
        "release_id": release_id,
        "url": f"{cms.url}{ZIPS}/{name}",
        "name": name,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


@pytest.mark.realdata
def test_fetch_latest_follows_the_page_to_the_corrected_re_post(
    cms: FakeCms, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    code, out, err = run(capsys, "fetch", "--latest", "--source", cms.page, "--cache", cache)
    size = len(cms.files[f"{ZIPS}/{OCTOBER}"])
    assert (code, out, err) == (0, f"release 2026-10: {cache / OCTOBER} ({size:,} bytes)\n", "")
    assert manifest(cache) == [entry(cms, "2026-10", OCTOBER)]
    assert sorted(path.name for path in cache.iterdir()) == ["manifest.json", OCTOBER]
    # Fetched again: the manifest has it, nothing is downloaded.
    before = len(cms.requests)
    assert run(capsys, "fetch", "2026-10", "--source", cms.page, "--cache", cache)[0] == 0
    assert cms.requests[before:] == [cms.page.removeprefix(cms.url)]


@pytest.mark.realdata
def test_a_cached_file_changed_since_is_fetched_again(
    cms: FakeCms, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    assert run(capsys, "fetch", "--latest", "--source", cms.page, "--cache", cache)[0] == 0
    (cache / OCTOBER).write_bytes(b"cut")
    assert run(capsys, "fetch", "--latest", "--source", cms.page, "--cache", cache)[0] == 0
    assert cms.requests.count(f"{ZIPS}/{OCTOBER}") == 2
    assert (cache / OCTOBER).read_bytes() == cms.files[f"{ZIPS}/{OCTOBER}"]
    assert manifest(cache) == [entry(cms, "2026-10", OCTOBER)]


@pytest.mark.realdata
def test_fetch_since_and_named_releases(
    cms: FakeCms, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    assert (
        run(capsys, "fetch", "--since", "2026-07", "--source", cms.page, "--cache", cache)[0] == 0
    )
    assert run(capsys, "fetch", "2026-04", "--source", cms.page, "--cache", cache)[0] == 0
    assert manifest(cache) == [
        entry(cms, "2026-04", "april-2026-alpha-numeric-hcpcs-files.zip"),
        entry(cms, "2026-07", "july-2026-alpha-numeric-hcpcs-file.zip"),
        entry(cms, "2026-10", OCTOBER),
    ]


@pytest.mark.realdata
def test_a_server_error_is_retried(
    cms: FakeCms, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = f"{ZIPS}/{OCTOBER}"
    cms.failures[path] = 2
    cache = tmp_path / "cache"
    assert run(capsys, "fetch", "--latest", "--source", cms.page, "--cache", cache)[0] == 0
    assert cms.requests.count(path) == 3
    assert manifest(cache) == [entry(cms, "2026-10", OCTOBER)]


@pytest.mark.realdata
def test_a_download_that_fails_every_time_leaves_nothing_behind(
    cms: FakeCms, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = f"{ZIPS}/{OCTOBER}"
    cms.cut.add(path)
    cache = tmp_path / "cache"
    code, out, err = run(capsys, "fetch", "--latest", "--source", cms.page, "--cache", cache)
    assert (code, out) == (2, "")
    size = len(cms.files[path])
    assert err == (
        f"hcpcs: {cms.url}{path}: the connection closed after {size // 2:,} of {size:,} bytes"
        " (after 3 attempts)\n"
    )
    assert cms.requests.count(path) == 3
    assert list(cache.iterdir()) == []


@pytest.mark.realdata
def test_a_missing_release_and_a_missing_page_are_one_line_errors(
    cms: FakeCms, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    assert run(capsys, "fetch", "2025-10", "--source", cms.page, "--cache", cache) == (
        2,
        "",
        "hcpcs: release 2025-10 is not offered; offered: 2026-01, 2026-04, 2026-07, 2026-10\n",
    )
    assert run(capsys, "fetch", "--source", f"{cms.url}/gone", "--cache", cache) == (
        2,
        "",
        f"hcpcs: {cms.url}/gone: HTTP 404 Not Found\n",
    )


@pytest.mark.realdata
def test_update_into_a_new_database_loads_the_latest_release(
    cms: FakeCms, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new.db"
    code, out, _ = run(capsys, "update", "--db", db, "--source", cms.page, "--cache", tmp_path)
    assert (code, out.split(":")[0]) == (0, "loaded release 2026-10")


@pytest.mark.realdata
def test_a_bad_release_id_is_refused_before_anything_is_fetched(
    cms: FakeCms, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "fetch", "--since", "2026-7", "--source", cms.page) == (
        2,
        "",
        "hcpcs: release id '2026-7' is not YYYY-MM with MM the first month of a quarter"
        " (01, 04, 07 or 10)\n",
    )
    assert cms.requests == []


@pytest.mark.realdata
def test_a_folder_of_zips_is_a_source_for_closed_networks(
    cms: FakeCms, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for name in ("july-2026-alpha-numeric-hcpcs-file.zip", "notes.zip"):
        (mirror / name).write_bytes(cms.files[f"{ZIPS}/july-2026-alpha-numeric-hcpcs-file.zip"])
    cache = tmp_path / "cache"
    code, out, _ = run(capsys, "fetch", "--source", mirror, "--cache", cache)
    assert (code, out.split(":")[0]) == (0, "release 2026-07")
    assert [item["name"] for item in manifest(cache)] == ["july-2026-alpha-numeric-hcpcs-file.zip"]


def test_update_fetches_checks_and_loads_what_is_new(
    cms: FakeCms, real_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "hcpcs.db"
    shutil.copyfile(real_db, db)
    cache = tmp_path / "cache"
    code, out, _ = run(capsys, "update", "--db", db, "--source", cms.page, "--cache", cache)
    assert code == 0
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "loaded release 2026-04",
        "loaded release 2026-07",
        "loaded release 2026-10",
    ]
    with sqlite3.connect(db) as connection:
        files = connection.execute(
            "select release_id, name from release_file order by release_id"
        ).fetchall()
    assert files[-3:] == [
        ("2026-04", "HCPC2026_APR_ANWEB.txt"),
        ("2026-07", "HCPC2026_JUL_ANWEB_06122026.txt"),
        ("2026-10", "HCPC2026_OCT_ANWEB_v2.txt"),
    ]
    assert run(capsys, "update", "--db", db, "--source", cms.page, "--cache", cache) == (
        0,
        f"{db} is up to date: {cms.page} offers no release after 2026-10\n",
        "",
    )
