"""uvicorn's httptools protocol, guarded (http/protocols.py), which also sends a whole response
(http/whole_response.py) in one write and notes when each request arrived (http/arrival.py)."""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import (
    STATUS_LINE,
    HttpToolsProtocol,
    RequestResponseCycle,
)
from uvicorn.protocols.utils import get_client_addr, get_path_with_query_string

from hcpcs_graphql.http import arrival
from hcpcs_graphql.http.protocols import Guarded
from hcpcs_graphql.http.whole_response import EXTENSION


class WholeCycle(RequestResponseCycle):
    """uvicorn's request-response cycle, which also sends a whole response (whole_response.py)
    in one write, as uvicorn would have sent it in two: its status line, the server's headers
    (Date, Server), the header block, `connection: close` when the connection is not kept
    alive, the body (none for HEAD); logged as uvicorn logs it; then the cycle ends as uvicorn
    ends it."""

    async def send(self, message: Any) -> None:
        if message["type"] != EXTENSION:
            await super().send(message)
            return
        if self.flow.write_paused and not self.disconnected:
            await self.flow.drain()
        if self.disconnected:
            return
        if self.response_started:
            raise RuntimeError(f"Unexpected ASGI message {EXTENSION!r} after a response started.")
        self.response_started = self.response_complete = True
        self.waiting_for_100_continue = False
        status = message["status"]
        if self.access_log:
            self.access_logger.info(
                '%s - "%s %s HTTP/%s" %d',
                get_client_addr(self.scope),
                self.scope["method"],
                get_path_with_query_string(self.scope),
                self.scope["http_version"],
                status,
            )
        parts = [STATUS_LINE[status]]
        for name, value in self.default_headers:
            parts += (name, b": ", value, b"\r\n")
        parts.append(message["head"])
        if not self.keep_alive:
            parts.append(b"connection: close\r\n")
        parts.append(b"\r\n")
        if self.scope["method"] != "HEAD":
            parts.append(message["body"])
        self.transport.write(b"".join(parts))
        self.message_event.set()
        if not self.keep_alive:
            self.transport.close()
        self.on_response()


class HttpTools(Guarded, HttpToolsProtocol):
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.scope["extensions"] = {EXTENSION: {}, arrival.EXTENSION: arrival.arrival()}

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        # uvicorn builds its cycle by name here, and its task first runs on the loop's next
        # turn: the cycle becomes the one that also sends whole responses before it runs.
        if type(self.cycle) is RequestResponseCycle:
            self.cycle.__class__ = WholeCycle
