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
import contextlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx

# bench/serve.py's helpers: processes, the database, wrk and the results.
from serve import (
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
    spread,
    work_folder,
    wrk_arguments,
    wrk_summary,
)

from hcpcs_graphql.http.stacks import DEFAULT_STACK, STACKS

RELEASE = "2026-01"
CLIENTS = (1, 16)
ATTACK_CLIENTS = 32
DEFAULT_DURATION_S = 5
DISTINCT_CODES = 600
LOOKUP_CODE = "A9597"
ATTACK_ALONE_S = 2
ATTACK_LEAD_S = 0.5
"""Seconds the attacking wrk runs before the measured wrk starts (and runs longer after)."""

CACHED = "(a) GET, same lookup (store)"
DISTINCT = "(b) GET, distinct (no cache)"
NOT_MODIFIED = "(c) GET, If-None-Match: 304"
REFERENCE = "(d) reference: bytes of (a)"
BASELINE = "(e) no attack"

SINGLE_QUERY = (
    f'query($code: String!) {{ code(code: $code, release: "{RELEASE}") {{'
    " code shortDescription coverage { code description } } }"
)

# Targets: throughput as a share of the reference's at the same number of clients, and latency.
RATIO_TARGETS = {CACHED: 0.50, DISTINCT: 0.15, NOT_MODIFIED: 0.50}
ATTACK_P99_TARGET_MS = 500.0
REJECTION_P50_TARGET_MS = 50.0

# (b): GET the single-code lookup, cycling through the codes (one a line), with a number in the
# variables that the document does not use, so that no two requests (in any run: wrk passes a
# base per run) have the same cache key and the response store never answers.
DISTINCT_SCRIPT = (
    """
local codes_file = __CODES__
local prefix = __PREFIX__
local codes = {}
local next_index = 0
local nonce = 0

function init(args)
  for line in io.lines(codes_file) do
    codes[#codes + 1] = line
  end
  nonce = tonumber(args[1])
end

function request()
  next_index = next_index % #codes + 1
  nonce = nonce + 1
  local variables = string.format(
    "%%7B%%22code%%22%%3A%%22%s%%22%%2C%%22nonce%%22%%3A%.0f%%7D", codes[next_index], nonce)
  return wrk.format("GET", prefix .. variables)
end
"""
    + WRK_DONE
)

# The attacks: the same POST every time (the body read from a file).
POST_SCRIPT = (
    """
local body_file = io.open(__BODY__, "rb")
wrk.method = "POST"
wrk.body = body_file:read("*a")
body_file:close()
wrk.headers["Content-Type"] = "application/json"
"""
    + WRK_DONE
)

CACHE_METRIC = re.compile(r'^hcpcs_response_cache_total\{result="(hit|miss)"\} (\S+)$', re.M)


def fan_out_document(levels: int = 30) -> str:
    fragments = " ".join(
        f"fragment F{level} on Code {{ ...F{level + 1} ...F{level + 1} }}"
        for level in range(levels)
    )
    return (
        f'{{ code(code:"{LOOKUP_CODE}") {{ ...F0 }} }} {fragments}'
        f" fragment F{levels} on Code {{ code }}"
    )


FIRST_QUERY = (
    f'{{ allCodes(first: 100000, release: "{RELEASE}") {{ edges {{ node {{ code }} }} }} }}'
)
ATTACKS: dict[str, bytes] = {
    "fragment fan-out, 30 levels": json.dumps({"query": fan_out_document()}).encode(),
    "JSON body nested 30,000 levels": b"[" * 30_000 + b"]" * 30_000,
    "first: 100000": json.dumps({"query": FIRST_QUERY}).encode(),
}


# --- requests ------------------------------------------------------------------------------


def variables_path(variables: dict[str, Any]) -> str:
    """/graphql?query=SINGLE_QUERY&variables=..., as a browser would send it."""
    return "/graphql?" + urlencode(
        {"query": SINGLE_QUERY, "variables": json.dumps(variables, separators=(",", ":"))},
        quote_via=quote,
    )


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII is a valid Lua string


def choose_codes(db: Path) -> list[str]:
    """DISTINCT_CODES codes spread evenly over the newest release, which must be RELEASE."""
    uri = f"{db.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        row = connection.execute(
            "select id from release order by effective_date desc limit 1"
        ).fetchone()
        if row is None or row[0] != RELEASE:
            raise BenchError(f"{db}: its newest release is {row and row[0]}, not {RELEASE}")
        codes = [
            code
            for (code,) in connection.execute(
                "select code from code where release_id = ? order by code", (RELEASE,)
            )
        ]
    if len(codes) < DISTINCT_CODES:
        raise BenchError(f"{db}: fewer than {DISTINCT_CODES} codes")
    chosen = spread(codes, DISTINCT_CODES)
    if any(not code.isalnum() for code in chosen):
        raise BenchError("a code that is not letters and digits: the Lua script can't send it")
    return chosen


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


@dataclass
class Run:
    result: LoadResult
    store_hits: int | None = None
    """Response-store lookups during the run (warm-up excluded) that found an answer."""
    store_misses: int | None = None


class Nonces:
    """A fresh base for the unused variable of (b), per wrk run."""

    def __init__(self) -> None:
        self.next = 0

    def take(self) -> str:
        self.next += 1
        return str(self.next * 1_000_000_000)


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
    result = run.result
    print(
        f"  {result.variant:<30} {clients:>2} clients: {result.requests_per_s:9.1f} req/s"
        f"  p50 {result.p50_ms:8.2f} ms  p99 {result.p99_ms:8.2f} ms",
        flush=True,
    )
    return run


# --- checks --------------------------------------------------------------------------------


class Check:
    """The requests each variant's wrk sends, checked one at a time before and after it."""

    def __init__(self, hcpcs: Server, reference: Server, cached_path: str) -> None:
        self.hcpcs = hcpcs
        self.reference = reference
        self.cached_path = cached_path
        self.client = httpx.Client(timeout=30.0)
        first = self.client.get(f"{hcpcs.url}{cached_path}")
        if first.status_code != 200 or "errors" in first.json():
            raise BenchError(f"(a) answered {first.status_code}: {first.text[:300]}")
        self.body = first.content
        self.etag = first.headers.get("etag", "")
        if not self.etag:
            raise BenchError("(a)'s answer has no ETag")
        self.cache_control = first.headers.get("cache-control", "")

    def __call__(self) -> None:
        for server in (self.hcpcs, self.reference):
            if server.process.poll() is not None:
                raise BenchError(f"{server.name} exited:\n{server.log_tail()}")
        again = self.client.get(f"{self.hcpcs.url}{self.cached_path}")
        if again.status_code != 200 or again.content != self.body:
            raise BenchError(f"(a) answered something else: {again.status_code} {again.text}")
        revalidated = self.client.get(
            f"{self.hcpcs.url}{self.cached_path}", headers={"if-none-match": self.etag}
        )
        if revalidated.status_code != 304 or revalidated.content:
            raise BenchError(f"(c) answered {revalidated.status_code}, not 304 without a body")
        distinct = self.client.get(
            f"{self.hcpcs.url}{variables_path({'code': 'J9035', 'nonce': time.time_ns()})}"
        )
        if distinct.status_code != 200 or "errors" in distinct.json():
            raise BenchError(f"(b) answered {distinct.status_code}: {distinct.text[:300]}")
        if '"J9035"' not in distinct.text:
            raise BenchError(f"(b) answered another code: {distinct.text[:300]}")
        reference = self.client.get(f"{self.reference.url}{self.cached_path}")
        if reference.status_code != 200 or reference.content != self.body:
            raise BenchError("the reference answered something else than (a)'s bytes")

    def close(self) -> None:
        self.client.close()


def make_variants(
    work: Path, hcpcs: Server, reference: Server, check: Check, codes_file: Path
) -> list[Variant]:
    """(d), (a), (b), (c), in the order they run; (d) first, as the ratios' reference."""
    cached_path = check.cached_path
    done_script = work / "static.lua"
    done_script.write_text(WRK_DONE)
    distinct_script = work / "distinct.lua"
    distinct_script.write_text(
        DISTINCT_SCRIPT.replace("__CODES__", lua_string(str(codes_file))).replace(
            "__PREFIX__", lua_string(variables_path({"code": "X"}).rsplit("=", 1)[0] + "=")
        )
    )
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


# --- (e) attacks ---------------------------------------------------------------------------


@dataclass
class AttackRun:
    attack: str
    body_bytes: int
    status: int
    """The status the attack gets, one request alone."""
    answer: str
    """The start of that answer."""
    alone: LoadResult
    """The attack in a loop on one connection, with nothing else going on."""
    during: LoadResult
    """The attack in a loop on one connection, during the 32-client lookups."""
    lookups: LoadResult
    """The 32-client lookups during the attack."""


def run_lookups(hcpcs: Server, lookups: Variant, seconds: int, nonces: Nonces) -> dict[str, float]:
    """(e)'s lookups at ATTACK_CLIENTS clients for SECONDS, under a nonce of their own."""
    url = f"{hcpcs.url}{lookups.path}"
    arguments = wrk_arguments(url, lookups.script, ATTACK_CLIENTS, seconds, [], nonces.take())
    return run_wrk_command(arguments, seconds)


def attack_run(
    name: str,
    body: bytes,
    work: Path,
    index: int,
    hcpcs: Server,
    lookups: Variant,
    duration: int,
    nonces: Nonces,
) -> AttackRun:
    body_file = work / f"attack-{index}.body"
    body_file.write_bytes(body)
    script = work / f"attack-{index}.lua"
    script.write_text(POST_SCRIPT.replace("__BODY__", lua_string(str(body_file))))
    answer = httpx.post(
        f"{hcpcs.url}/graphql",
        content=body,
        headers={"content-type": "application/json"},
        timeout=30.0,
    )
    url = f"{hcpcs.url}/graphql"
    alone = run_wrk_command(wrk_arguments(url, script, 1, ATTACK_ALONE_S, []), ATTACK_ALONE_S)
    attack_seconds = duration + 2 * ATTACK_LEAD_S
    attacker = subprocess.Popen(
        wrk_arguments(url, script, 1, attack_seconds, []),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(ATTACK_LEAD_S)
        measured = run_lookups(hcpcs, lookups, duration, nonces)
        stdout, stderr = attacker.communicate(timeout=attack_seconds + 60)
    finally:
        if attacker.poll() is None:
            attacker.kill()
            attacker.wait(timeout=10)
    found = AttackRun(
        attack=name,
        body_bytes=len(body),
        status=answer.status_code,
        answer=answer.text[:160],
        alone=load_result(f"attack alone: {name}", 1, alone),
        during=load_result(f"attack: {name}", 1, wrk_summary(stdout, stderr, attacker.returncode)),
        lookups=load_result(f"(e) lookups, attack: {name}", ATTACK_CLIENTS, measured),
    )
    print(
        f"  {name:<30} lookups p99 {found.lookups.p99_ms:8.2f} ms"
        f" ({found.lookups.requests_per_s:.1f} req/s); attack p50 {found.during.p50_ms:.2f} ms"
        f" ({found.during.requests} sent), alone {found.alone.p50_ms:.2f} ms",
        flush=True,
    )
    return found


def measure_attacks(
    work: Path, hcpcs: Server, lookups: Variant, duration: int, nonces: Nonces
) -> tuple[LoadResult, list[AttackRun]]:
    """(e): the lookups alone at ATTACK_CLIENTS clients, then during each attack."""
    run_lookups(hcpcs, lookups, WARM_UP_S, nonces)
    baseline = load_result(
        BASELINE,
        ATTACK_CLIENTS,
        run_lookups(hcpcs, lookups, duration, nonces),
    )
    print(
        f"  {'no attack':<30} lookups p99 {baseline.p99_ms:8.2f} ms"
        f" ({baseline.requests_per_s:.1f} req/s)",
        flush=True,
    )
    attacks = [
        attack_run(name, body, work, index, hcpcs, lookups, duration, nonces)
        for index, (name, body) in enumerate(ATTACKS.items())
    ]
    return baseline, attacks


# --- the run -------------------------------------------------------------------------------


@dataclass
class Target:
    what: str
    holds: bool
    detail: str


@dataclass
class Report:
    environment: dict[str, Any]
    database: str
    codes: int
    cached_path: str
    response_bytes: int
    etag: str
    cache_control: str
    runs: list[Run]
    attack_baseline: LoadResult
    attacks: list[AttackRun]
    targets: list[Target]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def targets(runs: Sequence[Run], attacks: Sequence[AttackRun]) -> list[Target]:
    found = []
    for run in runs:
        limit = RATIO_TARGETS.get(run.result.variant)
        ratio = run.result.ratio_to_reference
        if limit is None or ratio is None:
            continue
        found.append(
            Target(
                f"{run.result.variant}, {run.result.clients} clients: req/s >= {limit:.0%} of"
                " the reference",
                ratio >= limit,
                f"{ratio:.1%}",
            )
        )
    for attack in attacks:
        found.append(
            Target(
                f"(e) {attack.attack}: lookups p99 <= {ATTACK_P99_TARGET_MS:.0f} ms",
                attack.lookups.p99_ms <= ATTACK_P99_TARGET_MS,
                f"{attack.lookups.p99_ms:.1f} ms",
            )
        )
        found.append(
            Target(
                f"(e) {attack.attack}: its rejection p50 <= {REJECTION_P50_TARGET_MS:.0f} ms",
                attack.during.p50_ms <= REJECTION_P50_TARGET_MS,
                f"{attack.during.p50_ms:.1f} ms under load, {attack.alone.p50_ms:.2f} ms alone",
            )
        )
    return found


def run(args: argparse.Namespace) -> Report:
    env = january_environment(args.duration)
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
            codes = choose_codes(db)
            codes_file = work / "codes.txt"
            codes_file.write_text("".join(f"{code}\n" for code in codes))

            print("2. servers: hcpcs serve and the reference", flush=True)
            hcpcs = processes.start_healthy(
                "hcpcs-serve",
                [hcpcs_path, "serve", "--db", str(db), "--workers", "1", "--stack", args.stack],
            )
            cached_path = variables_path({"code": LOOKUP_CODE})
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

            variants = make_variants(work, hcpcs, reference, check, codes_file)
            print(f"3. load tests (wrk, {args.duration} s each, side by side)", flush=True)
            runs: list[Run] = []
            for clients in CLIENTS:
                block = [
                    measure(variant, clients, args.duration, nonces, hcpcs, check)
                    for variant in variants
                ]
                reference_rate = block[0].result.requests_per_s
                for item in block:
                    if reference_rate:
                        item.result.ratio_to_reference = item.result.requests_per_s / reference_rate
                runs += block

            print(
                f"4. (e) lookups at {ATTACK_CLIENTS} clients ((b)'s requests) while one"
                " connection sends an attack in a loop",
                flush=True,
            )
            baseline, attacks = measure_attacks(work, hcpcs, variants[2], args.duration, nonces)
            check()
        finally:
            if check is not None:
                check.close()
            processes.stop_all()
    env["load_average_after"] = os.getloadavg()
    return Report(
        environment=env,
        database=str(args.db) if args.db else "(temporary: January 2026 loaded for this run)",
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


def errors_text(result: LoadResult) -> str:
    return ", ".join(f"{kind} {count}" for kind, count in result.errors.items()) or "-"


def print_report(report: Report) -> None:
    env = report.environment
    print_heading(
        "cache", env, load_average(env), f"{env['duration_s']} s a run", f"stack {env['stack']}"
    )
    print(
        f"(a)'s answer: {report.response_bytes} bytes, Cache-Control {report.cache_control!r};"
        f" (b) cycles through {report.codes} codes"
    )
    print()
    header = (
        f"{'variant':<32} {'clients':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}"
        f"  {'store hit/miss':>15}  errors"
    )
    print(header)
    print("-" * len(header))
    for item in report.runs:
        result = item.result
        ratio = "" if result.ratio_to_reference is None else f"{result.ratio_to_reference:.3f}"
        store = "" if item.store_hits is None else f"{item.store_hits}/{item.store_misses}"
        print(
            f"{result.variant:<32} {result.clients:>7} {result.requests_per_s:>9.1f}"
            f" {result.p50_ms:>8.2f} {result.p99_ms:>8.2f} {ratio:>6}  {store:>15}"
            f"  {errors_text(result)}"
        )
    print("ratio: req/s / the reference's req/s at the same number of clients")
    print()
    header = (
        f"{'(e) attack (1 connection)':<32} {'lookups req/s':>13} {'p50 ms':>8} {'p99 ms':>8}"
        f"  {'attack p50 ms':>13} {'sent':>6} {'alone p50':>9}  answer"
    )
    print(header)
    print("-" * len(header))
    base = report.attack_baseline
    print(
        f"{'none':<32} {base.requests_per_s:>13.1f} {base.p50_ms:>8.2f} {base.p99_ms:>8.2f}"
        f"  {'':>13} {'':>6} {'':>9}  {errors_text(base)}"
    )
    for attack in report.attacks:
        lookups = attack.lookups
        print(
            f"{attack.attack:<32} {lookups.requests_per_s:>13.1f} {lookups.p50_ms:>8.2f}"
            f" {lookups.p99_ms:>8.2f}  {attack.during.p50_ms:>13.2f} {attack.during.requests:>6}"
            f" {attack.alone.p50_ms:>9.2f}  {attack.status} {attack.answer[:70]!r}"
        )
    print(
        f"lookups: (b)'s requests at {ATTACK_CLIENTS} clients; attack p50: the attack's own"
        " latency during them; alone: with nothing else going on"
    )
    print()
    print("Targets:")
    for target in report.targets:
        verdict = "holds" if target.holds else "MISSED"
        print(f"  {verdict:<6} {target.what}: {target.detail}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = bench_parser(
        __doc__,
        db_help=reused_db_help(RELEASE),
        duration_s=DEFAULT_DURATION_S,
        json_help="also write the results as JSON to OUT (e.g. bench/results/cache.json)",
    )
    parser.add_argument(
        "--stack",
        choices=sorted(STACKS),
        default=DEFAULT_STACK,
        help=f"the event loop and HTTP parser of `hcpcs serve` (default: {DEFAULT_STACK})",
    )
    return bench_args(parser, argv, max_duration_s=120)


def main(argv: Sequence[str] | None = None) -> int:
    return run_bench(parse_args(argv), run, print_report)


if __name__ == "__main__":
    sys.exit(main())
