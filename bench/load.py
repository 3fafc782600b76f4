"""Loading the real CMS releases: January 2026 (txt with its xlsx cross-check) and October 2025
(xlsx) each into an empty database, and January 2026 (as release 2026-04) into a database that
already holds seven releases (the January file under the ids 2024-07 to 2026-01: its content,
other ids). With --baseline DIR, the same cases run with the code of another checkout too (a
folder holding its hcpcs_graphql/, e.g. `git archive COMMIT hcpcs_graphql | tar -x -C DIR`),
side by side: each measurement is a fresh process, the variants and cases interleaved so that
the machine's load hits all alike. Medians of --runs runs (default 3), by phase. Run from
anywhere:

    .venv/bin/python bench/load.py [--runs N] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
DATA = REPOSITORY.parent / "shared" / "data" / "hcpcs"
SEVEN = ("2024-07", "2024-10", "2025-01", "2025-04", "2025-07", "2025-10", "2026-01")
CASES = {
    "empty-2026-01": ("2026-01 (txt + xlsx cross-check) into an empty db", "2026-01_JAN", None),
    "empty-2025-10": ("2025-10 (xlsx) into an empty db", "2025-10_OCT", None),
    "seven-2026-04": ("2026-01 as 2026-04 into a db of seven releases", "2026-01_JAN", "2026-04"),
}


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


def measure(db: Path, folder: str, release_id: str | None) -> dict[str, float]:
    """One load with the hcpcs_graphql first on sys.path; seconds by phase."""
    from dataclasses import replace  # noqa: PLC0415

    from hcpcs_graphql.db import loader  # noqa: PLC0415
    from hcpcs_graphql.ingest.sources import find_releases  # noqa: PLC0415

    sources = find_releases(DATA / folder)
    if release_id is not None:
        sources = [replace(source, release_id=release_id) for source in sources]
    phases: dict[str, float] = {}
    # rank_short_prefixes was _rank_short_prefixes before it moved to db/prefix_rank.py.
    for name in ("parse_release", "_write", "_rank_short_prefixes", "rank_short_prefixes"):
        if hasattr(loader, name):
            setattr(loader, name, timed(phases, name.strip("_"), getattr(loader, name)))
    began = time.perf_counter()
    loader.load(db, sources)
    phases["total"] = time.perf_counter() - began
    return phases


def seven_releases(db: Path) -> None:
    from dataclasses import replace  # noqa: PLC0415

    from hcpcs_graphql.db.loader import load  # noqa: PLC0415
    from hcpcs_graphql.ingest.sources import find_releases  # noqa: PLC0415

    (january,) = find_releases(DATA / "2026-01_JAN")
    load(db, [replace(january, release_id=release_id) for release_id in SEVEN])


def seven_for(variant: str, code: Path, work: Path) -> Path:
    """The seven releases as CODE writes them: a baseline may read another schema version."""
    db = work / f"seven-{variant}.db"
    if not db.exists():
        command = [sys.executable, __file__, "--seven", "--code", str(code), "--db", str(db)]
        subprocess.run(command, check=True)
    return db


def run_one(variant: str, code: Path, work: Path, case: str) -> dict[str, float]:
    db = work / "run.db"
    db.unlink(missing_ok=True)
    if CASES[case][2] is not None:
        shutil.copyfile(seven_for(variant, code, work), db)
    output = subprocess.run(
        [sys.executable, __file__, "--measure", case, "--code", str(code), "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    phases: dict[str, float] = json.loads(output)
    return phases


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--runs", type=int, default=3)
    options.add_argument("--baseline", type=Path)
    options.add_argument("--measure", choices=list(CASES), help=argparse.SUPPRESS)
    options.add_argument("--code", type=Path, default=REPOSITORY, help=argparse.SUPPRESS)
    options.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    options.add_argument("--seven", action="store_true", help=argparse.SUPPRESS)
    args = options.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    if args.seven:
        seven_releases(args.db)
        return
    if args.measure is not None:
        _, folder, release_id = CASES[args.measure]
        print(json.dumps(measure(args.db, folder, release_id)))
        return
    variants = {"this": REPOSITORY}
    if args.baseline is not None:
        variants["baseline"] = args.baseline
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="hcpcs-bench-load-") as folder:
        work = Path(folder)
        for _ in range(args.runs):
            for case in CASES:
                for variant, code in variants.items():
                    results.setdefault((variant, case), []).append(
                        run_one(variant, code, work, case)
                    )
    for (variant, case), found in results.items():
        phases = {name: statistics.median(run[name] for run in found) for name in found[0]}
        shown = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items())
        print(f"{variant}: {CASES[case][0]}: {shown} (medians of {args.runs})")
    for variant in variants:
        empty = statistics.median(r["total"] for r in results[variant, "empty-2026-01"])
        seven = statistics.median(r["total"] for r in results[variant, "seven-2026-04"])
        print(f"{variant}: seven releases / empty = {seven / empty:.2f}")
    if args.baseline is not None:
        for case in CASES:
            this = statistics.median(r["total"] for r in results["this", case])
            base = statistics.median(r["total"] for r in results["baseline", case])
            print(f"{CASES[case][0]}: baseline / this = {base / this:.2f}")


if __name__ == "__main__":
    main()
