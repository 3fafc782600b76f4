"""uvloop's event loop, accepting every connection that waits at once, as asyncio's does.

libuv accepts one connection a turn of its loop ("unix: don't accept() connections in a loop",
libuv pull request 3696, in the libuv uvloop ships), and a turn of a loop busy with requests
runs every callback that is ready: on a loaded server, 64 new connections took about 2 s to be
accepted one by one, and the first request on each (sent by the client as soon as the kernel
completed the handshake) waited that long. That was uvloop's long lookup tail in bench/stack.py
(docs/performance.md): each request measured on the server was as fast as on asyncio's loop.
asyncio accepts up to the listen backlog each time the socket is readable; this loop does the
same for the sockets uvicorn hands it (`create_server(sock=...)`), and hands each connection to
uvloop as an accepted socket."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from typing import Any

import uvloop

logger = logging.getLogger("uvicorn.error")


class _Listener(asyncio.AbstractServer):
    """What uvicorn needs of a server: it stops accepting on close()."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        protocol_factory: Callable[[], asyncio.BaseProtocol],
        sock: socket.socket,
        backlog: int,
    ) -> None:
        self._loop = loop
        self._protocol_factory = protocol_factory
        self._sock = sock
        self._backlog = backlog
        self._connecting: set[asyncio.Task[None]] = set()
        sock.setblocking(False)
        sock.listen(backlog)
        loop.add_reader(sock.fileno(), self._accept)
        self._serving = True

    def _accept(self) -> None:
        for _ in range(self._backlog):
            try:
                connection, _ = self._sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue
            except OSError as error:  # out of file descriptors: the next turn tries again
                logger.warning("cannot accept a connection: %s", error)
                return
            connection.setblocking(False)
            task = self._loop.create_task(self._connect(connection))
            self._connecting.add(task)
            task.add_done_callback(self._connecting.discard)

    async def _connect(self, connection: socket.socket) -> None:
        try:
            await self._loop.connect_accepted_socket(self._protocol_factory, connection)
        except OSError:  # the client went away before the transport was made
            connection.close()

    def close(self) -> None:
        if self._serving:
            self._serving = False
            self._loop.remove_reader(self._sock.fileno())

    async def wait_closed(self) -> None:
        return None

    def is_serving(self) -> bool:
        return self._serving

    def get_loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    async def start_serving(self) -> None:
        return None

    async def serve_forever(self) -> None:
        raise NotImplementedError("uvicorn runs its own loop")

    @property
    def sockets(self) -> tuple[socket.socket, ...]:
        return (self._sock,)


class AcceptingLoop(uvloop.Loop):
    async def create_server(  # type: ignore[override]
        self,
        protocol_factory: Callable[[], asyncio.BaseProtocol],
        host: Any = None,
        port: Any = None,
        *,
        sock: socket.socket | None = None,
        backlog: int = 100,
        ssl: Any = None,
        **options: Any,
    ) -> asyncio.AbstractServer:
        if sock is None or ssl is not None or options:
            server: asyncio.AbstractServer = await super().create_server(
                protocol_factory, host, port, sock=sock, backlog=backlog, ssl=ssl, **options
            )
            return server
        return _Listener(self, protocol_factory, sock, backlog)


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvicorn's `loop` setting for this loop (`hcpcs_graphql.http.accepting:new_event_loop`)."""
    return AcceptingLoop()
