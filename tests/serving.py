"""The real server in a process of its own (`hcpcs serve`), for the tests that speak HTTP to it
over a socket: the hostile-request corpus, the fuzzing run, the shutdown under load."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from hcpcs_graphql.http.stacks import DEFAULT_STACK

SERVE = [sys.executable, "-m", "hcpcs_graphql.cli.main", "serve"]

STARTED = b"INFO:     Application startup complete."
"""The line uvicorn logs once the app's lifespan is done (the database open, the catalog read):
the fact a server of the tests is waited on."""

START_SECONDS = 60.0
"""How long a server may take to log STARTED once spawned: past it, the start is a failure with
the server's log in its message, not a hang. A bound, never a pause."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerLog:
    """A server's stderr, read line by line on a thread of its own while the server runs: each
    line copied to LOG (when given) as it comes, the lines before STARTED kept for a failure's
    message, and the moment STARTED is read (or the stream ends) made known."""

    def __init__(self, stream: IO[bytes], log: Path | None) -> None:
        self.before: list[bytes] = []
        self.started = False
        self._told = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(stream, log), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[bytes], log: Path | None) -> None:
        with contextlib.ExitStack() as files:
            files.enter_context(stream)
            copy = None if log is None else files.enter_context(log.open("ab"))
            for line in stream:
                if copy is not None:
                    copy.write(line)
                    copy.flush()
                if not self.started:
                    self.started = line.rstrip(b"\r\n") == STARTED
                    self.before.append(line)
                    if self.started:
                        self._told.set()
        self._told.set()

    def wait_started(self, seconds: float) -> bool:
        """Whether STARTED is read within SECONDS; False as soon as the stream ends without it
        (the server exited)."""
        self._told.wait(seconds)
        return self.started

    def text(self) -> str:
        return b"".join(self.before).decode(errors="replace")

    def close(self, seconds: float = 15) -> None:
        """Once the server has exited: every line it wrote is in LOG."""
        self._thread.join(seconds)


def wait_started(
    process: subprocess.Popen[bytes], url: str, seconds: float, log: Path | None = None
) -> ServerLog:
    """PROCESS (`hcpcs serve`, or a script that ends in it, its stderr a pipe) once it has logged
    STARTED and URL/healthz answers 200; otherwise it is killed and RuntimeError says what it
    logged."""
    assert process.stderr is not None, "the server's stderr must be a pipe"
    server_log = ServerLog(process.stderr, log)
    deadline = time.monotonic() + seconds
    if server_log.wait_started(seconds) and answers(url, deadline):
        return server_log
    exited = process.poll()
    process.kill()
    process.wait()
    server_log.close()
    why = f"did not start within {seconds:g} s" if exited is None else f"exited ({exited})"
    raise RuntimeError(f"the server at {url} {why}; it logged:\n{server_log.text()}")


def answers(url: str, deadline: float) -> bool:
    """Whether URL/healthz answers 200 before DEADLINE (time.monotonic)."""
    with httpx.Client(timeout=max(deadline - time.monotonic(), 1)) as client:
        while True:
            try:
                return client.get(f"{url}/healthz").status_code == 200
            except httpx.ConnectError:
                # uvicorn listens on the socket http/server.py hands it just after it logs
                # STARTED, and logs nothing once listening: a refusal in that gap is tried again.
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.01)


@dataclass(frozen=True)
class Server:
    """A started `hcpcs serve`: its process, its base URL and its log."""

    process: subprocess.Popen[bytes]
    url: str
    log: ServerLog

    def stop(self) -> None:
        """By SIGTERM, as a deployment stops it; then all it logged is in the log's copy."""
        self.process.terminate()
        self.process.wait(timeout=15)
        self.log.close()


def start(
    db: Path, log: Path | None = None, stack: str = DEFAULT_STACK, **environment: str
) -> Server:
    """`hcpcs serve` on DB at a free port, with ENVIRONMENT added (HCPCS_* settings), once it has
    started; its log copied to LOG, when given."""
    port = free_port()
    process = subprocess.Popen(
        # One worker: the tests read its /metrics, which each worker keeps for itself.
        [*SERVE, "--db", str(db), "--port", str(port), "--stack", stack, "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **environment},
    )
    url = f"http://127.0.0.1:{port}"
    return Server(process, url, wait_started(process, url, START_SECONDS, log))


def healthy(url: str, process: subprocess.Popen[bytes], seconds: float) -> bool:
    """Whether URL/healthz answers 200 within SECONDS, while PROCESS runs: for what logs no line
    once it listens (nginx), so that only its answer tells."""
    deadline = time.monotonic() + seconds
    with httpx.Client(timeout=1) as client:
        while process.poll() is None and time.monotonic() < deadline:
            try:
                if client.get(f"{url}/healthz").status_code == 200:
                    return True
            except httpx.TransportError:
                pass  # not listening yet
            time.sleep(0.05)
    return False


@contextlib.contextmanager
def running(
    db: Path, log: Path | None = None, stack: str = DEFAULT_STACK, **environment: str
) -> Iterator[str]:
    """The base URL of a server on DB for the duration of the block; stopped by SIGTERM, and
    all it logged in LOG once the block ends."""
    server = start(db, log, stack, **environment)
    try:
        yield server.url
    finally:
        server.stop()


def without_read_permission() -> Sequence[str]:
    """A command prefix that runs a program without the right to read files it may not read.
    As root (which reads a file of mode 000 all the same), that drops the two capabilities that
    let root bypass file permissions; otherwise nothing is needed."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]
