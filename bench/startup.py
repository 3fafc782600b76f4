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

With --instructions, each variant starts once under valgrind (callgrind) instead, and the bench
prints the instructions its process ran, every thread, from the exec until it exited on SIGTERM
once /readyz had answered (the stop is the same short path for both): a count that the load of a
shared machine does not change, where its times do (about 40 s a variant).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
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
VALGRIND_TIMEOUT_S = 600.0
"""A start under valgrind runs some 50 times slower."""
COLLECTED = re.compile(rb"Collected : (\d+)")
"""callgrind's total of instructions, on its standard error at exit."""


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


def wait_for(
    process: subprocess.Popen[bytes],
    port: int,
    path: str,
    began: float,
    timeout: float = TIMEOUT_S,
) -> float:
    while time.perf_counter() - began < timeout:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode} before {path}")
        if answered(port, path):
            return time.perf_counter() - began
        time.sleep(POLL_S)
    raise SystemExit(f"no 200 on {path} within {timeout} s")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime, fields 14 and 15 of proc(5), the 12th and 13th after the name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_command(db: Path, stack: str | None, port: int) -> list[str]:
    command = [sys.executable, "-m", "hcpcs_graphql.cli", "serve", "--db", str(db)]
    command += ["--workers", "1", "--host", HOST, "--port", str(port)]
    return command if stack is None else [*command, "--stack", stack]


def environment_of(code: Path, work: Path, compiled: bool) -> dict[str, str]:
    environment = {**os.environ, "PYTHONPATH": str(code.resolve())}
    if compiled:
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        environment["PYTHONPYCACHEPREFIX"] = str(work / "bytecode")
    else:
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
    return environment


def start_once(code: Path, db: Path, stack: str | None, work: Path, compiled: bool) -> Start:
    port = free_port()
    command = serve_command(db, stack, port)
    environment = environment_of(code, work, compiled)
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


def instructions_once(code: Path, db: Path, stack: str | None, work: Path) -> int:
    """The instructions of one start under callgrind, until the process exited on SIGTERM once
    /readyz had answered."""
    port = free_port()
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    process = subprocess.Popen(
        [*valgrind, *serve_command(db, stack, port)],
        cwd=work,
        env=environment_of(code, work, compiled=True),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(process, port, "/readyz", time.perf_counter(), VALGRIND_TIMEOUT_S)
        process.terminate()
        _, errors = process.communicate(timeout=VALGRIND_TIMEOUT_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    found = COLLECTED.search(errors)
    if found is None:
        raise SystemExit("valgrind printed no instruction count")
    return int(found.group(1))


def count_instructions(variants: dict[str, Path], db: Path, stack: str | None) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind")
    counted: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="hcpcs-bench-startup-") as folder:
        work = Path(folder)
        for code in variants.values():
            start_once(code, db, stack, work, compiled=True)  # its bytecode, as without valgrind
        for variant, code in variants.items():
            counted[variant] = instructions_once(code, db, stack, work)
    print(f"db {db}; one start each under valgrind (callgrind)")
    for variant, instructions in counted.items():
        print(
            f"{variant}: {instructions / 1e6:,.0f} M instructions from exec to exit after /readyz"
        )
    if "baseline" in counted:
        print(f"instructions: baseline / this = {counted['baseline'] / counted['this']:.3f}")


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
    options.add_argument(
        "--instructions",
        action="store_true",
        help="count the instructions of one start of each variant under valgrind, instead",
    )
    args = options.parse_args()
    variants = {"this": REPOSITORY}
    if args.baseline is not None:
        variants["baseline"] = args.baseline
    if args.instructions:
        count_instructions(variants, args.db, args.stack)
        return
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
