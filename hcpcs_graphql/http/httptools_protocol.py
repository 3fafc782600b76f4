"""uvicorn's httptools protocol, guarded (http/protocols.py)."""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from hcpcs_graphql.http.protocols import Guarded


class HttpTools(Guarded, HttpToolsProtocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        HttpToolsProtocol.connection_made(self, transport)  # type: ignore[arg-type]
        self._await_headers()

    def data_received(self, data: bytes) -> None:
        self._guarded_receive(data, super().data_received)

    def connection_lost(self, exc: Exception | None) -> None:
        Guarded.connection_lost(self, exc)
        HttpToolsProtocol.connection_lost(self, exc)
