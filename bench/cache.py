"""Benchmark of the server's HTTP caching and of its defences, on the real January 2026 release.

Run from anywhere (the paths come from this file's location):

    .venv/bin/python bench/cache.py [--db FILE] [--duration S] [--json OUT]

It serves the release with `hcpcs serve` and measures over HTTP on loopback (wrk, at 1 and 16
clients), side by side in one run: (a) the same single-code lookup over GET again and again
(answered from the server's in-memory response store), (b) a distinct request every time (no
cache helps), (c) a 304 revalidation with If-None-Match, and (d) a reference server that answers
(a)'s bytes from memory. Then (e) the p99 of single-code lookups at 32 clients while a second wrk
sends one attack query in a loop (a fragment fan-out, a deeply nested JSON body, `first: 100000`).
It prints throughput, p50 and p99 latency, the ratio to the reference and whether the targets
hold. See bench/README.md.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import httpx
import runner
import table
from cache_attacks import ATTACK_CLIENTS, ATTACKS, Lookups, measure_attacks
from cache_check import Check
from cache_report import (
    CACHED,
    DISTINCT,
    NOT_MODIFIED,
    REFERENCE,
    Report,
    Run,
    print_report,
    targets,
)
from lookups import LOOKUP_PATH, RELEASE, Nonces, distinct_codes, write_distinct_script
from processes import Processes, Server, hcpcs_command, work_folder
from releases import prepare_database
from wrk import (
    WARM_UP_S,
    load_result,
    run_wrk_command,
    side_by_side,
    write_done_script,
    wrk_arguments,
)

from hcpcs_graphql.http.stacks import DEFAULT_STACK, STACKS

CLIENTS = (1, 16)
DEFAULT_DURATION_S = 5
CACHE_METRIC = re.compile(r'^hcpcs_response_cache_total\{result="(hit|miss)"\} (\S+)$', re.M)


def cache_counts(server: Server) -> dict[str, float]:
    """The server's response-store lookups so far, by result (hit, miss)."""
    text = httpx.get(f"{server.url}/metrics", timeout=10.0).text
    return {result: float(value) for result, value in CACHE_METRIC.findall(text)}


# --- wrk -----------------------------------------------------------------------------------


@dataclass
class Variant:
    name: str
    server: Server
    path: str
    """The path and query string of the request (for (b), the script makes its own)."""
    script: Path
    headers: list[str] = field(default_factory=list)
    per_run_nonce: bool = False


def measure(
    variant: Variant, clients: int, duration: int, nonces: Nonces, hcpcs: Server, check: Check
) -> Run:
    url = f"{variant.server.url}{variant.path}"

    def arguments(seconds: float) -> list[str]:
        extra = [nonces.take()] if variant.per_run_nonce else []
        return wrk_arguments(url, variant.script, clients, seconds, variant.headers, *extra)

    run_wrk_command(arguments(WARM_UP_S), WARM_UP_S)
    before = cache_counts(hcpcs)
    summary = run_wrk_command(arguments(duration), duration)
    after = cache_counts(hcpcs)
    check()
    run = Run(load_result(variant.name, clients, summary))
    if variant.server is hcpcs:
        run.store_hits = int(after.get("hit", 0) - before.get("hit", 0))
        run.store_misses = int(after.get("miss", 0) - before.get("miss", 0))
    table.progress(run.result, 30)
    return run


def make_variants(
    work: Path, hcpcs: Server, reference: Server, check: Check, codes: list[str]
) -> list[Variant]:
    """(d), (a), (b), (c), in the order they run; (d) first, as the ratios' reference."""
    cached_path = check.cached_path
    done_script = write_done_script(work)
    distinct_script = write_distinct_script(work, codes)
    return [
        Variant(REFERENCE, reference, cached_path, done_script),
        Variant(CACHED, hcpcs, cached_path, done_script),
        Variant(DISTINCT, hcpcs, "/graphql", distinct_script, per_run_nonce=True),
        Variant(
            NOT_MODIFIED,
            hcpcs,
            cached_path,
            done_script,
            headers=[f"If-None-Match: {check.etag}"],
        ),
    ]


# --- the run -------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> Report:
    env = runner.january_environment(args.duration)
    env["clients"] = list(CLIENTS)
    env["attack_clients"] = ATTACK_CLIENTS
    env["stack"] = args.stack
    hcpcs_path = str(hcpcs_command())
    tests = len(CLIENTS) * 4 + 1 + len(ATTACKS)
    print(
        f"{tests} load tests of {args.duration} s (+ warm-ups):"
        f" about {(tests * (args.duration + WARM_UP_S + 1) + 9) / 60:.1f} minutes of wrk",
        flush=True,
    )
    nonces = Nonces()
    with work_folder() as work:
        processes = Processes(work)
        check: Check | None = None
        try:
            print(f"1. database ({RELEASE})", flush=True)
            db = prepare_database(args.db or work / f"{RELEASE}.db", work)
            codes = distinct_codes(db)

            print("2. servers: hcpcs serve and the reference", flush=True)
            hcpcs = processes.start_healthy(
                "hcpcs-serve",
                [hcpcs_path, "serve", "--db", str(db), "--workers", "1", "--stack", args.stack],
            )
            cached_path = LOOKUP_PATH
            first = httpx.get(f"{hcpcs.url}{cached_path}", timeout=30.0)
            body_file = work / "reference-body.json"
            body_file.write_bytes(first.content)
            reference = processes.start_reference(body_file)
            check = Check(hcpcs, reference, cached_path)
            check()
            print(
                f"  (a) answers {len(check.body)} bytes, ETag {check.etag},"
                f" Cache-Control {check.cache_control!r}",
                flush=True,
            )

            variants = make_variants(work, hcpcs, reference, check, codes)
            print(f"3. load tests (wrk, {args.duration} s each, side by side)", flush=True)
            runs = side_by_side(
                CLIENTS,
                variants,
                partial(measure, duration=args.duration, nonces=nonces, hcpcs=hcpcs, check=check),
            )

            print(
                f"4. (e) lookups at {ATTACK_CLIENTS} clients ((b)'s requests) while one"
                " connection sends an attack in a loop",
                flush=True,
            )
            lookups = Lookups(f"{hcpcs.url}{variants[2].path}", variants[2].script)
            baseline, attacks = measure_attacks(work, hcpcs, lookups, args.duration, nonces)
            check()
        finally:
            if check is not None:
                check.close()
            processes.stop_all()
    return Report(
        environment=runner.finished(env),
        database=runner.database_note(args.db),
        codes=len(codes),
        cached_path=cached_path,
        response_bytes=len(first.content),
        etag=check.etag,
        cache_control=check.cache_control,
        runs=runs,
        attack_baseline=baseline,
        attacks=attacks,
        targets=targets(runs, attacks),
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = runner.release_parser(__doc__, "cache", DEFAULT_DURATION_S)
    parser.add_argument(
        "--stack",
        choices=sorted(STACKS),
        default=DEFAULT_STACK,
        help=f"the event loop and HTTP parser of `hcpcs serve` (default: {DEFAULT_STACK})",
    )
    return runner.bench_args(parser, argv, max_duration_s=120)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.run_bench(parse_args(argv), run, print_report)


if __name__ == "__main__":
    sys.exit(main())
