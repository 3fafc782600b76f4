"""Loading the real CMS releases: each release into an empty database (January 2026 with its
xlsx cross-check, October 2025 from its xlsx), and January 2026 into a database that already
holds seven releases, side by side in one run; medians of --runs runs (default 3). The seven
are the January 2026 file loaded under the ids 2024-07 to 2026-01 (its content; only the ids
differ). Run from anywhere:

    .venv/bin/python bench/load.py [--runs N]

Phases are timed inside the loader's steps (parse, write, rank) by wrapping them."""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
DATA = REPOSITORY.parent / "shared" / "data" / "hcpcs"
sys.path.insert(0, str(REPOSITORY))

from hcpcs_graphql.db import loader  # noqa: E402
from hcpcs_graphql.db.sources import ReleaseSource, find_releases  # noqa: E402

SEVEN = ("2024-07", "2024-10", "2025-01", "2025-04", "2025-07", "2025-10", "2026-01")


def timed(
    phases: dict[str, float], name: str, function: Callable[..., object]
) -> Callable[..., object]:
    def wrapper(*arguments: object) -> object:
        began = time.perf_counter()
        try:
            return function(*arguments)
        finally:
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - began

    return wrapper


def load_once(db: Path, sources: list[ReleaseSource]) -> dict[str, float]:
    phases: dict[str, float] = {}
    originals = (loader.parse_release, loader._write, loader._rank_short_prefixes)
    loader.parse_release = timed(phases, "parse", originals[0])  # type: ignore[assignment]
    loader._write = timed(phases, "write", originals[1])  # type: ignore[assignment]
    loader._rank_short_prefixes = timed(phases, "rank", originals[2])  # type: ignore[assignment]
    try:
        began = time.perf_counter()
        loader.load(db, sources, allow_fewer_codes=True)
        phases["total"] = time.perf_counter() - began
    finally:
        loader.parse_release, loader._write, loader._rank_short_prefixes = originals
    return phases


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--runs", type=int, default=3)
    runs = options.parse_args().runs
    (january,) = find_releases(DATA / "2026-01_JAN")
    (october,) = find_releases(DATA / "2025-10_OCT")
    with tempfile.TemporaryDirectory(prefix="hcpcs-bench-load-") as folder:
        work = Path(folder)
        seven = work / "seven.db"
        loader.load(seven, [replace(january, release_id=release_id) for release_id in SEVEN])
        cases: dict[str, tuple[Path | None, list[ReleaseSource]]] = {
            "2026-01 (txt + xlsx cross-check) into an empty db": (None, [january]),
            "2025-10 (xlsx) into an empty db": (None, [october]),
            "2026-01 as 2026-04 into a db of seven releases": (
                seven,
                [replace(january, release_id="2026-04")],
            ),
        }
        results: dict[str, list[dict[str, float]]] = {case: [] for case in cases}
        for _ in range(runs):  # the cases interleaved, so that the machine's load hits all alike
            for case, (base, sources) in cases.items():
                db = work / "run.db"
                db.unlink(missing_ok=True)
                if base is not None:
                    shutil.copyfile(base, db)
                results[case].append(load_once(db, sources))
        for case, found in results.items():
            phases = {name: statistics.median(run[name] for run in found) for name in found[0]}
            shown = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items())
            print(f"{case}: {shown} (medians of {runs})")
        empty = statistics.median(r["total"] for r in results[next(iter(cases))])
        full = statistics.median(r["total"] for r in results[list(cases)[2]])
        print(f"seven releases / empty = {full / empty:.2f}")


if __name__ == "__main__":
    main()
