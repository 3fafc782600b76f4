"""What an answer sent again costs inside the process, without a server or a network: the app
called as uvicorn calls it, side by side in one run, alternating rounds, medians of each.

    .venv/bin/python bench/stored_answer.py [--db FILE] [--rounds N] [--requests N]
    .venv/bin/python bench/stored_answer.py --http [--db FILE] [--rounds N] [--baseline HCPCS]

- reference: bench/reference_app.py's bare Starlette app answering the same bytes from memory;
- GET again: the app, a GET it answered before (http/stored_answers.py: no layer runs);
- POST again: the app, a POST it answered before (every layer, then the HTTP cache's store);
- GET, store off: the app with HCPCS_RESPONSE_CACHE_MB=0 (every request executed).

It prints microseconds a request and the ratio of the reference's rate to each: this leaves
out the server's HTTP parser and the sockets, which the two stacks (asyncio with h11, uvloop with
httptools) differ in.

With --http, over HTTP with wrk (bench/serve.py's helpers; 1 and 16 clients, 2 s a run after a
warm-up, the servers in turn, --rounds times, medians): the reference on uvloop with httptools,
`hcpcs serve` on each stack, and with --baseline (another checkout's `hcpcs` command) that
version's on each stack too, all in one run; the same GET as bench/cache.py's (a) again and
again, its rate as a share of the reference's.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from urllib.parse import urlencode

import httpx
from starlette.types import ASGIApp, Message, Scope

sys.path.insert(0, str(Path(__file__).parent))
import reference_app
from paths import HOST

from hcpcs_graphql.http.app import create_app
from hcpcs_graphql.http.settings import Settings
from tests.asgi import http_scope

QUERY = (
    'query($code: String!) { code(code: $code, release: "2026-01") {'
    " code shortDescription coverage { code description } } }"
)
VARIABLES = {"code": "A9597"}


def scope(method: str, query_string: bytes, headers: list[tuple[bytes, bytes]]) -> Scope:
    return http_scope(
        method=method,
        query_string=query_string,
        headers=[(b"host", f"{HOST}:8000".encode()), *headers],
        client=(HOST, 50000),
        server=(HOST, 8000),
    )


Call = Callable[[], Awaitable[bytes]]


def caller(app: ASGIApp, method: str, body: bytes = b"") -> Call:
    if method == "GET":
        query_string = urlencode({"query": QUERY, "variables": json.dumps(VARIABLES)}).encode()
        headers: list[tuple[bytes, bytes]] = []
    else:
        query_string = b""
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]

    async def call() -> bytes:
        sent: list[bytes] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.body":
                sent.append(message.get("body", b""))

        await app(scope(method, query_string, headers), receive, send)
        return b"".join(sent)

    return call


async def per_request_us(call: Call, requests: int) -> float:
    began = time.perf_counter()
    for _ in range(requests):
        await call()
    return (time.perf_counter() - began) / requests * 1e6


async def run(db: Path, rounds: int, requests: int) -> dict[str, list[float]]:
    settings = Settings.from_environment(os.environ)
    stored = create_app(db, settings)
    executed = create_app(db, dataclasses.replace(settings, response_cache_bytes=0))
    body = json.dumps({"query": QUERY, "variables": VARIABLES}).encode()
    async with stored.router.lifespan_context(stored), executed.router.lifespan_context(executed):
        answer = await caller(stored, "GET")()
        reference = reference_app.create_app(answer)
        calls = {
            "reference": caller(reference, "GET"),
            "GET again": caller(stored, "GET"),
            "POST again": caller(stored, "POST", body),
            "GET, store off": caller(executed, "GET"),
        }
        for name, call in calls.items():  # each answered once (and checked) before timing
            assert await call() == answer, name
        found: dict[str, list[float]] = {name: [] for name in calls}
        for _ in range(rounds):
            for name, call in calls.items():
                # Executing is two orders slower: fewer requests for the same time.
                count = max(1, requests // 50) if name == "GET, store off" else requests
                found[name].append(await per_request_us(call, count))
    return found


def over_http(db: Path, rounds: int, baseline: Path | None) -> dict[tuple[str, int], list[float]]:
    from lookups import variables_path  # noqa: PLC0415
    from processes import Processes, hcpcs_command, work_folder  # noqa: PLC0415
    from wrk import WARM_UP_S, WRK_DONE, run_wrk_command, wrk_arguments  # noqa: PLC0415

    commands = {"": hcpcs_command(), **({"baseline ": baseline} if baseline else {})}
    path = variables_path(VARIABLES)
    found: dict[tuple[str, int], list[float]] = {}
    with work_folder() as work:
        processes = Processes(work)
        try:
            servers = {}
            for label, command in commands.items():
                for stack in ("asyncio", "uvloop"):
                    servers[f"{label}hcpcs {stack}"] = processes.start_healthy(
                        f"{label.strip() or 'hcpcs'}-{stack}",
                        [
                            str(command),
                            "serve",
                            "--db",
                            str(db),
                            "--workers",
                            "1",
                            "--stack",
                            stack,
                        ],
                    )
            body = httpx.get(f"{servers['hcpcs asyncio'].url}{path}", timeout=30).content
            body_file = work / "body.json"
            body_file.write_bytes(body)
            reference = processes.start_reference(body_file)
            servers = {"reference uvloop": reference, **servers}
            script = work / "done.lua"
            script.write_text(WRK_DONE)
            for clients in (1, 16):
                for _ in range(rounds):
                    for name, server in servers.items():
                        url = f"{server.url}{path}"
                        run_wrk_command(wrk_arguments(url, script, clients, WARM_UP_S, ()), 1)
                        summary = run_wrk_command(wrk_arguments(url, script, clients, 2, ()), 2)
                        rate = summary["requests"] / (summary["duration_us"] / 1e6)
                        found.setdefault((name, clients), []).append(rate)
        finally:
            processes.stop_all()
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("hcpcs.db"))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=2000, help="of each variant a round")
    parser.add_argument("--http", action="store_true", help="over HTTP with wrk")
    parser.add_argument("--baseline", type=Path, help="with --http: another `hcpcs` command")
    args = parser.parse_args(argv)
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    if args.http:
        rates = over_http(args.db.resolve(), args.rounds, args.baseline)
        after = Path("/proc/loadavg").read_text().split()[0]
        print(f"{args.rounds} rounds of 2 s a server; load average {load} -> {after}")
        print(f"{'server':<24} {'clients':>7} {'req/s':>9} {'share of reference':>19}")
        for (name, clients), values in rates.items():
            reference = statistics.median(rates["reference uvloop", clients])
            median = statistics.median(values)
            print(f"{name:<24} {clients:>7} {median:>9.0f} {median / reference:>19.2f}")
        return 0
    found = asyncio.run(run(args.db, args.rounds, args.requests))
    reference = statistics.median(found["reference"])
    print(f"{args.rounds} rounds of {args.requests} requests; load average {load}")
    print(f"{'variant':<16} {'us/request':>10} {'rate/reference':>15}")
    for name, values in found.items():
        median = statistics.median(values)
        print(f"{name:<16} {median:>10.1f} {reference / median:>15.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
