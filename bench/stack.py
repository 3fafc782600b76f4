"""Benchmark of uvicorn's stacks for this app, side by side in one run: asyncio with h11
(`--stack asyncio`), asyncio with httptools (`--stack httptools`) and uvloop with httptools
(`--stack uvloop`, the default: http/stacks.py).

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
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
import runner
import table
from lookups import (
    LOOKUP_PATH,
    RELEASE,
    Nonces,
    distinct_codes,
    write_distinct_script,
    write_post_script,
)
from paths import BenchError
from processes import EXECUTE_EVERY_REQUEST, Server, hcpcs_command, serving
from queries import EVERY_CODE_FIELD
from releases import prepare_database
from wrk import (
    WARM_UP_S,
    LoadResult,
    load_result,
    run_beside,
    run_wrk_command,
    write_done_script,
    wrk_arguments,
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
    env = runner.january_environment(args.duration)
    nonces = Nonces()
    with serving() as (work, processes):
        db = prepare_database(args.db or work / f"{RELEASE}.db", work)
        distinct = write_distinct_script(work, distinct_codes(db))
        page_body = json.dumps({"query": PAGE_QUERY}).encode()
        page_script = write_post_script(work, "page", page_body)
        static = write_done_script(work)

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
                content=page_body,
                headers={"content-type": "application/json"},
                timeout=30,
            )
            if answer.status_code != 200 or b'"errors"' in answer.content:
                raise BenchError(f"the page answered {answer.status_code}: {answer.text[:300]}")
        lookup = LOOKUP_PATH
        body = work / "reference-body.json"
        body.write_bytes(httpx.get(f"{servers['asyncio'].url}{lookup}", timeout=30).content)
        reference = processes.start_reference(body)

        runs: list[LoadResult] = []
        for clients in CLIENTS:
            found = measure("reference", f"{reference.url}{lookup}", static, clients, args)
            runs.append(found)
            for variant in VARIANTS:
                url = f"{servers[variant].url}/graphql"
                runs.append(measure(variant, url, distinct, clients, args, nonces.take(), found))
        mixes = [
            mix(variant, servers[variant], distinct, page_script, args, nonces)
            for variant in VARIANTS
        ]
    return Report(
        environment=runner.finished(env),
        database=runner.database_note(args.db),
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
    table.progress(result, 13)
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
    lookup_arguments = wrk_arguments(
        url, lookups, MIX_LOOKUP_CLIENTS, args.duration, [], nonces.take()
    )
    measured, paged = run_beside(
        wrk_arguments(url, pages, MIX_PAGE_CLIENTS, seconds, []),
        seconds,
        MIX_LEAD_S,
        lambda: run_wrk_command(lookup_arguments, args.duration),
    )
    found = Mix(
        stack=stack,
        lookups=load_result(f"{stack}: lookups", MIX_LOOKUP_CLIENTS, measured),
        pages=load_result(f"{stack}: pages", MIX_PAGE_CLIENTS, paged),
    )
    page = found.pages
    table.under_load(
        stack,
        13,
        found.lookups,
        f"; pages p50 {page.p50_ms:.1f} ms p99 {page.p99_ms:.1f} ms"
        f" ({page.requests_per_s:.1f} req/s)",
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
    table.header(
        f"{'variant':<13} {'clients':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}"
    )
    for result in report.runs:
        print(
            f"{result.variant:<13} {result.clients:>7} {result.requests_per_s:>9.1f}"
            f" {result.p50_ms:>8.2f} {result.p99_ms:>8.2f} {table.ratio(result):>6}"
        )
    print("distinct single-code lookups; ratio: req/s / the reference's at the same clients")
    print()
    table.header(
        f"{'stack':<13} {'lookups req/s':>13} {'p50 ms':>8} {'p99 ms':>8}"
        f"  {'pages req/s':>11} {'p50 ms':>8} {'p99 ms':>8}"
    )
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
    parser = runner.release_parser(__doc__, "stack", DEFAULT_DURATION_S)
    return runner.bench_args(parser, argv, max_duration_s=120)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.run_bench(parse_args(argv), run, print_report)


if __name__ == "__main__":
    sys.exit(main())
