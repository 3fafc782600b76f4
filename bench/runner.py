"""What every bench's run shares: its options (--db, --duration, --json), the machine it ran on,
its heading, and running it to an exit code with its report printed and written as JSON."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from paths import JANUARY_2026, REPO, BenchError
from wrk import wrk_command


def bench_parser(
    doc: str | None, *, db_help: str, duration_s: int, json_help: str
) -> argparse.ArgumentParser:
    """The options every load bench shares: --db, --duration and --json."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--db", type=Path, help=db_help)
    parser.add_argument(
        "--duration",
        type=int,
        default=duration_s,
        help=f"seconds of each load test (default: {duration_s})",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help=json_help)
    return parser


def reused_db_help(release: str) -> str:
    return (
        f"the database to serve: reused when it exists (its newest release must be {release}),"
        " else January 2026 is loaded into it (default: a temporary file)"
    )


def release_parser(doc: str | None, name: str, duration_s: int) -> argparse.ArgumentParser:
    """bench_parser of bench/NAME.py, which serves January 2026 from --db (loaded there when it
    is missing)."""
    return bench_parser(
        doc,
        db_help=reused_db_help("2026-01"),
        duration_s=duration_s,
        json_help=f"also write the results as JSON to OUT (e.g. bench/results/{name}.json)",
    )


def runs_args(doc: str | None, runs: int) -> argparse.Namespace:
    """The options of an in-process bench of both releases: --db, --runs and --json."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database holding 2025-10 and 2026-01")
    parser.add_argument("--runs", type=int, default=runs, help=f"runs of each (default: {runs})")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the numbers here")
    return parser.parse_args()


def bench_args(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None, max_duration_s: int | None
) -> argparse.Namespace:
    args = parser.parse_args(argv)
    if max_duration_s is None and args.duration < 1:
        parser.error("--duration must be at least 1 second")
    if max_duration_s is not None and not 1 <= args.duration <= max_duration_s:
        parser.error(f"--duration must be between 1 and {max_duration_s} seconds")
    return args


class Reporting(Protocol):
    def as_json(self) -> dict[str, Any]: ...


ReportT = TypeVar("ReportT", bound=Reporting)


def run_bench(
    args: argparse.Namespace,
    run: Callable[[argparse.Namespace], ReportT],
    print_report: Callable[[ReportT], None],
) -> int:
    """Run a bench, print its report, write it as JSON when --json asks: the exit code."""
    try:
        report = run(args)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted (every server it started is stopped)", file=sys.stderr)
        return 130
    print_report(report)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report.as_json(), indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0


def environment(workers: int, duration: int, clients: Sequence[int] = (1, 16)) -> dict[str, Any]:
    def git(*args: str) -> str:
        completed = subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=False, timeout=30
        )
        return completed.stdout.strip()

    wrk = subprocess.run(
        [wrk_command(), "--version"], capture_output=True, text=True, check=False, timeout=30
    )
    return {
        "commit": git("rev-parse", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0] if (wrk.stdout or wrk.stderr) else "",
        "workers": workers,
        "duration_s": duration,
        "clients": list(clients),
    }


def january_environment(duration: int) -> dict[str, Any]:
    """environment() of a one-worker bench that loads January 2026, once its files are there."""
    if not JANUARY_2026.is_dir():
        raise BenchError(f"the CMS release files are expected in {JANUARY_2026}")
    return environment(1, duration)


def print_heading(name: str, env: Mapping[str, Any], *details: str) -> None:
    dirty = " (dirty)" if env["dirty"] else ""
    print()
    print(
        ", ".join(
            (
                f"HCPCS GraphQL {name} bench: commit {env['commit'][:12]}{dirty}",
                f"Python {env['python']}",
                f"{env['cpus']} CPUs",
                *details,
                load_average(env),
            )
        )
    )


def load_average(env: Mapping[str, Any]) -> str:
    return f"load average {env['load_average'][0]:.2f} -> {env['load_average_after'][0]:.2f}"


def finished(env: dict[str, Any]) -> dict[str, Any]:
    """ENV with the load average at the end of the run beside the one at its start."""
    env["load_average_after"] = os.getloadavg()
    return env


def database_note(db: Path | None) -> str:
    """What the report says of the database: --db, or the temporary one the run loaded."""
    return str(db) if db else "(temporary: January 2026 loaded for this run)"
