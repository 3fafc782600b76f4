"""Start-up of `hcpcs serve --workers 1`: from the exec of the process to its first 200 on
/healthz and on /readyz, and its resident memory once ready. With --baseline DIR, the code of
another checkout too (a folder holding its hcpcs_graphql/, e.g. `git -C /work/main archive HEAD
hcpcs_graphql | tar -x -C DIR`), the variants alternating run by run so that the machine's load
hits both alike. Medians of --runs runs (default 9). Run from anywhere:

    .venv/bin/python bench/startup.py [--db FILE] [--runs N] [--baseline DIR] [--stack NAME]

Each variant runs as `python -m hcpcs_graphql.cli serve` with PYTHONPATH=its folder, from an
empty working folder, so that both import their own code the same way. Their bytecode is written
once, by a start that is not counted, into a cache in the bench's temporary folder
(PYTHONPYCACHEPREFIX), as `pip install` compiles an installed package's: without it
(PYTHONDONTWRITEBYTECODE, an editable install) every start compiles the package again, which
--compile-every-start measures. CPU seconds (user and system, from /proc) are the server's own
until /readyz answered: on a loaded machine they vary less than the wall time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

REPOSITORY = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
POLL_S = 0.002
TIMEOUT_S = 30.0


class Start(NamedTuple):
    healthz_s: float
    readyz_s: float
    cpu_s: float
    rss_mib: float


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((HOST, 0))
        port: int = listener.getsockname()[1]
        return port


def answered(port: int, path: str) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def wait_for(process: subprocess.Popen[bytes], port: int, path: str, began: float) -> float:
    while time.perf_counter() - began < TIMEOUT_S:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode} before {path}")
        if answered(port, path):
            return time.perf_counter() - began
        time.sleep(POLL_S)
    raise SystemExit(f"no 200 on {path} within {TIMEOUT_S} s")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime, fields 14 and 15 of proc(5), the 12th and 13th after the name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_once(code: Path, db: Path, stack: str | None, work: Path, compiled: bool) -> Start:
    port = free_port()
    command = [sys.executable, "-m", "hcpcs_graphql.cli", "serve", "--db", str(db)]
    command += ["--workers", "1", "--host", HOST, "--port", str(port)]
    if stack is not None:
        command += ["--stack", stack]
    environment = {**os.environ, "PYTHONPATH": str(code.resolve())}
    if compiled:
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        environment["PYTHONPYCACHEPREFIX"] = str(work / "bytecode")
    else:
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
    began = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=work,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        healthz = wait_for(process, port, "/healthz", began)
        readyz = wait_for(process, port, "/readyz", began)
        return Start(healthz, readyz, cpu_seconds(process.pid), rss_mib(process.pid))
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--db", type=Path, default=REPOSITORY.parent / "hcpcs.db")
    options.add_argument("--runs", type=int, default=9)
    options.add_argument("--baseline", type=Path)
    options.add_argument("--stack", help="`hcpcs serve --stack` (default: each variant's own)")
    options.add_argument(
        "--compile-every-start",
        action="store_true",
        help="no bytecode cache: each start compiles the package from source",
    )
    args = options.parse_args()
    variants = {"this": REPOSITORY}
    if args.baseline is not None:
        variants["baseline"] = args.baseline
    starts: dict[str, list[Start]] = {variant: [] for variant in variants}
    compiled = not args.compile_every_start
    with tempfile.TemporaryDirectory(prefix="hcpcs-bench-startup-") as folder:
        work = Path(folder)
        if compiled:
            for code in variants.values():
                start_once(code, args.db, args.stack, work, compiled)
        for run in range(args.runs):
            # Alternate which variant goes first, so neither always follows the other.
            order = list(variants.items()) if run % 2 == 0 else list(variants.items())[::-1]
            for variant, code in order:
                starts[variant].append(start_once(code, args.db, args.stack, work, compiled))
    with open("/proc/loadavg") as loadavg:
        print(f"load average: {loadavg.read().split()[:3]}; {args.runs} runs; db {args.db}")
    for variant, found in starts.items():
        healthz = statistics.median(start.healthz_s for start in found)
        readyz = statistics.median(start.readyz_s for start in found)
        cpu = statistics.median(start.cpu_s for start in found)
        rss = statistics.median(start.rss_mib for start in found)
        fastest = min(start.healthz_s for start in found)
        least_cpu = min(start.cpu_s for start in found)
        print(
            f"{variant}: start to /healthz {healthz:.3f} s (fastest {fastest:.3f}),"
            f" to /readyz {readyz:.3f} s, CPU {cpu:.2f} s (least {least_cpu:.2f}),"
            f" RSS when ready {rss:.1f} MiB (medians)"
        )
    if args.baseline is not None:
        this = statistics.median(start.healthz_s for start in starts["this"])
        base = statistics.median(start.healthz_s for start in starts["baseline"])
        print(f"start to /healthz: baseline / this = {base / this:.2f}")
        this = statistics.median(start.cpu_s for start in starts["this"])
        base = statistics.median(start.cpu_s for start in starts["baseline"])
        print(f"CPU to /readyz: baseline / this = {base / this:.2f}")


if __name__ == "__main__":
    main()
