"""Running the app under uvicorn, with one process or several sharing one listening socket."""

from __future__ import annotations

import gc
import logging
import os
import socket
from pathlib import Path

import uvicorn
from uvicorn.supervisors import Multiprocess

from hcpcs_graphql.http.settings import Settings
from hcpcs_graphql.http.stacks import DEFAULT_STACK, STACKS

GUARDED = {
    "h11": "hcpcs_graphql.http.h11_protocol:H11",
    "httptools": "hcpcs_graphql.http.httptools_protocol:HttpTools",
}
"""uvicorn's protocols by name, as guarded (http/protocols.py)."""

GRACEFUL_SECONDS = 10


class ListenError(Exception):
    """The port cannot be listened on (in use, not allowed, an unknown host)."""


def _listening_socket(host: str, port: int) -> socket.socket:
    # uvicorn's own socket for several workers leaves the protocol unset, so asyncio never sets
    # TCP_NODELAY on its connections and each small response on a kept-alive connection waits
    # for the client's delayed ACK (about 40 ms). A socket made with IPPROTO_TCP avoids that.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        reason = error.strerror or str(error)
        raise ListenError(f"cannot listen on {host}:{port}: {reason}") from None
    sock.set_inheritable(True)
    return sock


def default_workers() -> int:
    """One worker a core this process may run on: the cores taskset or a cpuset allow, which
    os.cpu_count() does not know of."""
    return len(os.sched_getaffinity(0))


class _Server(uvicorn.Server):
    """uvicorn's server, with the collector turned on again once the app has started: `hcpcs
    serve` (cli/serve.py) starts with it off."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        gc.enable()


READ = 256 * 1024
"""The most bytes asyncio reads from a socket at once."""


def serve(db_path: Path, host: str, port: int, workers: int, stack: str = DEFAULT_STACK) -> None:
    os.environ["HCPCS_DB"] = str(db_path)
    loop, http = STACKS[stack]
    settings = Settings.from_environment(os.environ)
    config = uvicorn.Config(
        "hcpcs_graphql.http.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop=loop,
        # uvicorn's protocol with a header-read timeout and a header size limit (protocols.py).
        http=GUARDED[http],
        timeout_keep_alive=settings.keep_alive_seconds,
        limit_concurrency=settings.max_connections,
        # h11's own limit on the headers, past the guard's (which answers first, in JSON).
        h11_max_incomplete_event_size=settings.max_header_bytes + READ,
        access_log=False,
        log_level="info",
        # On SIGTERM: stop accepting, finish what is in flight, exit at the latest after this.
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
    )
    # Bound here, before any worker starts, so that a port in use is one error (ListenError).
    sock = _listening_socket(host, port)
    # uvicorn says where it listens only when it binds the socket itself.
    address = f"[{host}]" if ":" in host else host
    logging.getLogger("uvicorn.error").info(
        "listening on http://%s:%d with %d worker(s)", address, sock.getsockname()[1], workers
    )
    if workers > 1:
        gc.enable()  # the supervisor starts no app; each worker is a process of its own
        Multiprocess(config, sockets=[sock]).run()
    else:
        _Server(config).run(sockets=[sock])
