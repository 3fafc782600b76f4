"""wrk, the HTTP load generator: its Lua scripts, its command line, and the summary line each run
prints, read into a LoadResult."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from paths import BenchError

WARM_UP_S = 1
T = TypeVar("T")
V = TypeVar("V")

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


def wrk_command() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise BenchError(
            "the load tests need wrk: `apt-get update && apt-get install -y wrk` (see README.md)"
        )
    return found


def write_wrk_script(
    work: Path, name: str, bodies: Sequence[dict[str, Any]], script_text: str = WRK_SCRIPT
) -> Path:
    """A wrk script that POSTs BODIES in turn (SCRIPT_TEXT: WRK_BODIES and a done())."""
    bodies_file = work / f"{name}.bodies"
    bodies_file.write_text(
        "".join(json.dumps(body, separators=(",", ":")) + "\n" for body in bodies)
    )
    script = work / f"{name}.lua"
    script.write_text(script_text.replace("__BODIES__", json.dumps(str(bodies_file))))
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


def set_ratios(results: Sequence[LoadResult], reference_rate: float) -> None:
    """Each result's throughput as a ratio to the reference's (none when it answered nothing)."""
    for result in results:
        if reference_rate:
            result.ratio_to_reference = result.requests_per_s / reference_rate


class Measured(Protocol):
    @property
    def result(self) -> LoadResult: ...


M = TypeVar("M", bound=Measured)


def side_by_side(
    clients: Sequence[int], variants: Sequence[V], measure: Callable[[V, int], M]
) -> list[M]:
    """Each variant measured in turn at each number of clients, in that order; ratios are to the
    first variant's throughput at the same number of clients."""
    runs: list[M] = []
    for count in clients:
        block = [measure(variant, count) for variant in variants]
        set_ratios([run.result for run in block], block[0].result.requests_per_s)
        runs += block
    return runs


def run_beside(
    background: list[str], seconds: float, lead_s: float, measure: Callable[[], T]
) -> tuple[T, dict[str, float]]:
    """MEASURE's result while wrk runs BACKGROUND (SECONDS long, started LEAD_S before), and
    the background run's summary."""
    process = subprocess.Popen(
        background,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(lead_s)
        measured = measure()
        stdout, stderr = process.communicate(timeout=seconds + 60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    return measured, wrk_summary(stdout, stderr, process.returncode)


def write_done_script(work: Path) -> Path:
    """A script that only adds the summary line: wrk sends its URL every request."""
    script = work / "static.lua"
    script.write_text(WRK_DONE)
    return script
