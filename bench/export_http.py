"""bench/export.py's steps 3 and 4, over HTTP: each export downloaded (first byte, last byte),
the server's memory around sequential and concurrent downloads, and a slow reader past the
request deadline."""

from __future__ import annotations

import concurrent.futures
import socket
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from export_in_process import RELEASES
from paths import HOST, BenchError
from processes import Server

from hcpcs_graphql.domain.export_format import ExportFormat

CONCURRENT = 8


SLOW_DEADLINE_S = 1


SLOW_READ_BYTES = 32 * 1024


SLOW_READ_PAUSE_S = 0.02


SLOW_RECEIVE_BUFFER = 32 * 1024


@dataclass
class Download:
    release: str
    format: str
    bytes: int
    first_byte_median_ms: float
    total_median_ms: float


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (the peak so far) of a process."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found


def download(client: httpx.Client, url: str) -> tuple[float, float, bytes]:
    """(ms to the first byte of the body, ms to the last, the body)."""
    started = time.perf_counter()
    first = 0.0
    pieces: list[bytes] = []
    with client.stream("GET", url) as response:
        if response.status_code != 200:
            raise BenchError(f"GET {url}: {response.status_code}")
        for piece in response.iter_raw():
            if not pieces:
                first = time.perf_counter() - started
            pieces.append(piece)
    return first * 1000, (time.perf_counter() - started) * 1000, b"".join(pieces)


def measure_downloads(
    server: Server, expected: dict[tuple[str, str], bytes], runs: int
) -> tuple[list[Download], dict[str, int], float]:
    pid = server.process.pid
    rss = {f"{name}_start": value for name, value in memory_kib(pid).items()}
    results = []
    with httpx.Client(timeout=60.0) as client:
        for release_id in RELEASES:
            for export_format in ExportFormat:
                url = f"{server.url}/export/{release_id}{export_format.suffix}"
                timings = []
                for _ in range(runs + 1):  # the first is a warm-up
                    first, total, body = download(client, url)
                    if body != expected[release_id, export_format.value]:
                        raise BenchError(f"GET {url}: not the bytes of the export")
                    timings.append((first, total))
                timings = timings[1:]
                results.append(
                    Download(
                        release_id,
                        export_format.value,
                        len(body),
                        statistics.median(first for first, _ in timings),
                        statistics.median(total for _, total in timings),
                    )
                )
                print(
                    f"  GET /export/{release_id}{export_format.suffix}: first byte"
                    f" {results[-1].first_byte_median_ms:.1f} ms,"
                    f" last {results[-1].total_median_ms:.1f} ms",
                    flush=True,
                )
    rss.update({f"{name}_sequential": value for name, value in memory_kib(pid).items()})
    url = f"{server.url}/export/2026-01.ndjson"

    def one(_: int) -> int:
        with httpx.Client(timeout=60.0) as client:
            return len(download(client, url)[2])

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(CONCURRENT) as pool:
        sizes = list(pool.map(one, range(CONCURRENT)))
    concurrent_s = time.perf_counter() - started
    if sizes != [len(expected["2026-01", "ndjson"])] * CONCURRENT:
        raise BenchError(f"concurrent downloads got {sizes} bytes")
    rss.update({f"{name}_concurrent": value for name, value in memory_kib(pid).items()})
    print(
        f"  {CONCURRENT} concurrent downloads of 2026-01.ndjson: {concurrent_s:.2f} s", flush=True
    )
    return results, rss, concurrent_s


def slow_client(server: Server, expected: bytes) -> dict[str, Any]:
    """Read 2026-01.ndjson slowly through a small receive buffer from a server whose request
    deadline is SLOW_DEADLINE_S: the download must take longer and arrive whole."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SLOW_RECEIVE_BUFFER)
        sock.connect((HOST, server.port))
        sock.sendall(
            b"GET /export/2026-01.ndjson HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
        )
        started = time.perf_counter()
        received = bytearray()
        at_deadline = None
        while piece := sock.recv(SLOW_READ_BYTES):
            received += piece
            if at_deadline is None and time.perf_counter() - started >= SLOW_DEADLINE_S:
                at_deadline = len(received)
            time.sleep(SLOW_READ_PAUSE_S)
        seconds = time.perf_counter() - started
    head, _, chunked = bytes(received).partition(b"\r\n\r\n")
    body = dechunk(chunked)
    # What the server can have written by the deadline: what the client had read, plus the
    # kernel's buffers (the client's receive buffer and at most tcp_wmem's maximum on the
    # server's side) and asyncio's 64 KiB write buffer.
    send_max = int(Path("/proc/sys/net/ipv4/tcp_wmem").read_text().split()[2])
    written_bound = (at_deadline or len(received)) + 2 * SLOW_RECEIVE_BUFFER + send_max + 65536
    return {
        "status_line": head.split(b"\r\n")[0].decode(),
        "seconds": seconds,
        "deadline_s": SLOW_DEADLINE_S,
        "bytes": len(body),
        "whole": body == expected,
        "read_by_deadline": at_deadline,
        "server_written_by_deadline_at_most": written_bound,
        "server_still_sending_at_deadline": written_bound < len(received),
    }


def dechunk(data: bytes) -> bytes:
    body = bytearray()
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        body += data[:size]
        data = data[size + 2 :]
    return bytes(body)
