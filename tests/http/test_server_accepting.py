"""`--stack uvloop` accepts every waiting connection when the listening socket is readable, not
one a turn of the loop as libuv does (http/accepting.py). Counted in turns, never timed."""

from __future__ import annotations

import asyncio
import socket

from hcpcs_graphql.http.accepting import AcceptingLoop

CLIENTS = 20


def test_waiting_connections_are_accepted_at_once() -> None:
    loop = AcceptingLoop()
    made: list[asyncio.BaseTransport] = []
    every = asyncio.Event()

    class Counted(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            made.append(transport)
            if len(made) == CLIENTS:
                every.set()

    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listening.bind(("127.0.0.1", 0))
    clients: list[socket.socket] = []
    try:
        server = loop.run_until_complete(loop.create_server(Counted, sock=listening, backlog=64))
        turns = 0
        accept = server._accept  # type: ignore[attr-defined]

        def counted() -> None:
            nonlocal turns
            turns += 1
            accept()

        loop.remove_reader(listening.fileno())
        loop.add_reader(listening.fileno(), counted)
        # The kernel completes each handshake while the loop is not running: all wait at once.
        clients = [socket.create_connection(listening.getsockname()) for _ in range(CLIENTS)]
        loop.run_until_complete(asyncio.wait_for(every.wait(), 30))
        assert turns == 1
        assert len(made) == CLIENTS
        for transport in made:
            assert transport.get_extra_info("socket").getsockopt(
                socket.IPPROTO_TCP, socket.TCP_NODELAY
            )
        server.close()
        assert not server.is_serving()
        loop.run_until_complete(server.wait_closed())
        for transport in made:
            transport.close()
        loop.run_until_complete(asyncio.sleep(0))
    finally:
        for client in clients:
            client.close()
        listening.close()
        loop.close()
