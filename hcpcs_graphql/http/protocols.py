"""uvicorn's HTTP protocols (h11 and httptools) with the guards uvicorn lacks: a connection must
send the headers of each request within HCPCS_HEADER_SECONDS (from when it opens, or from the
first byte of a request on a kept-alive connection), else it gets 408 and is closed (slowloris);
and the request line with the headers may hold at most HCPCS_MAX_HEADER_KB, else 431 and closed
(httptools reads headers of any size; h11 has its own limit, set to the same by server.py).
uvicorn imports them by name (`hcpcs_graphql.http.h11_protocol:H11`), in each worker, which
reads the settings from the environment; each is a module of its own (h11_protocol.py,
httptools_protocol.py), so that a stack imports its own parser only (h11 with uvicorn's
protocol for it was 7 ms of a start on httptools). A request that cannot be parsed gets
uvicorn's 400 in JSON, like every other refusal."""

from __future__ import annotations

import asyncio
import functools
import os
from http import HTTPStatus
from typing import Any

from hcpcs_graphql.http.errors import code_for, error_body
from hcpcs_graphql.http.settings import Settings


@functools.cache
def _settings() -> Settings:
    return Settings.from_environment(os.environ)


def refusal(status: HTTPStatus, message: str) -> bytes:
    """A whole HTTP response that closes the connection, in the shape of every refusal."""
    body = error_body(message, code_for(status.value))
    head = (
        f"HTTP/1.1 {status.value} {status.phrase}\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class Guarded(asyncio.Protocol):
    """What both protocols add: a timer while a request's headers are awaited, and a count of
    the bytes received meanwhile. Comes first among the bases of a guarded protocol."""

    cycle: Any
    transport: asyncio.Transport
    _timer: asyncio.TimerHandle | None = None
    _header_bytes = 0

    def _await_headers(self) -> None:
        if self._timer is None:
            settings = _settings()
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(settings.header_seconds, self._too_slow)
            self._header_bytes = 0

    def _headers_done(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _too_slow(self) -> None:
        self._timer = None
        message = f"The request's headers took longer than {_settings().header_seconds:g} s."
        self._refuse(HTTPStatus.REQUEST_TIMEOUT, message)

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        self._headers_done()
        if not self.transport.is_closing():
            self.transport.write(refusal(status, message))
            self.transport.close()

    def _guarded_receive(self, data: bytes, receive: Any) -> None:
        before = self.cycle
        awaited = before is None or before.response_complete
        receive(data)
        if self.cycle is not before and self.cycle is not None:
            self._headers_done()  # a request's headers are complete (its cycle has begun)
        elif awaited or self._timer is not None:
            # The first bytes of a request whose headers are not all here: timed from now. A
            # request that comes whole in one read (most) never costs a timer.
            self._await_headers()
            # Counted while the headers are incomplete: past the limit by at most one read.
            self._header_bytes += len(data)
            limit = _settings().max_header_bytes
            if self._header_bytes > limit:
                self._refuse(
                    HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    f"The request line and headers are larger than {limit:,} bytes.",
                )

    # Each calls the method of the protocol guarded, next in the class's order (H11Protocol in
    # h11_protocol.H11(Guarded, H11Protocol)).
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self._await_headers()

    def data_received(self, data: bytes) -> None:
        self._guarded_receive(data, super().data_received)

    def connection_lost(self, exc: Exception | None) -> None:
        self._headers_done()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        # uvicorn's own, for a request it cannot parse, is plain text: this one is JSON too.
        self._refuse(HTTPStatus.BAD_REQUEST, msg)
