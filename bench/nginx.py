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
from pathlib import Path
from typing import Any

import httpx
from cache import (
    DEFAULT_DURATION_S,
    DISTINCT_SCRIPT,
    LOOKUP_CODE,
    RELEASE,
    Nonces,
    choose_codes,
    lua_string,
    variables_path,
)
from serve import (
    CODES_QUERY,
    REPO,
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
    load_average,
    load_result,
    prepare_database,
    print_heading,
    reused_db_help,
    run_bench,
    run_wrk_command,
    work_folder,
    write_wrk_script,
    wrk_arguments,
)
from serve import choose_codes as choose_hundred

sys.path.insert(0, str(REPO))  # the nginx helpers of the tests render the shipped configuration
from tests.nginx import NGINX, Replica, nginx

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
    codes_file = work / "codes.txt"
    codes_file.write_text("".join(f"{code}\n" for code in choose_codes(db)))
    distinct = work / "distinct.lua"
    prefix = variables_path({"code": "X"}).rsplit("=", 1)[0] + "="
    distinct.write_text(
        DISTINCT_SCRIPT.replace("__CODES__", lua_string(str(codes_file))).replace(
            "__PREFIX__", lua_string(prefix)
        )
    )
    static = work / "static.lua"
    static.write_text(WRK_DONE)
    hundred = choose_hundred(db).hundred
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
    env = january_environment(args.duration)
    env["clients"] = list(CLIENTS)
    hcpcs = str(hcpcs_command())
    pin, wrk_cpus = wrk_pinning()
    nonces = Nonces()
    with work_folder() as work:
        processes = Processes(work)
        try:
            db = prepare_database(args.db or work / f"{RELEASE}.db", work)
            scripts = write_scripts(work, db)

            def serve(name: str, workers: int) -> Server:
                command = [hcpcs, "serve", "--db", str(db), "--workers", str(workers)]
                return processes.start_healthy(name, command)

            replicas = [serve(f"replica-{number}", 1) for number in (1, 2)]
            one, two = serve("direct-1-worker", 1), serve("direct-2-workers", 2)
            lookup = variables_path({"code": LOOKUP_CODE})
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
                runs: list[Run] = []
                for clients in CLIENTS:
                    block = [
                        measure(variant, clients, args.duration, pin, nonces, scripts)
                        for variant in variants
                    ]
                    rate = block[0].result.requests_per_s
                    for item in block:
                        item.result.ratio_to_reference = (
                            item.result.requests_per_s / rate if rate else None
                        )
                    runs += block
                for server in [*replicas, one, two]:
                    if server.process.poll() is not None:
                        raise BenchError(f"{server.name} stopped:\n{server.log_tail()}")
        except RuntimeError as error:  # nginx did not start
            raise BenchError(str(error)) from None
        finally:
            processes.stop_all()
    env["load_average_after"] = os.getloadavg()
    return Report(
        environment=env,
        database=str(args.db) if args.db else "(temporary: January 2026 loaded for this run)",
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
    path = variables_path({"code": LOOKUP_CODE}) if same else "/graphql"

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
    print(
        f"  {variant.requests:<14} {result.variant:<24} {clients:>2} clients:"
        f" {result.requests_per_s:9.1f} req/s  p50 {result.p50_ms:7.2f} ms"
        f"  p99 {result.p99_ms:7.2f} ms",
        flush=True,
    )
    return Run(result, variant.requests, reached)


def print_report(report: Report) -> None:
    env = report.environment
    print_heading(
        "nginx",
        env,
        load_average(env),
        f"{env['duration_s']} s a run",
        f"wrk on {report.wrk_cpus}",
        f"nginx with {report.nginx_workers} worker(s)",
    )
    header = (
        f"{'requests':<15} {'variant':<24} {'clients':>7} {'req/s':>9} {'p50 ms':>8}"
        f" {'p99 ms':>8} {'ratio':>6} {'at replicas':>11}  errors"
    )
    print(header)
    print("-" * len(header))
    for item in report.runs:
        result = item.result
        ratio = "" if result.ratio_to_reference is None else f"{result.ratio_to_reference:.3f}"
        reached = "" if item.reached_replicas is None else str(item.reached_replicas)
        errors = ", ".join(f"{kind} {count}" for kind, count in result.errors.items()) or "-"
        print(
            f"{item.requests:<15} {result.variant:<24} {result.clients:>7}"
            f" {result.requests_per_s:>9.1f} {result.p50_ms:>8.2f} {result.p99_ms:>8.2f}"
            f" {ratio:>6} {reached:>11}  {errors}"
        )
    print(
        "ratio: req/s / the reference's req/s at the same number of clients; at replicas: the"
        " GraphQL requests the replicas behind nginx counted during the run"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = bench_parser(
        __doc__,
        db_help=reused_db_help(RELEASE),
        duration_s=DEFAULT_DURATION_S,
        json_help="also write the results as JSON",
    )
    parser.add_argument(
        "--nginx-workers", type=int, default=1, help="nginx's worker_processes (default: 1)"
    )
    return bench_args(parser, argv, max_duration_s=120)


def main(argv: Sequence[str] | None = None) -> int:
    return run_bench(parse_args(argv), run, print_report)


if __name__ == "__main__":
    sys.exit(main())
