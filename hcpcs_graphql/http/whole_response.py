"""A whole response in one ASGI message: an extension of our own, which the guarded httptools
protocol offers (httptools_protocol.py) and the stored answers use (stored_answers.py).

ASGI sends a response as `http.response.start` then `http.response.body`, and uvicorn writes
each to the socket as it comes: two writes (two system calls, two TCP segments) for an answer
that is complete before it starts, with every header checked against two regular expressions
on the way. The stored answers (stored_answers.py) hold a GET's answer until its body is
complete and send it in one message, its header block encoded once (and kept with the answer
when it is kept: sent again, it was checked when it first went out); the server writes its
status line, its own headers (Date, Server), the block and the body at once. A server that
offers it says so in scope["extensions"] under EXTENSION; under any other (h11, a test client)
the two messages go."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import Scope, Send

EXTENSION = "hcpcs.http.response.whole"
"""The key of scope["extensions"] a server offering the extension sets, and the type of its
message: {"type": EXTENSION, "status": int, "head": bytes, "body": bytes}, where head is
header_block's."""

FRAMING = (b"connection", b"transfer-encoding")
"""Headers that change how the server frames a response (closing the connection, chunks): a
response holding one goes out as the two usual messages, which uvicorn reads them from."""
BODILESS = (204, 304)
"""Statuses that never have a body, and so need no Content-Length (RFC 9110, 8.6)."""


def header_block(status: int, headers: Sequence[tuple[bytes, bytes]], body: bytes) -> bytes | None:
    """HEADERS as the server writes them (`name: value` and CRLF each, names lowercase), for a
    response whose Content-Length is its body's length (or a bodiless status without body or
    length) and which holds no FRAMING header; None for any other, which the server must frame
    itself."""
    lines: list[bytes] = []
    length = None
    for name, value in headers:
        lower = name.lower()
        if lower in FRAMING:
            return None
        if lower == b"content-length":
            length = value
        lines += (lower, b": ", value, b"\r\n")
    if length is None:
        framed = status in BODILESS and not body
    else:
        framed = length.isdigit() and int(length) == len(body)
    return b"".join(lines) if framed else None


def offered(scope: Scope) -> bool:
    """Whether the server of SCOPE's request takes a whole response in one message."""
    return EXTENSION in (scope.get("extensions") or ())


async def send_whole(
    send: Send,
    taken: bool,
    status: int,
    headers: Sequence[tuple[bytes, bytes]],
    head: bytes | None,
    body: bytes,
) -> None:
    """A complete response: in one message when the server takes it (TAKEN: offered(scope))
    and its header block HEAD could be encoded; else as the two usual messages."""
    if taken and head is not None:
        await send({"type": EXTENSION, "status": status, "head": head, "body": body})
        return
    # A copy of the headers: the server may add its own (Date, Server) to the list.
    await send({"type": "http.response.start", "status": status, "headers": [*headers]})
    await send({"type": "http.response.body", "body": body})
