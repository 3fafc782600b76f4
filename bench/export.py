"""Benchmark of exporting a release (CSV and NDJSON) on the real CMS releases.

Run from anywhere (the paths come from this file's location):

    .venv/bin/python bench/export.py [--db FILE] [--runs N] [--json OUT]

It measures, in one run: the time to export each release in each format in process (the
generator the server streams from, at three chunk sizes) and the memory it holds at its peak
(tracemalloc) beside the export's size and the peak of the same export held whole; `hcpcs
export` as a command; `hcpcs load` of each export; and over HTTP (`hcpcs serve`): time to the
first byte and to the last of each download, the server's peak resident memory before and after
sequential and concurrent downloads, and a client that reads slowly past the request deadline.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from export_http import CONCURRENT, SLOW_DEADLINE_S, Download, measure_downloads, slow_client
from export_in_process import RELEASES, InProcess, measure_in_process
from paths import DATA, JANUARY_2026, OCTOBER_2025, REPO, BenchError
from processes import Processes, hcpcs_command, work_folder
from releases import LOAD_TIMEOUT_S, run_load
from runner import run_bench

from hcpcs_graphql.domain.export_format import ExportFormat, export_name


@dataclass
class Command:
    release: str
    format: str
    export_median_s: float
    """`hcpcs export RELEASE --output FILE`, wall time from spawn to exit."""
    load_median_s: float
    """`hcpcs load FILE` into a fresh database, wall time."""


@dataclass
class Report:
    environment: dict[str, Any]
    in_process: list[InProcess]
    commands: list[Command]
    downloads: list[Download]
    rss_kib: dict[str, int]
    concurrent_s: float
    slow_client: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


# --- commands ------------------------------------------------------------------------------


def measure_commands(db: Path, work: Path, runs: int) -> list[Command]:
    hcpcs = str(hcpcs_command())
    results = []
    for release_id in RELEASES:
        for export_format in ExportFormat:
            output = work / export_name(release_id, export_format)
            exports = []
            for _ in range(runs):
                output.unlink(missing_ok=True)
                started = time.perf_counter()
                subprocess.run(
                    [hcpcs, "export", release_id, "--db", str(db), "--output", str(output)],
                    stdin=subprocess.DEVNULL,
                    check=True,
                    timeout=LOAD_TIMEOUT_S,
                )
                exports.append(time.perf_counter() - started)
            loads = [run_load(output, work / "reloaded.db")[0] for _ in range(min(runs, 3))]
            command = Command(
                release_id,
                export_format.value,
                statistics.median(exports),
                statistics.median(loads),
            )
            results.append(command)
            print(
                f"  {release_id} {export_format.value:<6} export {command.export_median_s:.2f} s,"
                f" load {command.load_median_s:.2f} s",
                flush=True,
            )
    return results


# --- the run -------------------------------------------------------------------------------


def prepare(requested: Path | None, work: Path) -> Path:
    if requested is not None and requested.exists():
        print(f"reusing {requested}", flush=True)
        return requested
    db = requested or work / "releases.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(hcpcs_command()), "load", str(JANUARY_2026), str(OCTOBER_2025), "--db", str(db)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=True,
        timeout=LOAD_TIMEOUT_S,
    )
    return db


def run(args: argparse.Namespace) -> Report:
    if not JANUARY_2026.is_dir() or not OCTOBER_2025.is_dir():
        raise BenchError(f"the CMS release files are expected in {DATA}")
    environment = {
        "commit": subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
        ).stdout.strip(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "runs": args.runs,
    }
    hcpcs = str(hcpcs_command())
    with work_folder() as work:
        db = prepare(args.db, work)
        print("1. in process (export_chunks, each chunk dropped)", flush=True)
        in_process = asyncio.run(measure_in_process(db, args.runs))
        print("2. hcpcs export and hcpcs load of the export (wall time)", flush=True)
        commands = measure_commands(db, work, args.runs)
        expected = {
            (release_id, export_format.value): (
                work / export_name(release_id, export_format)
            ).read_bytes()
            for release_id in RELEASES
            for export_format in ExportFormat
        }
        processes = Processes(work)
        try:
            print("3. over HTTP (hcpcs serve)", flush=True)
            server = processes.start_healthy(
                "hcpcs-serve", [hcpcs, "serve", "--db", str(db), "--workers", "1"]
            )
            downloads, rss, concurrent_s = measure_downloads(server, expected, args.runs)
            processes.stop(server)
            print(f"4. a slow client, request deadline {SLOW_DEADLINE_S} s", flush=True)
            server = processes.start_healthy(
                "hcpcs-serve-deadline",
                [hcpcs, "serve", "--db", str(db), "--workers", "1"],
                {"HCPCS_REQUEST_SECONDS": str(SLOW_DEADLINE_S)},
            )
            slow = slow_client(server, expected["2026-01", "ndjson"])
        finally:
            processes.stop_all()
    environment["load_average_after"] = os.getloadavg()
    return Report(environment, in_process, commands, downloads, rss, concurrent_s, slow)


def print_report(report: Report) -> None:
    print()
    print(
        f"{'release':<8} {'format':<7} {'chunk':>6} {'bytes':>10} {'ms':>8}"
        f" {'peak KiB':>9} {'whole KiB':>10}"
    )
    for item in report.in_process:
        print(
            f"{item.release:<8} {item.format:<7} {item.chunk_rows:>6} {item.bytes:>10,}"
            f" {item.median_ms:>8.1f} {item.peak_streamed_kib:>9.0f} {item.peak_whole_kib:>10.0f}"
        )
    print("peak: tracemalloc peak while streaming (chunks dropped); whole: the export joined")
    print()
    for command in report.commands:
        print(
            f"hcpcs export {command.release} {command.format}: {command.export_median_s:.2f} s;"
            f" hcpcs load of it: {command.load_median_s:.2f} s"
        )
    print()
    for got in report.downloads:
        print(
            f"GET /export/{got.release}.{got.format}: {got.bytes:,} bytes, first byte"
            f" {got.first_byte_median_ms:.1f} ms, last {got.total_median_ms:.1f} ms"
        )
    print(f"{CONCURRENT} concurrent downloads of 2026-01.ndjson: {report.concurrent_s:.2f} s")
    print("server memory (KiB):", ", ".join(f"{k} {v:,}" for k, v in report.rss_kib.items()))
    slow = report.slow_client
    print(
        f"slow client: {slow['status_line']}, {slow['bytes']:,} bytes in {slow['seconds']:.1f} s"
        f" with a {slow['deadline_s']} s request deadline, whole: {slow['whole']};"
        f" the server was still sending at the deadline: {slow['server_still_sending_at_deadline']}"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        type=Path,
        help="a database holding 2026-01 and 2025-10: reused when it exists, else both are"
        " loaded into it (default: a temporary file)",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of each timing (default: 5)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the results to OUT")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    return run_bench(parse_args(argv), run, print_report)


if __name__ == "__main__":
    sys.exit(main())
