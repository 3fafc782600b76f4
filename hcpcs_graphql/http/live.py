"""Publishing live: a release loaded while the server runs is served from the next request on,
without a restart and without a failed request.

The loader writes in WAL mode in one transaction, so a reader sees the database before the load
or after it, never between. Before each request this middleware compares the database's files
(the main file and its write-ahead log: size, modification time, inode) with what it saw; when
they changed, it reads the catalog again and swaps it, with the HTTP cache's fingerprint, into
the app's state in one step. A request keeps the catalog it started with. A stat of two files is
all an unchanged database costs; while a load writes, a request also asks SQLite whether a
commit happened (`pragma data_version`), so that the catalog is read once per load."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from hcpcs_graphql import __version__
from hcpcs_graphql.db.health import FileIdentity, file_identity
from hcpcs_graphql.http.arrival import arrived
from hcpcs_graphql.http.content import content_tag
from hcpcs_graphql.http.middleware.caching import fingerprint
from hcpcs_graphql.services.catalog import Catalog

logger = logging.getLogger("hcpcs_graphql")

Stamp = tuple[FileIdentity | None, ...]
"""The identity of the database file and of its write-ahead log (None: no such file)."""


def catalog_fingerprint(catalog: Catalog) -> str:
    """What the HTTP cache keys its entries by: the files of every release, and the code."""
    # Imported when called, as the schema imports services.
    from hcpcs_graphql.schema.schema import checked_in_sdl  # noqa: PLC0415

    return fingerprint(
        [file.sha256 for release in catalog.releases for file in release.files],
        f"{__version__} {checked_in_sdl()}",
    )


def files(db_path: Path) -> tuple[Path, Path]:
    """The database file and its write-ahead log."""
    return db_path, db_path.with_name(f"{db_path.name}-wal")


def stamp(paths: tuple[Path, ...]) -> Stamp:
    found: list[FileIdentity | None] = []
    for path in paths:
        try:
            found.append(file_identity(path))
        except FileNotFoundError:
            found.append(None)
    return tuple(found)


class LiveReleases:
    def __init__(self, app: ASGIApp, db_path: Path) -> None:
        self.app = app
        self.db_path = db_path
        # Made once: every request stamps them (stored_answers.py's too).
        self.files = files(db_path)
        # Built when the server starts, before the lifespan reads the catalog.
        self.seen = stamp(self.files)
        self.lock = asyncio.Lock()
        self.version: int | None = None
        """SQLite's data_version when the catalog was last read (None: at start)."""
        self.switches = 0
        self.last_switch_seconds = 0.0
        self.looked = 0
        """When the files last began to be looked at and were as seen (time.monotonic_ns())."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.refresh(scope["app"].state, arrived(scope))
        await self.app(scope, receive, send)

    @staticmethod
    async def _data_version(state: Any) -> int:
        rows = list(await state.connection.execute_fetchall("pragma data_version"))
        return int(rows[0][0])

    def looked_after(self, arrived: int | None) -> bool:
        """Whether the files were looked at since a request ARRIVED (arrival.py): the look that
        serves it (`refresh` has nothing to do)."""
        return arrived is not None and arrived < self.looked

    async def refresh(self, state: Any, arrived: int | None = None) -> bool:
        """Swap in the catalog of what the database holds now, if it changed. A request that
        ARRIVED (arrival.py) before the files were last looked at is served by that look."""
        if self.looked_after(arrived):
            return False
        looking = time.monotonic_ns()
        current = stamp(self.files)
        if current == self.seen:
            self.looked = looking
            return False
        async with self.lock:
            current = stamp(self.files)
            if current == self.seen:
                return False  # another request swapped it while this one waited
            # The files change while a load writes, before it commits: SQLite's data_version
            # changes only with a commit (by another connection). A file that cannot be read
            # (damaged, replaced) keeps the catalog served so far and the identity /readyz
            # compares with, so that readiness reports it.
            try:
                version = await self._data_version(state)
                if version == self.version:
                    self.seen = current
                    state.db_identity = file_identity(self.db_path)
                    return False
                began = time.perf_counter()
                catalog = await Catalog.read(state.connection, state.settings.row_cache)
                identity = file_identity(self.db_path)
            except (sqlite3.Error, OSError) as error:
                logger.warning("database %s could not be read again: %s", self.db_path, error)
                return False
            state.content_tags = {release.id: content_tag(release) for release in catalog.releases}
            state.fingerprint = catalog_fingerprint(catalog)
            state.catalog = catalog
            state.db_identity = identity
            # Stamped before the read: a load committed during it is seen by the next request.
            self.seen = current
            self.version = version
            self.switches += 1
            self.last_switch_seconds = time.perf_counter() - began
            logger.info(
                "serving releases %s (catalog read again in %.3f s)",
                ", ".join(release.id for release in catalog.releases),
                self.last_switch_seconds,
            )
            return True
