"""Benchmark of the HCPCS GraphQL server on the real CMS releases.

Run from anywhere (the paths come from this file's location):

    .venv/bin/python bench/serve.py [--db FILE] [--duration S] [--json OUT]

It measures, in one run: the load time of each real release (`hcpcs load`, median of 3), the
server's start time (spawn until /healthz answers, median of 3) and resident memory, the SQL
statements and in-process execution time of a 100-code query with every nested field, and
throughput and latency over HTTP on loopback (wrk, at 1 and 16 clients) of a single-code lookup
and of the 100-code query, side by side with a reference server that answers the 100-code
query's response from memory. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import runner
import table
from in_process import InProcess, measure_in_process
from paths import DATA, JANUARY_2026, OCTOBER_2025, BenchError
from processes import (
    EXECUTE_EVERY_REQUEST,
    Server,
    children,
    hcpcs_command,
    serving,
    vm_rss_kib,
    wait_healthy,
)
from queries import check_response, choose_codes, codes_body, single_body
from releases import LoadTime, measure_loads, prepare_database
from wrk import WARM_UP_S, LoadResult, load_result, run_wrk, set_ratios, write_wrk_script

START_RUNS = 3
CLIENTS = (1, 16)
SINGLE = "(a) code(code:)"
HUNDRED = "(b) codes(codes:) x100"
REFERENCE = "(c) reference: bytes"


@dataclass
class ServerStart:
    runs_s: list[float]
    rss_kib: int
    """VmRSS of the server process after its start and one warm-up request."""
    rss_after_load_kib: int = 0
    """VmRSS of the same process after every load test."""
    worker_rss_kib: list[int] = field(default_factory=list)
    """VmRSS of uvicorn's worker processes when --workers > 1."""

    @property
    def median_s(self) -> float:
        return statistics.median(self.runs_s)


@dataclass
class Variant:
    name: str
    server: Server
    script: Path
    check: dict[str, Any]
    expected: bytes | None


def load_test(variants: Sequence[Variant], duration: int) -> list[LoadResult]:
    results: list[LoadResult] = []
    for clients in CLIENTS:
        for variant in variants:
            url = variant.server.url
            run_wrk(url, variant.script, clients, WARM_UP_S)
            summary = run_wrk(url, variant.script, clients, duration)
            check_response(variant.server, variant.check, variant.expected)
            result = load_result(variant.name, clients, summary)
            results.append(result)
            table.progress(result, 28)
    for clients in CLIENTS:
        same = [result for result in results if result.clients == clients]
        reference = next(result for result in same if result.variant == REFERENCE)
        set_ratios(same, reference.requests_per_s)
    # The table reads (a), (b), then the reference, for each number of clients.
    return sorted(results, key=lambda result: (result.clients, result.variant == REFERENCE))


@dataclass
class Report:
    environment: dict[str, Any]
    database: str
    release: str
    codes: list[str]
    loads: list[LoadTime]
    start: ServerStart
    in_process: InProcess
    load_tests: list[LoadResult]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for load, entry in zip(self.loads, data["loads"], strict=True):
            entry["median_s"] = load.median_s
        data["start"]["median_s"] = self.start.median_s
        return data


def run(args: argparse.Namespace) -> Report:
    if not JANUARY_2026.is_dir() or not OCTOBER_2025.is_dir():
        raise BenchError(f"the CMS release files are expected in {DATA}")
    env = runner.environment(args.workers, args.duration, CLIENTS)
    hcpcs = str(hcpcs_command())
    with serving() as (work, processes):
        print("1. load time (hcpcs load, wall time, into fresh files)", flush=True)
        loads = measure_loads(work)
        db = prepare_database(args.db, work)
        codes = choose_codes(db)

        print("2. server start (spawn until /healthz answers 200)", flush=True)
        serve = [hcpcs, "serve", "--db", str(db), "--workers", str(args.workers)]
        starts: list[float] = []
        server: Server | None = None
        for attempt in range(START_RUNS):
            started = time.perf_counter()
            server = processes.start("hcpcs-serve", serve, EXECUTE_EVERY_REQUEST)
            starts.append(wait_healthy(server, started))
            print(f"  start {attempt + 1}: {starts[-1]:.3f} s", flush=True)
            if attempt < START_RUNS - 1:
                processes.stop(server)
        assert server is not None
        single_check = single_body(codes.every[0])
        check_response(server, single_check, None)  # the warm-up request
        start = ServerStart(starts, vm_rss_kib(server.process.pid))
        start.worker_rss_kib = [vm_rss_kib(pid) for pid in children(server.process.pid)]
        # The response the reference server answers with, as the server encodes it.
        hundred = check_response(server, codes_body(codes), None)

        print("3. in process (schema.execute, SQL statements traced)", flush=True)
        in_process = asyncio.run(measure_in_process(db, codes))

        print(f"4. load tests (wrk, {args.duration} s each, side by side)", flush=True)
        body_file = work / "reference-body.json"
        body_file.write_bytes(hundred)
        reference = processes.start_reference(
            body_file, "reference", "--workers", str(args.workers)
        )
        hundred_check = codes_body(codes)
        variants = [
            Variant(
                REFERENCE,
                reference,
                write_wrk_script(work, "reference", [hundred_check]),
                hundred_check,
                hundred,
            ),
            Variant(
                SINGLE,
                server,
                write_wrk_script(work, "single", [single_body(code) for code in codes.every]),
                single_check,
                None,
            ),
            Variant(
                HUNDRED,
                server,
                write_wrk_script(work, "hundred", [hundred_check]),
                hundred_check,
                hundred,
            ),
        ]
        check_response(reference, hundred_check, hundred)
        results = load_test(variants, args.duration)
        start.rss_after_load_kib = vm_rss_kib(server.process.pid)
    return Report(
        environment=runner.finished(env),
        database=str(args.db) if args.db else "(temporary: the first timed January 2026 load)",
        release=codes.release,
        codes=codes.hundred,
        loads=loads,
        start=start,
        in_process=in_process,
        load_tests=results,
    )


def print_report(report: Report) -> None:
    env = report.environment
    runner.print_heading("serve", env, f"{env['workers']} worker(s)")
    print()
    print("Load time (hcpcs load into a fresh file, wall time, median of 3):")
    for load in report.loads:
        runs = ", ".join(f"{seconds:.2f}" for seconds in load.runs_s)
        print(f"  {load.release} ({load.source}): {load.median_s:.2f} s  (runs {runs} s)")
    start = report.start
    runs = ", ".join(f"{seconds:.3f}" for seconds in start.runs_s)
    print(f"Server start (spawn until /healthz 200, median of 3): {start.median_s:.3f} s"
          f"  (runs {runs} s)")  # fmt: skip
    print(
        f"Server RSS: {start.rss_kib / 1024:.1f} MiB after start + warm-up request,"
        f" {start.rss_after_load_kib / 1024:.1f} MiB after the load tests"
        + (
            f"; workers {', '.join(f'{kib / 1024:.1f}' for kib in start.worker_rss_kib)} MiB"
            if start.worker_rss_kib
            else ""
        )
    )
    inp = report.in_process
    print(
        f"100-code query, every nested field ({inp.codes} codes, {inp.codes_with_cross_references}"
        f" with cross-references, {inp.cross_reference_targets_found} targets found,"
        f" {inp.response_bytes:,} bytes of JSON):"
    )
    print(f"  SQL statements: {inp.statements}")
    for statement in inp.statement_texts:
        print(f"    {statement}")
    print(
        f"  in-process schema.execute: median {inp.median_ms:.2f} ms, min {inp.min_ms:.2f} ms"
        f" ({inp.runs} runs)"
    )
    print(
        f"Single-code query in process: {inp.single_code_statements} SQL statement(s),"
        f" median {inp.single_code_median_ms:.3f} ms"
    )
    print()
    table.header(
        f"{'variant':<28} {'clients':>7} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9}"
        f" {'ratio':>7}  errors"
    )
    for result in report.load_tests:
        print(
            f"{result.variant:<28} {result.clients:>7} {result.requests_per_s:>10.1f}"
            f" {result.p50_ms:>9.2f} {result.p99_ms:>9.2f} {table.ratio(result):>7}"
            f"  {table.errors(result)}"
        )
    print("ratio: throughput / the reference's throughput at the same number of clients")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = runner.bench_parser(
        __doc__,
        db_help="the database to serve: reused when it exists, else January 2026 is loaded into"
        " it (default: the first timed January 2026 load, in a temporary folder)",
        duration_s=10,
        json_help="also write the results as JSON to OUT (e.g. bench/results/serve.json)",
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="uvicorn workers of both servers (default: 1)"
    )
    args = runner.bench_args(parser, argv, max_duration_s=None)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    return runner.run_bench(parse_args(argv), run, print_report)


if __name__ == "__main__":
    sys.exit(main())
