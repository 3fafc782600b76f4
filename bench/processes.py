"""The servers a bench starts: spawned on free loopback ports, polled until /healthz answers,
measured (/proc), and every one stopped however the bench ends."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
from paths import HOST, REFERENCE_APP, REPO, BenchError

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
REFERENCE_STACK = "uvloop"
"""The reference's stack: the byte-serving floor is measured on the fastest stack uvicorn has."""


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
        """bench/reference_app.py answering every request with the bytes of BODY, on the stack
        issue 13 measures against (uvloop with httptools), whatever stack hcpcs serve runs."""
        command = [
            sys.executable,
            str(REFERENCE_APP),
            "--body",
            str(body),
            "--stack",
            REFERENCE_STACK,
            *args,
        ]
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


def healthy_after(
    url: str, process: subprocess.Popen[bytes], started: float, seconds: float = START_TIMEOUT_S
) -> float | None:
    """Seconds from `started` until URL/healthz answers 200; None when PROCESS exits first or
    SECONDS pass: the one start-up wait of the benches (polled every 5 ms, so that it times a
    start)."""
    deadline = started + seconds
    with httpx.Client(timeout=2.0) as client:
        while process.poll() is None and time.perf_counter() < deadline:
            try:
                if client.get(f"{url}/healthz").status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass  # not listening yet
            time.sleep(0.005)
    return None


def wait_healthy(server: Server, started: float) -> float:
    """Seconds from `started` until the server's /healthz answers 200."""
    seconds = healthy_after(server.url, server.process, started)
    if seconds is not None:
        return seconds
    if server.process.poll() is not None:
        raise BenchError(
            f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}"
        )
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


@contextlib.contextmanager
def work_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="hcpcs-bench-") as folder:
        yield Path(folder)


@contextlib.contextmanager
def serving() -> Iterator[tuple[Path, Processes]]:
    """A work folder and the servers a bench starts in it: every one stopped at the end, however
    the bench ends, and the folder removed."""
    with work_folder() as work:
        processes = Processes(work)
        try:
            yield work, processes
        finally:
            processes.stop_all()
