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
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx

from hcpcs_graphql.db.connection import connect_read_only, statement_clock
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import make_context

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))  # the query fragments the tests share
from tests.fragments import every_code_field  # noqa: E402

DATA = (REPO / ".." / "shared" / "data" / "hcpcs").resolve()
JANUARY_2026 = DATA / "2026-01_JAN"
OCTOBER_2025 = DATA / "2025-10_OCT"
RESULTS = BENCH / "results"
REFERENCE_APP = BENCH / "reference_app.py"

HOST = "127.0.0.1"
LOAD_RUNS = 3
START_RUNS = 3
IN_PROCESS_RUNS = 50
IN_PROCESS_BUDGET_S = 60.0
CLIENTS = (1, 16)
WARM_UP_S = 1
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
LOAD_TIMEOUT_S = 600.0
XREF_CODES = 20
CODES = 100
SINGLE = "(a) code(code:)"
HUNDRED = "(b) codes(codes:) x100"
REFERENCE = "(c) reference: bytes"

SINGLE_QUERY = """query Code($code: String!) {
  code(code: $code) { code shortDescription coverage { code description } }
}"""

# Every field of Code and of the types nested in it (bench/search.py's page uses it too).
EVERY_CODE_FIELD = every_code_field(
    target="code shortDescription",
    release="id effectiveDate loadedAt codeCount procedureCount modifierCount",
)

CODES_QUERY = (
    """query Codes($codes: [String!]!) {
  codes(codes: $codes) { ...EveryCodeField }
}"""
    + EVERY_CODE_FIELD
)

# The summary line every wrk run prints at the end, which run_wrk reads.
WRK_DONE = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT {\\"requests\\": %.0f, \\"duration_us\\": %.0f, \\"bytes\\": %.0f, " ..
    "\\"connect\\": %.0f, \\"read\\": %.0f, \\"write\\": %.0f, \\"status\\": %.0f, " ..
    "\\"timeout\\": %.0f, \\"p50_us\\": %.0f, \\"p90_us\\": %.0f, \\"p99_us\\": %.0f, " ..
    "\\"max_us\\": %.0f, \\"mean_us\\": %.1f}\\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""

# wrk runs this script in each of its threads: it cycles through the request bodies (one JSON
# document a line in BODIES) and POSTs each to /graphql; WRK_SCRIPT adds the summary line.
WRK_BODIES = """
local bodies_file = __BODIES__
local requests = {}
local next_index = 0

function init(args)
  for line in io.lines(bodies_file) do
    local headers = {["Content-Type"] = "application/json"}
    requests[#requests + 1] = wrk.format("POST", "/graphql", headers, line)
  end
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
"""
WRK_SCRIPT = WRK_BODIES + WRK_DONE
WRK_ERRORS = ("connect", "read", "write", "status", "timeout")
"""The error counts of WRK_DONE's summary line."""


class BenchError(Exception):
    """Something the bench cannot go on without; the message says what."""


# --- results -------------------------------------------------------------------------------


@dataclass
class LoadTime:
    release: str
    source: str
    runs_s: list[float]
    loader_reported_s: list[float]

    @property
    def median_s(self) -> float:
        return statistics.median(self.runs_s)


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
class InProcess:
    codes: int
    codes_with_cross_references: int
    cross_reference_targets_found: int
    statements: int
    statement_texts: list[str]
    response_bytes: int
    runs: int
    median_ms: float
    min_ms: float
    single_code_statements: int
    single_code_median_ms: float


@dataclass
class LoadResult:
    variant: str
    clients: int
    duration_s: float
    requests: int
    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]
    ratio_to_reference: float | None = None


# --- processes -----------------------------------------------------------------------------


def hcpcs_command() -> Path:
    """The `hcpcs` console script of the environment running this bench."""
    for candidate in (Path(sys.executable).parent / "hcpcs", REPO / ".venv" / "bin" / "hcpcs"):
        if candidate.is_file():
            return candidate
    raise BenchError("no `hcpcs` command beside this Python: run `pip install -e .` first")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((HOST, 0))
        port: int = listener.getsockname()[1]
        return port


# The server keeps the answers it gave and sends a repeated request's answer again without
# executing it; the load tests cycle through a fixed set of bodies, so a bench that measures
# execution turns that store off.
EXECUTE_EVERY_REQUEST = {"HCPCS_RESPONSE_CACHE_MB": "0"}


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class Processes:
    """Every server this bench starts, so that each is stopped however the bench ends."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.servers: list[Server] = []
        self.started = 0

    def start_healthy(
        self, name: str, command: Sequence[str], environment: Mapping[str, str] | None = None
    ) -> Server:
        server = self.start(name, command, environment)
        wait_healthy(server, time.perf_counter())
        return server

    def start_reference(self, body: Path, name: str = "reference", *args: str) -> Server:
        """bench/reference_app.py answering every request with the bytes of BODY."""
        command = [sys.executable, str(REFERENCE_APP), "--body", str(body), *args]
        return self.start_healthy(name, command)

    def start(
        self, name: str, command: Sequence[str], environment: Mapping[str, str] | None = None
    ) -> Server:
        self.started += 1
        port = free_port()
        log = self.work / f"{name}-{self.started}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [*command, "--host", HOST, "--port", str(port)],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=REPO,
                env={**os.environ, **(environment or {})},
                start_new_session=True,  # its own process group: uvicorn's workers stop with it
            )
        server = Server(name, process, port, log)
        self.servers.append(server)
        return server

    def stop(self, server: Server) -> None:
        process = server.process
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=STOP_TIMEOUT_S)
        # Workers left behind in the process group, if any.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        if server in self.servers:
            self.servers.remove(server)

    def stop_all(self) -> None:
        for server in list(self.servers):
            try:
                self.stop(server)
            except Exception as error:  # keep stopping the others
                print(f"bench: could not stop {server.name} ({error})", file=sys.stderr)


def wait_healthy(server: Server, started: float) -> float:
    """Seconds from `started` until the server's /healthz answers 200."""
    deadline = started + START_TIMEOUT_S
    with httpx.Client(timeout=2.0) as client:
        while time.perf_counter() < deadline:
            if server.process.poll() is not None:
                raise BenchError(
                    f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}"
                )
            try:
                response = client.get(f"{server.url}/healthz")
            except httpx.TransportError:
                time.sleep(0.005)
                continue
            if response.status_code == 200:
                return time.perf_counter() - started
            time.sleep(0.005)
    raise BenchError(f"{server.name} did not answer /healthz in {START_TIMEOUT_S:.0f} s")


def vm_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise BenchError(f"no VmRSS in /proc/{pid}/status")


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            # The fields after the command name, which is in parentheses and may hold spaces.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return sorted(found)


# --- 1. loading ----------------------------------------------------------------------------


LOADED = re.compile(r"loaded release (?P<release>\S+): .* in (?P<seconds>[0-9.]+) s")


def run_load(source: Path, db: Path) -> tuple[float, float]:
    """Wall seconds of `hcpcs load SOURCE --db DB` and the seconds the loader reports."""
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    completed = subprocess.run(
        [str(hcpcs_command()), "load", str(source), "--db", str(db)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=LOAD_TIMEOUT_S,
        check=False,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise BenchError(f"hcpcs load {source} failed:\n{completed.stdout}{completed.stderr}")
    reported = LOADED.search(completed.stdout)
    return seconds, float(reported["seconds"]) if reported else float("nan")


def measure_loads(work: Path) -> list[LoadTime]:
    releases = [
        LoadTime("2026-01", "txt + xlsx cross-check", [], []),
        LoadTime("2025-10", "xlsx", [], []),
    ]
    sources = {"2026-01": JANUARY_2026, "2025-10": OCTOBER_2025}
    for run in range(LOAD_RUNS):  # interleaved, so that noise spreads over both
        for release in releases:
            db = work / f"load-{release.release}-{run}.db"
            seconds, reported = run_load(sources[release.release], db)
            release.runs_s.append(seconds)
            release.loader_reported_s.append(reported)
            print(f"  load {release.release} run {run + 1}: {seconds:.2f} s", flush=True)
    return releases


def prepare_database(requested: Path | None, work: Path) -> Path:
    """The database to serve: --db when it exists, else January 2026 loaded there (or in the
    work folder, from the first timed load)."""
    if requested is not None:
        if requested.exists():
            print(f"reusing {requested}", flush=True)
            return requested
        requested.parent.mkdir(parents=True, exist_ok=True)
        run_load(JANUARY_2026, requested)
        print(f"built {requested}", flush=True)
        return requested
    return work / "load-2026-01-0.db"


# --- codes ---------------------------------------------------------------------------------


@dataclass
class Codes:
    release: str
    every: list[str]
    """Every code of the newest release, in order: the single-code lookups cycle through it."""
    hundred: list[str]
    """100 codes spread over the release, 20 of them with cross-references."""


def choose_codes(db: Path) -> Codes:
    uri = f"{db.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        row = connection.execute(
            "select id from release order by effective_date desc limit 1"
        ).fetchone()
        if row is None:
            raise BenchError(f"{db} holds no release")
        release: str = row[0]
        rows = connection.execute(
            "select code, xref1 is not null from code where release_id = ? order by code",
            (release,),
        ).fetchall()
    every = [code for code, _ in rows]
    with_xref = [code for code, has in rows if has]
    without = [code for code, has in rows if not has]
    if len(with_xref) < XREF_CODES or len(without) < CODES - XREF_CODES:
        raise BenchError(f"{db}: too few codes for a {CODES}-code query with cross-references")
    hundred = spread(with_xref, XREF_CODES) + spread(without, CODES - XREF_CODES)
    return Codes(release, every, sorted(hundred))


def spread(items: Sequence[str], count: int) -> list[str]:
    """COUNT items evenly spaced over ITEMS."""
    return [items[index * len(items) // count] for index in range(count)]


def single_body(code: str) -> dict[str, Any]:
    return {"query": SINGLE_QUERY, "variables": {"code": code}}


def codes_body(codes: Codes) -> dict[str, Any]:
    return {"query": CODES_QUERY, "variables": {"codes": codes.hundred}}


# --- 3. in process -------------------------------------------------------------------------


async def measure_in_process(db: Path, codes: Codes) -> InProcess:
    connection = await connect_read_only(db)
    try:
        catalog = await Catalog.read(connection)

        async def execute(query: str, variables: dict[str, Any]) -> dict[str, Any]:
            result = await schema.execute(
                query, variable_values=variables, context_value=make_context(connection, catalog)
            )
            if result.errors:
                raise BenchError(f"the query failed in process: {result.errors}")
            assert result.data is not None
            return result.data

        statements: list[str] = []
        statement_clock(connection).listeners.append(statements.append)
        data = await execute(CODES_QUERY, {"codes": codes.hundred})
        hundred_statements = list(statements)
        statements.clear()
        await execute(SINGLE_QUERY, {"code": codes.hundred[0]})
        single_statements = list(statements)
        statement_clock(connection).listeners.remove(statements.append)

        found: list[dict[str, Any]] = [code for code in data["codes"] if code is not None]
        if len(found) != len(codes.hundred):
            raise BenchError(f"only {len(found)} of the {CODES} codes were found in process")
        references = [reference for code in found for reference in code["crossReferences"]]

        async def median_ms(query: str, variables: dict[str, Any]) -> tuple[float, float, int]:
            runs: list[float] = []
            deadline = time.perf_counter() + IN_PROCESS_BUDGET_S / 2
            while len(runs) < IN_PROCESS_RUNS and time.perf_counter() < deadline:
                started = time.perf_counter()
                await execute(query, variables)
                runs.append((time.perf_counter() - started) * 1000)
            return statistics.median(runs), min(runs), len(runs)

        await median_ms(CODES_QUERY, {"codes": codes.hundred})  # warm-up
        hundred_ms, hundred_min_ms, runs = await median_ms(CODES_QUERY, {"codes": codes.hundred})
        single_ms, _, _ = await median_ms(SINGLE_QUERY, {"code": codes.hundred[0]})
        return InProcess(
            codes=len(codes.hundred),
            codes_with_cross_references=sum(1 for code in found if code["crossReferences"]),
            cross_reference_targets_found=sum(
                1 for reference in references if reference["target"] is not None
            ),
            statements=len(hundred_statements),
            statement_texts=[shorten(statement) for statement in hundred_statements],
            response_bytes=len(json.dumps({"data": data}).encode()),
            runs=runs,
            median_ms=hundred_ms,
            min_ms=hundred_min_ms,
            single_code_statements=len(single_statements),
            single_code_median_ms=single_ms,
        )
    finally:
        await connection.close()


def shorten(statement: str) -> str:
    """The statement with its column list and its IN list counted rather than spelled out."""
    statement = " ".join(statement.split())
    statement = re.sub(
        r"^select (.*?) from ",
        lambda match: f"select <{match[1].count(',') + 1} columns> from ",
        statement,
    )
    return re.sub(
        r" in \((.*?)\)",
        lambda match: f" in (<{match[1].count(',') + 1} values>)",
        statement,
    )


# --- 4. load tests -------------------------------------------------------------------------


def wrk_command() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise BenchError(
            "the load tests need wrk: `apt-get update && apt-get install -y wrk` (see README.md)"
        )
    return found


def write_wrk_script(work: Path, name: str, bodies: Sequence[dict[str, Any]]) -> Path:
    bodies_file = work / f"{name}.bodies"
    bodies_file.write_text(
        "".join(json.dumps(body, separators=(",", ":")) + "\n" for body in bodies)
    )
    script = work / f"{name}.lua"
    script.write_text(WRK_SCRIPT.replace("__BODIES__", json.dumps(str(bodies_file))))
    return script


def run_wrk(url: str, script: Path, clients: int, seconds: int) -> dict[str, float]:
    return run_wrk_command(wrk_arguments(f"{url}/graphql", script, clients, seconds, ()), seconds)


def wrk_arguments(
    url: str, script: Path, clients: int, seconds: float, headers: Sequence[str], *args: str
) -> list[str]:
    return [
        wrk_command(),
        "--threads",
        "1",
        "--connections",
        str(clients),
        "--duration",
        f"{seconds:g}s",
        "--timeout",
        "10s",
        *(item for header in headers for item in ("--header", header)),
        "--script",
        str(script),
        url,
        *(["--", *args] if args else []),
    ]


def run_wrk_command(arguments: list[str], seconds: float) -> dict[str, float]:
    completed = subprocess.run(
        arguments,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    return wrk_summary(completed.stdout, completed.stderr, completed.returncode)


def wrk_summary(stdout: str, stderr: str, returncode: int | None) -> dict[str, float]:
    for line in stdout.splitlines():
        if line.startswith("WRK_RESULT "):
            summary: dict[str, float] = json.loads(line.removeprefix("WRK_RESULT "))
            return summary
    raise BenchError(f"wrk gave no result (exit {returncode}):\n{stderr}")


def load_result(
    name: str, clients: int, summary: dict[str, float], kinds: Sequence[str] = WRK_ERRORS
) -> LoadResult:
    seconds = summary["duration_us"] / 1e6
    return LoadResult(
        variant=name,
        clients=clients,
        duration_s=round(seconds, 3),
        requests=int(summary["requests"]),
        requests_per_s=summary["requests"] / seconds if seconds else 0.0,
        p50_ms=summary["p50_us"] / 1000,
        p90_ms=summary["p90_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        max_ms=summary["max_us"] / 1000,
        errors={kind: int(summary[kind]) for kind in kinds if summary.get(kind)},
    )


def check_response(server: Server, body: dict[str, Any], expected: bytes | None) -> bytes:
    """One request: it must answer 200 without GraphQL errors (and with EXPECTED when given)."""
    response = httpx.post(f"{server.url}/graphql", json=body, timeout=30.0)
    if response.status_code != 200:
        raise BenchError(f"{server.name} answered {response.status_code}: {response.text[:300]}")
    if "errors" in response.json():
        raise BenchError(f"{server.name} answered errors: {response.text[:300]}")
    if expected is not None and response.content != expected:
        raise BenchError(f"{server.name} answered something else than the 100-code response")
    return response.content


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
            print(
                f"  {result.variant:<28} {clients:>2} clients: {result.requests_per_s:9.1f} req/s"
                f"  p50 {result.p50_ms:8.2f} ms  p99 {result.p99_ms:8.2f} ms",
                flush=True,
            )
    for clients in CLIENTS:
        same = [result for result in results if result.clients == clients]
        reference = next(result for result in same if result.variant == REFERENCE)
        for result in same:
            if reference.requests_per_s:
                result.ratio_to_reference = result.requests_per_s / reference.requests_per_s
    # The table reads (a), (b), then the reference, for each number of clients.
    return sorted(results, key=lambda result: (result.clients, result.variant == REFERENCE))


# --- the run -------------------------------------------------------------------------------


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


def january_environment(duration: int) -> dict[str, Any]:
    """environment() of a one-worker bench that loads January 2026, once its files are there."""
    if not JANUARY_2026.is_dir():
        raise BenchError(f"the CMS release files are expected in {JANUARY_2026}")
    return environment(1, duration)


def print_heading(name: str, env: Mapping[str, Any], *details: str) -> None:
    dirty = " (dirty)" if env["dirty"] else ""
    print()
    print(
        ", ".join(
            (
                f"HCPCS GraphQL {name} bench: commit {env['commit'][:12]}{dirty}",
                f"Python {env['python']}",
                f"{env['cpus']} CPUs",
                *details,
            )
        )
    )


def load_average(env: Mapping[str, Any]) -> str:
    return f"load average {env['load_average'][0]:.2f} -> {env['load_average_after'][0]:.2f}"


def environment(workers: int, duration: int) -> dict[str, Any]:
    def git(*args: str) -> str:
        completed = subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=False, timeout=30
        )
        return completed.stdout.strip()

    wrk = subprocess.run(
        [wrk_command(), "--version"], capture_output=True, text=True, check=False, timeout=30
    )
    return {
        "commit": git("rev-parse", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0] if (wrk.stdout or wrk.stderr) else "",
        "workers": workers,
        "duration_s": duration,
        "clients": list(CLIENTS),
    }


@contextlib.contextmanager
def work_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="hcpcs-bench-") as folder:
        yield Path(folder)


def run(args: argparse.Namespace) -> Report:
    if not JANUARY_2026.is_dir() or not OCTOBER_2025.is_dir():
        raise BenchError(f"the CMS release files are expected in {DATA}")
    env = environment(args.workers, args.duration)
    hcpcs = str(hcpcs_command())
    with work_folder() as work:
        processes = Processes(work)
        try:
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
        finally:
            processes.stop_all()
    env["load_average_after"] = os.getloadavg()
    return Report(
        environment=env,
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
    print_heading("serve", env, f"{env['workers']} worker(s)", load_average(env))
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
    header = (
        f"{'variant':<28} {'clients':>7} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9}"
        f" {'ratio':>7}  errors"
    )
    print(header)
    print("-" * len(header))
    for result in report.load_tests:
        ratio = "" if result.ratio_to_reference is None else f"{result.ratio_to_reference:.3f}"
        errors = ", ".join(f"{kind} {count}" for kind, count in result.errors.items()) or "-"
        print(
            f"{result.variant:<28} {result.clients:>7} {result.requests_per_s:>10.1f}"
            f" {result.p50_ms:>9.2f} {result.p99_ms:>9.2f} {ratio:>7}  {errors}"
        )
    print("ratio: throughput / the reference's throughput at the same number of clients")


def bench_parser(
    doc: str | None, *, db_help: str, duration_s: int, json_help: str
) -> argparse.ArgumentParser:
    """The options every load bench shares: --db, --duration and --json."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--db", type=Path, help=db_help)
    parser.add_argument(
        "--duration",
        type=int,
        default=duration_s,
        help=f"seconds of each load test (default: {duration_s})",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help=json_help)
    return parser


def reused_db_help(release: str) -> str:
    return (
        f"the database to serve: reused when it exists (its newest release must be {release}),"
        " else January 2026 is loaded into it (default: a temporary file)"
    )


def bench_args(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None, max_duration_s: int | None
) -> argparse.Namespace:
    args = parser.parse_args(argv)
    if max_duration_s is None and args.duration < 1:
        parser.error("--duration must be at least 1 second")
    if max_duration_s is not None and not 1 <= args.duration <= max_duration_s:
        parser.error(f"--duration must be between 1 and {max_duration_s} seconds")
    return args


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = bench_parser(
        __doc__,
        db_help="the database to serve: reused when it exists, else January 2026 is loaded into"
        " it (default: the first timed January 2026 load, in a temporary folder)",
        duration_s=10,
        json_help="also write the results as JSON to OUT (e.g. bench/results/serve.json)",
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="uvicorn workers of both servers (default: 1)"
    )
    args = bench_args(parser, argv, max_duration_s=None)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    return args


class Reporting(Protocol):
    def as_json(self) -> dict[str, Any]: ...


ReportT = TypeVar("ReportT", bound=Reporting)


def run_bench(
    args: argparse.Namespace,
    run: Callable[[argparse.Namespace], ReportT],
    print_report: Callable[[ReportT], None],
) -> int:
    """Run a bench, print its report, write it as JSON when --json asks: the exit code."""
    try:
        report = run(args)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted (every server it started is stopped)", file=sys.stderr)
        return 130
    print_report(report)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report.as_json(), indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run_bench(parse_args(argv), run, print_report)


if __name__ == "__main__":
    sys.exit(main())
