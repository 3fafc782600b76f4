"""Benchmark of uvicorn's stacks for this app, side by side in one run: asyncio with h11
(the default), asyncio with httptools (`--stack httptools`) and uvloop with httptools
(`--stack uvloop`).

Run from anywhere (the paths come from this file's location):

    .venv/bin/python bench/stack.py [--db FILE] [--duration S] [--json OUT]

For each number of clients (1, 16, 64) it measures, one after the other: the bare-Starlette
reference (the bytes of one lookup from memory), then each stack serving a distinct single-code
lookup per request (no cache helps). Then, for each stack, the tail that matters for choosing:
lookups at 64 clients while 4 more clients loop on a CPU-bound 100-code page with every field.
Throughput and tail are reported together; see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
from cache import (
    DISTINCT_SCRIPT,
    POST_SCRIPT,
    RELEASE,
    Nonces,
    choose_codes,
    lua_string,
    variables_path,
)
from serve import (
    EVERY_CODE_FIELD,
    EXECUTE_EVERY_REQUEST,
    WARM_UP_S,
    WRK_DONE,
    BenchError,
    LoadResult,
    Processes,
    Server,
    bench_args,
    bench_parser,
    hcpcs_command,
    january_environment,
    load_result,
    prepare_database,
    reused_db_help,
    run_bench,
    run_wrk_command,
    work_folder,
    wrk_arguments,
    wrk_summary,
)

VARIANTS = {
    # name: (stack, environment); "asyncio" without admission is the default before issue 13.
    "asyncio": ("asyncio", {"HCPCS_HEAVY_COST": "0"}),
    "asyncio+adm": ("asyncio", {}),
    "httptools": ("httptools", {"HCPCS_HEAVY_COST": "0"}),
    "httptools+adm": ("httptools", {}),
    "uvloop": ("uvloop", {"HCPCS_HEAVY_COST": "0"}),
    "uvloop+adm": ("uvloop", {}),
    # Every operation through the gate, four at once: first come, first served.
    "uvloop+fifo": (
        "uvloop",
        {"HCPCS_HEAVY_COST": "1", "HCPCS_HEAVY_MAX": "4", "HCPCS_HEAVY_QUEUE": "1000"},
    ),
}
"""`+adm`: heavy operations admitted one at a time (the default settings, services/admission.py)."""
CLIENTS = (1, 16, 64)
MIX_LOOKUP_CLIENTS = 64
MIX_PAGE_CLIENTS = 4
MIX_LEAD_S = 0.5
DEFAULT_DURATION_S = 8
PAGE_QUERY = (
    f'query {{ allCodes(release: "{RELEASE}", first: 100) {{'
    " edges { node { ...EveryCodeField } } } }" + EVERY_CODE_FIELD
)


@dataclass
class Mix:
    stack: str
    lookups: LoadResult
    pages: LoadResult


@dataclass
class Report:
    environment: dict[str, Any]
    database: str
    runs: list[LoadResult]
    mixes: list[Mix]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def run(args: argparse.Namespace) -> Report:
    env = january_environment(args.duration)
    nonces = Nonces()
    with work_folder() as work:
        processes = Processes(work)
        try:
            db = prepare_database(args.db or work / f"{RELEASE}.db", work)
            codes_file = work / "codes.txt"
            codes_file.write_text("".join(f"{code}\n" for code in choose_codes(db)))
            distinct = work / "distinct.lua"
            distinct.write_text(
                DISTINCT_SCRIPT.replace("__CODES__", lua_string(str(codes_file))).replace(
                    "__PREFIX__", lua_string(variables_path({"code": "X"}).rsplit("=", 1)[0] + "=")
                )
            )
            page_body = work / "page.json"
            page_body.write_text(json.dumps({"query": PAGE_QUERY}))
            page_script = work / "page.lua"
            page_script.write_text(POST_SCRIPT.replace("__BODY__", lua_string(str(page_body))))
            static = work / "static.lua"
            static.write_text(WRK_DONE)

            servers: dict[str, Server] = {}
            for variant, (stack, settings) in VARIANTS.items():
                servers[variant] = processes.start_healthy(
                    f"hcpcs-{stack}",
                    [
                        str(hcpcs_command()),
                        "serve",
                        "--db",
                        str(db),
                        "--stack",
                        stack,
                        "--workers",
                        "1",
                    ],
                    {**EXECUTE_EVERY_REQUEST, **settings},
                )
            for server in servers.values():
                answer = httpx.post(
                    f"{server.url}/graphql",
                    content=page_body.read_bytes(),
                    headers={"content-type": "application/json"},
                    timeout=30,
                )
                if answer.status_code != 200 or b'"errors"' in answer.content:
                    raise BenchError(f"the page answered {answer.status_code}: {answer.text[:300]}")
            lookup = variables_path({"code": "A9597"})
            body = work / "reference-body.json"
            body.write_bytes(httpx.get(f"{servers['asyncio'].url}{lookup}", timeout=30).content)
            reference = processes.start_reference(body)

            runs: list[LoadResult] = []
            for clients in CLIENTS:
                found = measure("reference", f"{reference.url}{lookup}", static, clients, args)
                runs.append(found)
                for variant in VARIANTS:
                    url = f"{servers[variant].url}/graphql"
                    runs.append(
                        measure(variant, url, distinct, clients, args, nonces.take(), found)
                    )
            mixes = [
                mix(variant, servers[variant], distinct, page_script, args, nonces)
                for variant in VARIANTS
            ]
        finally:
            processes.stop_all()
    return Report(
        environment=env,
        database=str(args.db) if args.db else "(temporary: January 2026 loaded for this run)",
        runs=runs,
        mixes=mixes,
    )


def measure(
    name: str,
    url: str,
    script: Path,
    clients: int,
    args: argparse.Namespace,
    nonce: str | None = None,
    reference: LoadResult | None = None,
) -> LoadResult:
    extra = [nonce] if nonce else []
    run_wrk_command(wrk_arguments(url, script, clients, WARM_UP_S, [], *extra), WARM_UP_S)
    summary = run_wrk_command(
        wrk_arguments(url, script, clients, args.duration, [], *extra), args.duration
    )
    result = load_result(name, clients, summary)
    if reference is not None and reference.requests_per_s:
        result.ratio_to_reference = result.requests_per_s / reference.requests_per_s
    print(
        f"  {name:<13} {clients:>2} clients: {result.requests_per_s:9.1f} req/s"
        f"  p50 {result.p50_ms:8.2f} ms  p99 {result.p99_ms:8.2f} ms",
        flush=True,
    )
    return result


def mix(
    stack: str,
    server: Server,
    lookups: Path,
    pages: Path,
    args: argparse.Namespace,
    nonces: Nonces,
) -> Mix:
    url = f"{server.url}/graphql"
    seconds = args.duration + 2 * MIX_LEAD_S
    paging = subprocess.Popen(
        wrk_arguments(url, pages, MIX_PAGE_CLIENTS, seconds, []),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(MIX_LEAD_S)
        measured = run_wrk_command(
            wrk_arguments(url, lookups, MIX_LOOKUP_CLIENTS, args.duration, [], nonces.take()),
            args.duration,
        )
        stdout, stderr = paging.communicate(timeout=seconds + 60)
    finally:
        if paging.poll() is None:
            paging.kill()
            paging.wait(timeout=10)
    found = Mix(
        stack=stack,
        lookups=load_result(f"{stack}: lookups", MIX_LOOKUP_CLIENTS, measured),
        pages=load_result(
            f"{stack}: pages", MIX_PAGE_CLIENTS, wrk_summary(stdout, stderr, paging.returncode)
        ),
    )
    print(
        f"  {stack:<13} lookups p99 {found.lookups.p99_ms:8.2f} ms"
        f" ({found.lookups.requests_per_s:.1f} req/s); pages p50 {found.pages.p50_ms:.1f} ms"
        f" p99 {found.pages.p99_ms:.1f} ms ({found.pages.requests_per_s:.1f} req/s)",
        flush=True,
    )
    return found


def print_report(report: Report) -> None:
    env = report.environment
    print()
    print(
        f"HCPCS GraphQL stack bench: commit {env['commit'][:12]}, Python {env['python']},"
        f" {env['cpus']} CPUs, load average {env['load_average'][0]:.2f}, {env['duration_s']} s"
        " a run"
    )
    header = f"{'variant':<13} {'clients':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for result in report.runs:
        ratio = "" if result.ratio_to_reference is None else f"{result.ratio_to_reference:.3f}"
        print(
            f"{result.variant:<13} {result.clients:>7} {result.requests_per_s:>9.1f}"
            f" {result.p50_ms:>8.2f} {result.p99_ms:>8.2f} {ratio:>6}"
        )
    print("distinct single-code lookups; ratio: req/s / the reference's at the same clients")
    print()
    header = (
        f"{'stack':<13} {'lookups req/s':>13} {'p50 ms':>8} {'p99 ms':>8}"
        f"  {'pages req/s':>11} {'p50 ms':>8} {'p99 ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for found in report.mixes:
        lookups, pages = found.lookups, found.pages
        print(
            f"{found.stack:<13} {lookups.requests_per_s:>13.1f} {lookups.p50_ms:>8.2f}"
            f" {lookups.p99_ms:>8.2f}  {pages.requests_per_s:>11.1f} {pages.p50_ms:>8.1f}"
            f" {pages.p99_ms:>8.1f}"
        )
    print(
        f"lookups at {MIX_LOOKUP_CLIENTS} clients while {MIX_PAGE_CLIENTS} clients loop on a"
        " 100-code page with every field"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = bench_parser(
        __doc__,
        db_help=reused_db_help(RELEASE),
        duration_s=DEFAULT_DURATION_S,
        json_help="also write the results as JSON",
    )
    return bench_args(parser, argv, max_duration_s=120)


def main(argv: Sequence[str] | None = None) -> int:
    return run_bench(parse_args(argv), run, print_report)


if __name__ == "__main__":
    sys.exit(main())
