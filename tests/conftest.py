from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiosqlite
import httpx
import pytest

from hcpcs_graphql.db.connection import connect_read_only, statement_clock
from hcpcs_graphql.db.loader import load
from hcpcs_graphql.domain.calendar import TODAY_VARIABLE
from hcpcs_graphql.http.app import create_app
from hcpcs_graphql.ingest.sources import find_releases
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context, make_context
from tests.fixture_files import lay_out
from tests.serving import running

TODAY = "2026-03-02"
"""The day every test (and every server a test starts) takes as today, unless it moves it: the
tests do not depend on the real date. The newest real release, 2026-01, is in effect on it."""
os.environ[TODAY_VARIABLE] = TODAY

REPOSITORY = Path(__file__).resolve().parents[1]
DATA_VARIABLE = "HCPCS_TEST_DATA"
DATA = Path(os.environ.get(DATA_VARIABLE) or REPOSITORY.parent / "shared" / "data" / "hcpcs")
REALDATA = "realdata"
NO_DATA = f"the CMS release files are not in {DATA} (set {DATA_VARIABLE} to their folder)"
JANUARY_2026 = DATA / "2026-01_JAN"
OCTOBER_2025 = DATA / "2025-10_OCT"
JANUARY_2026_TXT = JANUARY_2026 / "HCPC2026_JAN_ANWEB_01122026.txt"
JANUARY_2026_XLSX = JANUARY_2026 / "HCPC2026_JAN_ANWEB_01122026.xlsx"
OCTOBER_2025_XLSX = OCTOBER_2025 / "HCPC2025_OCT_ANWEB.xlsx"
# The fixture release files under their CMS names, laid out once per test session.
FIXTURES = lay_out(Path(tempfile.mkdtemp(prefix="hcpcs-fixtures-")))


def pytest_sessionfinish() -> None:
    shutil.rmtree(FIXTURES, ignore_errors=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test needs the real files when its fixture closure holds real_db; the few that read the
    # files directly carry the marker themselves.
    for item in items:
        if "real_db" in getattr(item, "fixturenames", ()):
            item.add_marker(REALDATA)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker(REALDATA) is None or DATA.is_dir():
        return
    # CI must run every test; a fresh checkout without the files runs the rest.
    if os.environ.get("CI"):
        pytest.fail(NO_DATA, pytrace=False)
    pytest.skip(NO_DATA)


@pytest.fixture(scope="session")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real January 2026 (txt, xlsx cross-checked) and October 2025 (xlsx) releases."""
    path = tmp_path_factory.mktemp("db") / "hcpcs.db"
    load(path, [*find_releases(JANUARY_2026), *find_releases(OCTOBER_2025)])
    return path


@pytest.fixture(scope="module")
def server(real_db: Path) -> Iterator[str]:
    """The URL of the real server (`hcpcs serve`) on the real database, one per test module."""
    with running(real_db) as url:
        yield url


TESTS_STATEMENT_SECONDS = 600.0


@pytest.fixture(scope="session")
async def connection(real_db: Path) -> AsyncIterator[aiosqlite.Connection]:
    # No test may depend on the machine's speed: the tests that stop a statement count its
    # steps on a connection of their own, so this one's time limit only has to be out of reach
    # (a heavy document on a loaded machine ran past the serving default of a second).
    connection = await connect_read_only(real_db, statement_seconds=TESTS_STATEMENT_SECONDS)
    yield connection
    await connection.close()


@pytest.fixture(scope="session")
async def catalog(connection: aiosqlite.Connection) -> Catalog:
    return await Catalog.read(connection)


def cold(catalog: Catalog, *, referrers: bool = True) -> Catalog:
    """The catalog without its caches (rows, facets, referrers), so that the statements a test
    counts do not depend on the tests that ran before it; without the bound on referrers too
    unless REFERRERS."""
    return Catalog(
        releases=catalog.releases,
        code_values=catalog.code_values,
        vocabulary=catalog.vocabulary,
        most_referrers=catalog.most_referrers if referrers else None,
    )


@contextlib.asynccontextmanager
async def edited_copy(
    db: Path, folder: Path, release: str, *updates: str
) -> AsyncIterator[Context]:
    """A request context on a copy of DB (in FOLDER) that UPDATES edited, each statement given
    RELEASE as its one parameter."""
    path = folder / "hcpcs.db"
    shutil.copyfile(db, path)
    editing = sqlite3.connect(path)
    with editing:
        for update in updates:
            editing.execute(update, (release,))
    editing.close()
    connection = await connect_read_only(path)
    try:
        yield make_context(connection, await Catalog.read(connection))
    finally:
        await connection.close()


@pytest.fixture
def context(connection: aiosqlite.Connection, catalog: Catalog) -> Context:
    return make_context(connection, cold(catalog))


@pytest.fixture
async def statements(connection: aiosqlite.Connection) -> AsyncIterator[list[str]]:
    """The SQL statements the API runs while the test runs: not those that SQLite's full-text
    extension runs on its own tables ("-- ..." and "... 'main'.'code_fts_...")."""
    seen: list[str] = []

    def trace(statement: str) -> None:
        if not statement.startswith("--") and "'main'." not in statement:
            seen.append(statement)

    listeners = statement_clock(connection).listeners
    listeners.append(trace)
    yield seen
    listeners.remove(trace)


@contextlib.asynccontextmanager
async def app_client(db: Path) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the app on DB, its lifespan running (httpx alone does not run it)."""
    app = create_app(db)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


def allow_only(monkeypatch: pytest.MonkeyPatch, folder: Path, *documents: str) -> None:
    """The app of this test serves DOCUMENTS only (HCPCS_ALLOW_LIST, written into FOLDER)."""
    allowed = folder / "allowed.json"
    allowed.write_text(json.dumps(list(documents)))
    monkeypatch.setenv("HCPCS_ALLOW_LIST", str(allowed))


@pytest.fixture
async def client(real_db: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(real_db) as found:
        yield found
