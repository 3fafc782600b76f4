"""The execution plan on and off, side by side in one run, on the real January 2026 release.

    .venv/bin/python bench/plan.py --db FILE [--runs N] [--http-requests N] [--profile]

In process: one code with nested coverage and BETOS, and the 100-code page with every nested
field (bench/serve.py's), plan on and off in alternation, medians and ratio. Over HTTP: the same
100-code page at one client, on a `hcpcs serve` (one worker) with the plan on and one with it
off, side by side, their answer store off so that every request executes (p50). --profile
prints the top cProfile entries of the 100-code page, plan on and off.
FILE is built with `hcpcs load` when missing.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from processes import EXECUTE_EVERY_REQUEST, free_port, hcpcs_command, healthy_after
from profile_options import profile_args, profile_parser
from queries import CODES_QUERY, ONE_CODE, ONE_QUERY, choose_codes, execute_in_process

from hcpcs_graphql.db.connection import connect_read_only
from hcpcs_graphql.schema.execution import ExecutionContext
from hcpcs_graphql.services.catalog import Catalog

HOST = "127.0.0.1"
# A server whose plan is off: the same `hcpcs serve`, the class switch set first.
SERVE_OFF = (
    "import sys; from hcpcs_graphql.schema.execution import ExecutionContext; "
    "ExecutionContext.planned = False; from hcpcs_graphql.cli.main import main; "
    "sys.exit(main(sys.argv[1:]))"
)


@contextmanager
def planned(on: bool) -> Iterator[None]:
    before = ExecutionContext.planned
    ExecutionContext.planned = on
    try:
        yield
    finally:
        ExecutionContext.planned = before


async def side_by_side(run: Callable[[], Awaitable[Any]], runs: int) -> dict[str, float]:
    timings: dict[bool, list[float]] = {True: [], False: []}
    for index in range(runs * 2):
        on = index % 2 == 0
        with planned(on):
            started = time.perf_counter()
            await run()
            timings[on].append(time.perf_counter() - started)
    on_us = statistics.median(timings[True]) * 1e6
    off_us = statistics.median(timings[False]) * 1e6
    return {"plan on (us)": on_us, "plan off (us)": off_us, "on/off": on_us / off_us}


async def in_process(db: Path, runs: int, profile: bool) -> None:
    connection = await connect_read_only(db)
    try:
        catalog = await Catalog.read(connection)
        hundred = choose_codes(db).hundred

        execute = partial(execute_in_process, connection, catalog)
        cases: dict[str, tuple[str, dict[str, Any]]] = {
            "one code, coverage and BETOS": (ONE_QUERY, {"code": ONE_CODE}),
            "100 codes, every nested field": (CODES_QUERY, {"codes": hundred}),
        }
        for name, (query, variables) in cases.items():
            with planned(True):
                on = await execute(query, variables)
            with planned(False):
                off = await execute(query, variables)
            assert on == off, f"{name}: the plan changed the answer"

            async def run(query: str = query, variables: dict[str, Any] = variables) -> Any:
                return await execute(query, variables)

            numbers = await side_by_side(run, runs)
            print(f"in process, {name}: " + ", ".join(f"{k} {v:,.2f}" for k, v in numbers.items()))
        if profile:
            for on in (False, True):
                with planned(on):
                    profiler = cProfile.Profile()
                    profiler.enable()
                    for _ in range(20):
                        await execute(CODES_QUERY, {"codes": hundred})
                    profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
                print(f"--- profile, 100 codes x20, plan {'on' if on else 'off'} (tottime)")
                print("\n".join(out.getvalue().splitlines()[6:22]))
    finally:
        await connection.close()


def serve(db: Path, port: int, on: bool) -> subprocess.Popen[bytes]:
    arguments = ["serve", "--db", str(db), "--host", HOST, "--port", str(port), "--workers", "1"]
    command = (
        [str(hcpcs_command()), *arguments] if on else [sys.executable, "-c", SERVE_OFF, *arguments]
    )
    return subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **EXECUTE_EVERY_REQUEST},
    )


def over_http(db: Path, requests: int) -> None:
    hundred = choose_codes(db).hundred
    body = {"query": CODES_QUERY, "variables": {"codes": hundred}}
    ports = {True: free_port(), False: free_port()}
    servers = {on: serve(db, port, on) for on, port in ports.items()}
    try:
        urls = {on: f"http://{HOST}:{port}" for on, port in ports.items()}
        for on, url in urls.items():
            if healthy_after(url, servers[on], time.perf_counter(), 60) is None:
                raise SystemExit(f"{url} did not become ready")
        timings: dict[bool, list[float]] = {True: [], False: []}
        with httpx.Client() as client:
            answers = {
                on: client.post(f"{url}/graphql", json=body).content for on, url in urls.items()
            }
            assert answers[True] == answers[False], "the plan changed the answer over HTTP"
            for index in range(requests * 2):
                on = index % 2 == 0
                started = time.perf_counter()
                response = client.post(f"{urls[on]}/graphql", json=body)
                timings[on].append(time.perf_counter() - started)
                assert response.status_code == 200
        on_ms = statistics.median(timings[True]) * 1e3
        off_ms = statistics.median(timings[False]) * 1e3
        print(
            f"HTTP, 1 client, 100 codes, every nested field: p50 plan on {on_ms:.2f} ms, "
            f"plan off {off_ms:.2f} ms, on/off {on_ms / off_ms:.2f}"
        )
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(10)


def main(argv: Sequence[str] | None = None) -> int:
    parser = profile_parser(__doc__, load_missing=True, runs=100, http_requests=200)
    parser.add_argument("--profile", action="store_true")
    args = profile_args(parser, argv)
    asyncio.run(in_process(args.db, args.runs, args.profile))
    if args.http_requests:
        over_http(args.db, args.http_requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
