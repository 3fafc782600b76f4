"""The real server in a process of its own (`hcpcs serve`), for the tests that speak HTTP to it
over a socket: the hostile-request corpus, the fuzzing run, the shutdown under load."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx

from hcpcs_graphql.http.stacks import DEFAULT_STACK

SERVE = [sys.executable, "-m", "hcpcs_graphql.cli.main", "serve"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(
    db: Path, log: Path | None = None, stack: str = DEFAULT_STACK, **environment: str
) -> tuple[subprocess.Popen[bytes], str]:
    """`hcpcs serve` on DB at a free port, with ENVIRONMENT added (HCPCS_* settings), once it
    answers /healthz: the process and its base URL. Its log goes to LOG, when given."""
    port = free_port()
    with contextlib.ExitStack() as files:
        stderr = subprocess.DEVNULL if log is None else files.enter_context(log.open("ab"))
        process = subprocess.Popen(
            # One worker: the tests read its /metrics, which each worker keeps for itself.
            [*SERVE, "--db", str(db), "--port", str(port), "--stack", stack, "--workers", "1"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **environment},
        )
    url = f"http://127.0.0.1:{port}"
    if not healthy(url, process, START_SECONDS):
        process.kill()
        raise RuntimeError("the server did not start")
    return process, url


START_SECONDS = 20.0
"""How long a server may take to answer /healthz once spawned."""


def healthy(url: str, process: subprocess.Popen[bytes], seconds: float) -> bool:
    """Whether URL/healthz answers 200 within SECONDS, while PROCESS (the server, or what starts
    it) runs: the one start-up wait of the tests' servers."""
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
    """The base URL of a server on DB for the duration of the block; stopped by SIGTERM."""
    process, url = start(db, log, stack, **environment)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def without_read_permission() -> Sequence[str]:
    """A command prefix that runs a program without the right to read files it may not read.
    As root (which reads a file of mode 000 all the same), that drops the two capabilities that
    let root bypass file permissions; otherwise nothing is needed."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]
