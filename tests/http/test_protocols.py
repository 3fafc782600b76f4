"""The guards of the HTTP protocols (http/protocols.py), on both stacks, over a socket to the real
server: a connection that sends no headers, or drips them, gets 408 and is closed; headers past
the limit get 431, a URL past its limit 414, all in JSON."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from hcpcs_graphql.http.stacks import STACKS
from tests.serving import running

SETTINGS = {"HCPCS_HEADER_SECONDS": "1", "HCPCS_MAX_HEADER_KB": "8", "HCPCS_MAX_URL_KB": "4"}


@pytest.fixture(scope="module", params=sorted(STACKS))
def address(
    request: pytest.FixtureRequest, real_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, int]]:
    log = tmp_path_factory.mktemp("log") / "server.log"
    with running(real_db, log, str(request.param), **SETTINGS) as url:
        host, port = url.removeprefix("http://").split(":")
        yield host, int(port)
    assert "Traceback" not in log.read_text(errors="replace")


def exchange(address: tuple[str, int], *parts: bytes, first: bytes = b"") -> bytes:
    """What the server answers to PARTS sent one after the other, until it closes; after the
    answer to FIRST, when given, on the same connection."""
    with socket.create_connection(address, timeout=30) as sock:
        answer = b""
        if first:
            sock.sendall(first)
            while b"\r\n\r\n" not in answer or not answer.endswith(b"}"):
                answer += sock.recv(65536)
        try:
            for part in parts:
                sock.sendall(part)
        except OSError:
            pass  # the server closed first: its answer is read below
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            answer += chunk
    return answer


def status_and_code(answer: bytes) -> tuple[int, str]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body)["errors"][0]["extensions"]["code"]


def test_a_connection_that_sends_nothing_gets_408(address: tuple[str, int]) -> None:
    assert status_and_code(exchange(address)) == (408, "REQUEST_TIMEOUT")


def test_headers_that_never_end_get_408(address: tuple[str, int]) -> None:
    answer = exchange(address, b"GET /healthz HTTP/1.1\r\nhost: x\r\n")
    assert status_and_code(answer) == (408, "REQUEST_TIMEOUT")


def test_a_kept_alive_connection_is_timed_on_its_next_request(address: tuple[str, int]) -> None:
    answer = exchange(address, b"GET /he", first=b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
    first, _, rest = answer.partition(b"HTTP/1.1 408")
    assert first.startswith(b"HTTP/1.1 200")
    assert status_and_code(b"HTTP/1.1 408" + rest) == (408, "REQUEST_TIMEOUT")


def test_headers_past_the_limit_get_431(address: tuple[str, int]) -> None:
    big = b"x-big: " + b"a" * (1024 * 1024) + b"\r\n"
    answer = exchange(address, b"GET /healthz HTTP/1.1\r\nhost: x\r\n", big, b"\r\n")
    assert status_and_code(answer) == (431, "HEADERS_TOO_LARGE")


def test_a_url_past_the_limit_gets_414(address: tuple[str, int]) -> None:
    request = b"GET /graphql?query=" + b"a" * 5000 + b" HTTP/1.1\r\nhost: x\r\n\r\n"
    assert status_and_code(exchange(address, request)) == (414, "URL_TOO_LONG")


def test_a_request_within_the_limits_is_answered(address: tuple[str, int]) -> None:
    answer = exchange(
        address, b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n", b"\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 200")


def test_a_request_that_cannot_be_parsed_gets_400_in_json(address: tuple[str, int]) -> None:
    answer = exchange(address, b"GET / HTTP/1.1\r\nbad header line\r\n\r\n")
    assert status_and_code(answer) == (400, "BAD_REQUEST")


def test_connections_past_the_limit_get_503(real_db: Path) -> None:
    with running(real_db, HCPCS_MAX_CONNECTIONS="2", HCPCS_HEADER_SECONDS="30") as url:
        host, port = url.removeprefix("http://").split(":")
        address = (host, int(port))
        idle = [socket.create_connection(address, timeout=30) for _ in range(2)]
        try:
            answer = exchange(address, b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        finally:
            for sock in idle:
                sock.close()
    # uvicorn's own answer (plain text): the one refusal that is not JSON.
    assert answer.startswith(b"HTTP/1.1 503")


def answers(exchanged: bytes) -> list[bytes]:
    """The answers of an exchange, without their Date."""
    parts = exchanged.split(b"HTTP/1.1 ")[1:]
    lines = [part.splitlines(True) for part in parts]
    return [b"".join(line for line in part if not line.startswith(b"date:")) for part in lines]


def test_an_answer_sent_again_is_the_first_byte_for_byte(address: tuple[str, int]) -> None:
    # On uvloop and httptools the answers sent again go out whole (http/whole_response.py).
    lookup = b"GET /graphql?query=%7Breleases%7Bid%7D%7D HTTP/1.1\r\nhost: x\r\n"
    close = b"connection: close\r\n"
    # Kept alive, then closed: the first two answers are the full path's (the second is kept:
    # answer_store.admits), the two others stored.
    found = [
        *answers(exchange(address, lookup + close + b"\r\n", first=lookup + b"\r\n")),
        *answers(exchange(address, lookup + close + b"\r\n", first=lookup + b"\r\n")),
    ]
    assert found[0].startswith(b"200 OK")
    # As the server frames each: closed like the full path's (httptools says so, h11 does not).
    assert found[2:] == found[:2]
    unframed = {
        b"".join(line for line in answer.splitlines(True) if not line.lower().startswith(b"conn"))
        for answer in found
    }
    assert unframed == {found[0]}
    metrics = exchange(address, b"GET /metrics HTTP/1.1\r\nhost: x\r\n" + close + b"\r\n")
    assert b'hcpcs_response_cache_total{result="hit"} 2.0' in metrics
