"""A whole response in one message (http/whole_response.py), as the guarded httptools protocol
writes it (http/protocols.py): the bytes uvicorn writes for the two usual messages, in one write.
The protocol runs in process on a transport that records its writes."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest
import uvicorn
from starlette.types import Receive, Scope, Send
from uvicorn.server import ServerState

from hcpcs_graphql.http import arrival
from hcpcs_graphql.http.httptools_protocol import HttpTools
from hcpcs_graphql.http.whole_response import EXTENSION, header_block

BODY = b'{"data":{"code":null}}'
HEADERS = [
    (b"content-length", str(len(BODY)).encode()),
    (b"Content-Type", b"application/json"),
    (b"etag", b'"abc"'),
]
DEFAULT_HEADERS = [(b"date", b"Wed, 02 Dec 2026 18:00:00 GMT"), (b"server", b"uvicorn")]


def test_the_header_block_is_each_header_on_its_line_its_name_lowercase() -> None:
    block = header_block(200, HEADERS, BODY)
    assert block == b'content-length: 22\r\ncontent-type: application/json\r\netag: "abc"\r\n'


@pytest.mark.parametrize(
    "headers",
    [
        HEADERS[1:],  # no length: the server would send chunks
        [(b"content-length", b"3"), *HEADERS[1:]],  # not the body's length
        [*HEADERS, (b"connection", b"close")],
        [*HEADERS, (b"Transfer-Encoding", b"chunked")],
    ],
)
def test_a_response_the_server_must_frame_has_no_header_block(
    headers: list[tuple[bytes, bytes]],
) -> None:
    assert header_block(200, headers, BODY) is None


def test_a_bodiless_status_needs_no_length() -> None:
    assert header_block(304, HEADERS[2:], b"") == b'etag: "abc"\r\n'
    assert header_block(304, HEADERS[2:], BODY) is None
    assert header_block(200, HEADERS[2:], b"") is None


class Transport(asyncio.Transport):
    """What the protocol writes, one entry a write; closed when the protocol closes it."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def exchange(
    request: bytes, whole: bool, status: int = 200, headers: list[tuple[bytes, bytes]] = HEADERS
) -> tuple[Transport, list[Scope]]:
    """The writes of the protocol answering REQUEST with STATUS, HEADERS and BODY (none for a
    304): in one whole message, or in the two usual ones; with the scopes the app was called
    with."""
    scopes: list[Scope] = []
    body = b"" if status == 304 else BODY

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scopes.append(scope)
        if whole:
            head = header_block(status, headers, body)
            await send({"type": EXTENSION, "status": status, "head": head, "body": body})
        else:
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

    config = uvicorn.Config(app, proxy_headers=False, lifespan="off", log_config=None)
    state = ServerState()
    state.default_headers = DEFAULT_HEADERS
    protocol = HttpTools(config=config, server_state=state, app_state={})
    transport = Transport()
    protocol.connection_made(transport)
    protocol.data_received(request)
    await asyncio.gather(*state.tasks)
    protocol.connection_lost(None)
    return transport, scopes


REQUESTS = {
    "kept alive": b"GET /graphql HTTP/1.1\r\nhost: x\r\n\r\n",
    "HTTP/1.0": b"GET /graphql HTTP/1.0\r\nhost: x\r\n\r\n",
    "closed by the client": b"GET /graphql HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    "HEAD": b"HEAD /graphql HTTP/1.1\r\nhost: x\r\n\r\n",
}


ANSWERS = {"200": (200, HEADERS), "304": (304, HEADERS[2:])}


@pytest.mark.parametrize("answer", ANSWERS.values(), ids=ANSWERS)
@pytest.mark.parametrize("request_bytes", REQUESTS.values(), ids=REQUESTS)
async def test_a_whole_response_is_the_two_messages_bytes_in_one_write(
    request_bytes: bytes, answer: tuple[int, list[tuple[bytes, bytes]]]
) -> None:
    access = logging.getLogger("uvicorn.access")
    records, level = Records(), access.level
    access.addHandler(records)
    access.setLevel(logging.INFO)
    try:
        whole, _ = await exchange(request_bytes, True, *answer)
        usual, _ = await exchange(request_bytes, False, *answer)
    finally:
        access.removeHandler(records)
        access.setLevel(level)
    assert len(whole.writes) == 1
    assert whole.writes == [b"".join(usual.writes)]
    assert whole.closed == usual.closed
    # Logged alike (when uvicorn's access log is on, as here: it has a handler).
    first, second = records.messages
    assert first == second


async def test_the_protocol_offers_its_extensions_in_each_scope() -> None:
    before = time.monotonic_ns()
    _, scopes = await exchange(REQUESTS["kept alive"], whole=True)
    assert set(scopes[0]["extensions"]) == {EXTENSION, arrival.EXTENSION}
    assert scopes[0]["extensions"][EXTENSION] == {}
    when = arrival.arrived(scopes[0])
    assert when is not None
    assert before <= when <= time.monotonic_ns()
