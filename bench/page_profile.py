"""Where the 100-code page's time goes, in process, on the real January 2026 release.

    .venv/bin/python bench/page_profile.py --db FILE [--runs N] [--top N] [--pyinstrument]
    .venv/bin/python bench/page_profile.py --db FILE --against ../main [--runs N] [--http N]

Prints, side by side in one run (alternating, medians): the whole page, one code (bench/serve.py's
100-code query with every nested field, plan on), a trivial query (the fixed cost of an
execution: Strawberry's set-up, parse and validation caches), the page's SQL alone (its
statements, through the connection the server uses, on a cold row cache), building the 100 codes
(`Code.build`, or `Code.from_row` where there is none) and the orjson encoding of the answer; then
the SQL statements of the page, cold and warm (row cache), and cProfile's top entries of the page
(tottime; --top 0: none). --pyinstrument prints its tree too (pyinstrument must be installed in
the venv; it is not a dependency). The package is the one on the path: `PYTHONPATH=../main`
measures another checkout's code with this script.

--against DIR compares this checkout's code with DIR's: one worker process each (the same script,
its package from each checkout), the page, one code and the trivial query run once in each worker
in turn, the workers alternating run by run so that both see the same load; it prints each one's
median wall and CPU time, their ratio, and the Python function calls of one page (cProfile's count:
the same on any machine). --http N then starts `hcpcs serve --workers 1` on each checkout's code
(answer store off, so that every request executes) and sends the page N times to each, one client,
alternating: p50 and p99.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import orjson
from processes import EXECUTE_EVERY_REQUEST, free_port, hcpcs_command
from profile_options import profile_args, profile_parser
from queries import CODES_QUERY, ONE_CODE, ONE_QUERY, choose_codes, execute_in_process

from hcpcs_graphql.db.connection import connect_read_only, statement_clock
from hcpcs_graphql.db.queries import fetch_codes
from hcpcs_graphql.schema.code import Code
from hcpcs_graphql.services.catalog import Catalog

TRIVIAL_QUERY = "query Trivial { __typename }"


async def median_us(
    cases: Mapping[str, Callable[[], Awaitable[Any]]], runs: int
) -> dict[str, tuple[float, float]]:
    """Each case's median wall and CPU time (the process's, every thread), the cases
    alternating run by run. On a shared machine the CPU time varies less."""
    timings: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, case in cases.items():
            started, cpu = time.perf_counter(), time.process_time()
            await case()
            timings[name].append((time.perf_counter() - started, time.process_time() - cpu))
    return {
        name: (
            statistics.median(wall for wall, _ in values) * 1e6,
            statistics.median(cpu for _, cpu in values) * 1e6,
        )
        for name, values in timings.items()
    }


async def measure(db: Path, runs: int, top: int, use_pyinstrument: bool) -> None:
    connection = await connect_read_only(db)
    try:
        catalog = await Catalog.read(connection)
        hundred = choose_codes(db).hundred
        release_id = catalog.releases[0].id

        execute = partial(execute_in_process, connection, catalog)
        statements: list[str] = []
        statement_clock(connection).listeners.append(statements.append)
        cold = await Catalog.read(connection)
        statements.clear()
        data = await execute_in_process(connection, cold, CODES_QUERY, {"codes": hundred})
        cold_statements = list(statements)
        statements.clear()
        await execute_in_process(connection, cold, CODES_QUERY, {"codes": hundred})
        warm_statements = list(statements)
        statement_clock(connection).listeners.remove(statements.append)
        await execute(CODES_QUERY, {"codes": hundred})  # the catalog's row cache warm
        targets = sorted(
            {reference["code"] for code in data["codes"] for reference in code["crossReferences"]}
        )
        rows = [row for code in hundred if (row := catalog.rows.get((release_id, code)))]

        async def page() -> Any:
            return await execute(CODES_QUERY, {"codes": hundred})

        async def one() -> Any:
            return await execute(ONE_QUERY, {"code": ONE_CODE})

        async def trivial() -> Any:
            return await execute(TRIVIAL_QUERY, {})

        async def sql() -> Any:
            await fetch_codes(connection, release_id, hundred)
            return await fetch_codes(connection, release_id, targets)

        build = getattr(Code, "build", Code.from_row)

        async def from_row() -> Any:
            return [build(row, catalog) for row in rows]

        async def encode() -> Any:
            return orjson.dumps({"data": data})

        cases = {
            "page (plan on)": page,
            "one code, coverage and BETOS": one,
            "trivial query": trivial,
            "SQL alone (100 codes + targets)": sql,
            "building 100 codes": from_row,
            "orjson.dumps(answer)": encode,
        }
        print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}")
        for name, (wall, cpu) in (await median_us(cases, runs)).items():
            print(f"{name:34} {wall:10,.1f} us wall {cpu:10,.1f} us CPU")
        print(f"SQL statements of the page: cold row cache {len(cold_statements)}, "
              f"warm {len(warm_statements)}")  # fmt: skip
        print(f"answer: {len(orjson.dumps({'data': data})):,} bytes, {len(targets)} targets")

        if top:
            await profile(page, top, use_pyinstrument)
    finally:
        await connection.close()


async def profile(page: Callable[[], Awaitable[Any]], top: int, use_pyinstrument: bool) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        await page()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    print("--- cProfile, 100 codes x20, plan on (tottime)")
    print("\n".join(out.getvalue().splitlines()[: 6 + top + 4]))
    if use_pyinstrument:
        from pyinstrument import (  # type: ignore[import-not-found]  # noqa: PLC0415
            Profiler,  # optional, not a dependency
        )

        tree = Profiler(interval=0.0002, async_mode="disabled")
        tree.start()
        for _ in range(50):
            await page()
        tree.stop()
        print(tree.output_text(unicode=False, color=False, show_all=False))


COMPARED = ("page (plan on)", "one code, coverage and BETOS", "trivial query")


async def worker(db: Path) -> None:
    """Runs the case named on each line of stdin once; answers its wall and CPU seconds."""
    connection = await connect_read_only(db)
    catalog = await Catalog.read(connection)
    hundred = choose_codes(db).hundred

    execute = partial(execute_in_process, connection, catalog)
    cases: list[tuple[str, dict[str, Any]]] = [
        (CODES_QUERY, {"codes": hundred}),
        (ONE_QUERY, {"code": ONE_CODE}),
        (TRIVIAL_QUERY, {}),
    ]
    queries = dict(zip(COMPARED, cases, strict=True))
    for query, variables in queries.values():
        await execute(query, variables)
    profiler = cProfile.Profile()
    profiler.enable()
    await execute(CODES_QUERY, {"codes": hundred})
    profiler.disable()
    print(pstats.Stats(profiler).total_calls, flush=True)  # type: ignore[attr-defined]
    for line in sys.stdin:
        query, variables = queries[line.strip()]
        started, cpu = time.perf_counter(), time.process_time()
        await execute(query, variables)
        print(time.perf_counter() - started, time.process_time() - cpu, flush=True)
    await connection.close()


def compare(db: Path, against: Path, runs: int, requests: int) -> None:
    trees = {"this": Path(__file__).resolve().parent.parent, "against": against.resolve()}
    workers = {
        name: subprocess.Popen(
            [sys.executable, __file__, "--db", str(db), "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(tree)},
        )
        for name, tree in trees.items()
    }
    try:
        calls = {name: int(process.stdout.readline()) for name, process in workers.items()}  # type: ignore[union-attr]
        timings = {(name, case): [] for name in workers for case in COMPARED}  # type: dict[tuple[str, str], list[tuple[float, float]]]
        for index in range(runs):
            order = list(workers) if index % 2 == 0 else list(reversed(workers))
            for case in COMPARED:
                for name in order:
                    process = workers[name]
                    process.stdin.write(case + "\n")  # type: ignore[union-attr]
                    process.stdin.flush()  # type: ignore[union-attr]
                    wall, cpu = process.stdout.readline().split()  # type: ignore[union-attr]
                    timings[name, case].append((float(wall), float(cpu)))
    finally:
        for process in workers.values():
            process.stdin.close()  # type: ignore[union-attr]
            process.wait(10)
    print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}; {runs} runs each")
    print(f"this: {trees['this']}, against: {trees['against']}")
    for case in COMPARED:
        medians = {
            name: (
                statistics.median(wall for wall, _ in timings[name, case]) * 1e6,
                statistics.median(cpu for _, cpu in timings[name, case]) * 1e6,
            )
            for name in workers
        }
        (this_wall, this_cpu), (other_wall, other_cpu) = medians["this"], medians["against"]
        print(
            f"{case:30} wall {this_wall:9,.0f} us vs {other_wall:9,.0f} "
            f"({this_wall / other_wall:.2f})   CPU {this_cpu:9,.0f} us vs {other_cpu:9,.0f} "
            f"({this_cpu / other_cpu:.2f})"
        )
    print(f"Python function calls of one page: {calls['this']:,} vs {calls['against']:,}")
    if requests:
        over_http(db, trees, requests)


def over_http(db: Path, trees: dict[str, Path], requests: int) -> None:
    body = {"query": CODES_QUERY, "variables": {"codes": choose_codes(db).hundred}}
    ports = {name: free_port() for name in trees}
    servers = {
        name: subprocess.Popen(
            [
                str(hcpcs_command()),
                "serve",
                "--db",
                str(db),
                "--host",
                "127.0.0.1",
                "--port",
                str(ports[name]),
                "--workers",
                "1",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **EXECUTE_EVERY_REQUEST, "PYTHONPATH": str(tree)},
        )
        for name, tree in trees.items()
    }
    try:
        urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        timings: dict[str, list[float]] = {name: [] for name in trees}
        with httpx.Client(timeout=30) as client:
            for url in urls.values():
                wait_ready(client, url)
            answers = {client.post(f"{url}/graphql", json=body).content for url in urls.values()}
            assert len(answers) == 1, "the checkouts answer differently"
            cpu = {name: server_cpu(server.pid) for name, server in servers.items()}
            for index in range(requests):
                order = list(urls) if index % 2 == 0 else list(reversed(urls))
                for name in order:
                    started = time.perf_counter()
                    response = client.post(f"{urls[name]}/graphql", json=body)
                    timings[name].append(time.perf_counter() - started)
                    assert response.status_code == 200
            cpu = {name: server_cpu(servers[name].pid) - cpu[name] for name in servers}
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(10)
    print(f"HTTP, 1 client, 100 codes, {requests} requests each (load average "
          f"{Path('/proc/loadavg').read_text().split()[:3]}):")  # fmt: skip
    for name, values in timings.items():
        quantiles = statistics.quantiles(values, n=100)
        print(
            f"  {name:8} p50 {quantiles[49] * 1e3:6.2f} ms   p99 {quantiles[98] * 1e3:6.2f} ms"
            f"   server CPU {cpu[name] / requests * 1e3:6.2f} ms a request"
        )


def server_cpu(pid: int) -> float:
    """The seconds of CPU the process has used (user and system, from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_ready(client: httpx.Client, url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if client.get(f"{url}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not become ready")


def main(argv: Sequence[str] | None = None) -> int:
    parser = profile_parser(__doc__, load_missing=False, runs=100, top=25)
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument("--http", type=int, default=0, help="requests each over HTTP")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = profile_args(parser, argv)
    if args.worker:
        asyncio.run(worker(args.db))
    elif args.against:
        compare(args.db, args.against, args.runs, args.http)
    else:
        asyncio.run(measure(args.db, args.runs, args.top, args.pyinstrument))
    return 0


if __name__ == "__main__":
    sys.exit(main())
