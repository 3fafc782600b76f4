"""Loading the real releases with `hcpcs load`: timed, and the database a bench serves."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from paths import JANUARY_2026, OCTOBER_2025, BenchError
from processes import hcpcs_command

from hcpcs_graphql.db.loader import load
from hcpcs_graphql.ingest.sources import find_releases

LOAD_RUNS = 3
LOAD_TIMEOUT_S = 600.0


@dataclass
class LoadTime:
    release: str
    source: str
    runs_s: list[float]
    loader_reported_s: list[float]

    @property
    def median_s(self) -> float:
        return statistics.median(self.runs_s)


LOADED = re.compile(r"loaded release (?P<release>\S+): .* in (?P<seconds>[0-9.]+) s")


def run_load(source: Path, db: Path) -> tuple[float, float]:
    """Wall seconds of `hcpcs load SOURCE --db DB` and the seconds the loader reports."""
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    completed = subprocess.run(
        [str(hcpcs_command()), "load", str(source), "--db", str(db)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=LOAD_TIMEOUT_S,
        check=False,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise BenchError(f"hcpcs load {source} failed:\n{completed.stdout}{completed.stderr}")
    reported = LOADED.search(completed.stdout)
    return seconds, float(reported["seconds"]) if reported else float("nan")


def measure_loads(work: Path) -> list[LoadTime]:
    releases = [
        LoadTime("2026-01", "txt + xlsx cross-check", [], []),
        LoadTime("2025-10", "xlsx", [], []),
    ]
    sources = {"2026-01": JANUARY_2026, "2025-10": OCTOBER_2025}
    for run in range(LOAD_RUNS):  # interleaved, so that noise spreads over both
        for release in releases:
            db = work / f"load-{release.release}-{run}.db"
            seconds, reported = run_load(sources[release.release], db)
            release.runs_s.append(seconds)
            release.loader_reported_s.append(reported)
            print(f"  load {release.release} run {run + 1}: {seconds:.2f} s", flush=True)
    return releases


def prepare_database(requested: Path | None, work: Path) -> Path:
    """The database to serve: --db when it exists, else January 2026 loaded there (or in the
    work folder, from the first timed load)."""
    if requested is not None:
        if requested.exists():
            print(f"reusing {requested}", flush=True)
            return requested
        requested.parent.mkdir(parents=True, exist_ok=True)
        run_load(JANUARY_2026, requested)
        print(f"built {requested}", flush=True)
        return requested
    return work / "load-2026-01-0.db"


@contextlib.contextmanager
def read_release(db: Path, expected: str | None = None) -> Iterator[tuple[sqlite3.Connection, str]]:
    """DB opened read-only, and the id of its newest release (which must be EXPECTED if given)."""
    uri = f"{db.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        row = connection.execute(
            "select id from release order by effective_date desc limit 1"
        ).fetchone()
        if row is None:
            raise BenchError(f"{db} holds no release")
        if expected is not None and row[0] != expected:
            raise BenchError(f"{db}: its newest release is {row[0]}, not {expected}")
        yield connection, row[0]


@contextlib.contextmanager
def both_releases(db: Path | None, prefix: str) -> Iterator[tuple[Path, Path]]:
    """DB, or a new one with January 2026 and October 2025 loaded in process, and a temporary
    folder (removed at the end) that holds it."""
    with tempfile.TemporaryDirectory(prefix=prefix) as temporary:
        folder = Path(temporary)
        if db is None:
            db = folder / "hcpcs.db"
            load(db, [*find_releases(JANUARY_2026), *find_releases(OCTOBER_2025)])
        yield db, folder
