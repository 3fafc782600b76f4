"""uvicorn's h11 protocol, guarded (http/protocols.py)."""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol

from hcpcs_graphql.http.protocols import Guarded


class H11(Guarded, H11Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        H11Protocol.connection_made(self, transport)  # type: ignore[arg-type]
        self._await_headers()

    def data_received(self, data: bytes) -> None:
        self._guarded_receive(data, super().data_received)

    def connection_lost(self, exc: Exception | None) -> None:
        Guarded.connection_lost(self, exc)
        H11Protocol.connection_lost(self, exc)
