"""Benchmark of the production setup (deploy/nginx/hcpcs.conf: nginx in front of two `hcpcs serve`
replicas) against `hcpcs serve` reached directly with 1 and with 2 workers, side by side in one
run, on GET lookups: the same lookup every request, and a different code every request.

Run from anywhere (the paths come from this file's location):

    .venv/bin/python bench/nginx.py [--db FILE] [--duration S] [--json OUT]

It needs Debian's nginx and wrk (`apt-get install -y nginx wrk`). wrk runs pinned to the last
core (taskset) when there are two or more. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import runner
import table
from lookups import LOOKUP_PATH, RELEASE, Nonces, distinct_codes, write_distinct_script
from paths import BenchError
from processes import Server, hcpcs_command, serving
from queries import CODES_QUERY, choose_codes
from releases import prepare_database
from wrk import (
    WARM_UP_S,
    LoadResult,
    load_result,
    run_wrk_command,
    side_by_side,
    write_done_script,
    write_wrk_script,
    wrk_arguments,
)

from tests.nginx import NGINX, Replica, nginx

DEFAULT_DURATION_S = 5
CLIENTS = (1, 16)
SAME = "same lookup"
DISTINCT = "distinct codes"
PAGE = "100-code page"
PAGE_BODIES = 5000
"""Distinct POST bodies of the page (a number the document does not use): no store answers."""


@dataclass
class Variant:
    name: str
    requests: str
    """SAME, DISTINCT or PAGE."""
    url: str
    replicas: list[Replica]
    """The replicas behind the URL, whose /metrics count what reached them."""


@dataclass
class Run:
    result: LoadResult
    requests: str
    reached_replicas: int | None
    """GraphQL requests the replicas counted during the run (nginx only)."""


@dataclass
class Report:
    environment: dict[str, Any]
    database: str
    wrk_cpus: str
    nginx_workers: int
    runs: list[Run]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def counted(replicas: Sequence[Replica]) -> int:
    return int(sum(sum(replica.requests().values()) for replica in replicas))


def wrk_pinning() -> tuple[list[str], str]:
    """taskset's prefix that gives wrk the last core of those this process may use."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2 or shutil.which("taskset") is None:
        return [], "not pinned"
    return ["taskset", "-c", str(cpus[-1])], f"CPU {cpus[-1]} (of {len(cpus)})"


def write_scripts(work: Path, db: Path) -> dict[str, Path]:
    """wrk's scripts: SAME sends its URL, DISTINCT cycles through codes of DB, PAGE POSTs
    bench/serve.py's 100-code query with every nested field, each body new."""
    distinct = write_distinct_script(work, distinct_codes(db))
    static = write_done_script(work)
    hundred = choose_codes(db).hundred
    page = write_wrk_script(
        work,
        "page",
        [
            {"query": CODES_QUERY, "variables": {"codes": hundred, "nonce": number}}
            for number in range(PAGE_BODIES)
        ],
    )
    return {SAME: static, DISTINCT: distinct, PAGE: page}


def run(args: argparse.Namespace) -> Report:
    if NGINX is None:
        raise BenchError("the bench needs Debian's nginx: `apt-get install -y nginx`")
    env = runner.january_environment(args.duration)
    env["clients"] = list(CLIENTS)
    hcpcs = str(hcpcs_command())
    pin, wrk_cpus = wrk_pinning()
    nonces = Nonces()
    try:
        with serving() as (work, processes):
            db = prepare_database(args.db or work / f"{RELEASE}.db", work)
            scripts = write_scripts(work, db)

            def serve(name: str, workers: int) -> Server:
                command = [hcpcs, "serve", "--db", str(db), "--workers", str(workers)]
                return processes.start_healthy(name, command)

            replicas = [serve(f"replica-{number}", 1) for number in (1, 2)]
            one, two = serve("direct-1-worker", 1), serve("direct-2-workers", 2)
            lookup = LOOKUP_PATH
            body = work / "reference-body.json"
            body.write_bytes(httpx.get(f"{one.url}{lookup}", timeout=30).content)
            reference = processes.start_reference(body)
            behind = [Replica(server.process, server.url) for server in replicas]
            addresses = [replica.address for replica in behind]
            with nginx(work / "nginx", addresses, args.nginx_workers) as front:
                for _ in range(2):
                    cached = httpx.get(f"{front}{lookup}", timeout=30)
                if cached.headers.get("x-cache-status") != "HIT" or cached.content != (
                    body.read_bytes()
                ):
                    raise BenchError(f"nginx did not answer the lookup from its cache: {cached}")
                variants = [
                    Variant("(r) reference: bytes", SAME, reference.url, []),
                    Variant("(a) direct, 1 worker", SAME, one.url, []),
                    Variant("(b) direct, 2 workers", SAME, two.url, []),
                    Variant("(c) nginx cache", SAME, front, behind),
                    Variant("(d) direct, 1 worker", DISTINCT, one.url, []),
                    Variant("(e) direct, 2 workers", DISTINCT, two.url, []),
                    Variant("(f) nginx, 2 replicas", DISTINCT, front, behind),
                    Variant("(g) direct, 1 worker", PAGE, one.url, []),
                    Variant("(h) direct, 2 workers", PAGE, two.url, []),
                    Variant("(i) nginx, 2 replicas", PAGE, front, behind),
                ]
                print(f"wrk on {wrk_cpus}; {args.duration} s a run", flush=True)
                runs = side_by_side(
                    CLIENTS,
                    variants,
                    partial(
                        measure, duration=args.duration, pin=pin, nonces=nonces, scripts=scripts
                    ),
                )
                for server in [*replicas, one, two]:
                    if server.process.poll() is not None:
                        raise BenchError(f"{server.name} stopped:\n{server.log_tail()}")
    except RuntimeError as error:  # nginx did not start
        raise BenchError(str(error)) from None
    return Report(
        environment=runner.finished(env),
        database=runner.database_note(args.db),
        wrk_cpus=wrk_cpus,
        nginx_workers=args.nginx_workers,
        runs=runs,
    )


def measure(
    variant: Variant,
    clients: int,
    duration: int,
    pin: list[str],
    nonces: Nonces,
    scripts: dict[str, Path],
) -> Run:
    """SAME: the same URL every request; DISTINCT: the script makes a new one each request,
    with a number the document does not use, new for every run; PAGE: the script's bodies."""
    same = variant.requests == SAME
    path = LOOKUP_PATH if same else "/graphql"

    def arguments(seconds: int) -> list[str]:
        extra = [] if variant.requests != DISTINCT else [nonces.take()]
        return [
            *pin,
            *wrk_arguments(
                f"{variant.url}{path}", scripts[variant.requests], clients, seconds, [], *extra
            ),
        ]

    run_wrk_command(arguments(WARM_UP_S), WARM_UP_S)
    before = counted(variant.replicas) if variant.replicas else 0
    summary = run_wrk_command(arguments(duration), duration)
    reached = counted(variant.replicas) - before if variant.replicas else None
    result = load_result(variant.name, clients, summary)
    table.progress(result, 24, f"{variant.requests:<14} ")
    return Run(result, variant.requests, reached)


def print_report(report: Report) -> None:
    env = report.environment
    runner.print_heading(
        "nginx",
        env,
        f"{env['duration_s']} s a run",
        f"wrk on {report.wrk_cpus}",
        f"nginx with {report.nginx_workers} worker(s)",
    )
    table.header(
        f"{'requests':<15} {'variant':<24} {'clients':>7} {'req/s':>9} {'p50 ms':>8}"
        f" {'p99 ms':>8} {'ratio':>6} {'at replicas':>11}  errors"
    )
    for item in report.runs:
        result = item.result
        reached = "" if item.reached_replicas is None else str(item.reached_replicas)
        print(
            f"{item.requests:<15} {result.variant:<24} {result.clients:>7}"
            f" {result.requests_per_s:>9.1f} {result.p50_ms:>8.2f} {result.p99_ms:>8.2f}"
            f" {table.ratio(result):>6} {reached:>11}  {table.errors(result)}"
        )
    print(
        "ratio: req/s / the reference's req/s at the same number of clients; at replicas: the"
        " GraphQL requests the replicas behind nginx counted during the run"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = runner.release_parser(__doc__, "nginx", DEFAULT_DURATION_S)
    parser.add_argument(
        "--nginx-workers", type=int, default=1, help="nginx's worker_processes (default: 1)"
    )
    return runner.bench_args(parser, argv, max_duration_s=120)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.run_bench(parse_args(argv), run, print_report)


if __name__ == "__main__":
    sys.exit(main())
