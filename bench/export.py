"""Benchmark of exporting a release (CSV and NDJSON) on the real CMS releases.

Run from anywhere (the paths come from this file's location):

    .venv/bin/python bench/export.py [--db FILE] [--runs N] [--json OUT]

It measures, in one run: the time to export each release in each format in process (the
generator the server streams from, at three chunk sizes) and the memory it holds at its peak
(tracemalloc) beside the export's size and the peak of the same export held whole; `hcpcs
export` as a command; `hcpcs load` of each export; and over HTTP (`hcpcs serve`): time to the
first byte and to the last of each download, the server's peak resident memory before and after
sequential and concurrent downloads, and a client that reads slowly past the request deadline.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import aiosqlite
import httpx

# bench/serve.py's helpers: processes, the releases' folders and the results.
from serve import (
    DATA,
    HOST,
    JANUARY_2026,
    LOAD_TIMEOUT_S,
    OCTOBER_2025,
    REPO,
    BenchError,
    Processes,
    Server,
    hcpcs_command,
    run_bench,
    run_load,
    wait_healthy,
    work_folder,
)

from hcpcs_graphql.db.connection import connect_read_only
from hcpcs_graphql.db.export import CHUNK_ROWS, export_chunks
from hcpcs_graphql.db.rows import ReleaseRow
from hcpcs_graphql.domain.export_format import ExportFormat, export_name
from hcpcs_graphql.services.catalog import Catalog

RELEASES = ("2026-01", "2025-10")
CHUNK_SIZES = (100, CHUNK_ROWS, 1000)
CONCURRENT = 8
SLOW_DEADLINE_S = 1
SLOW_READ_BYTES = 32 * 1024
SLOW_READ_PAUSE_S = 0.02
SLOW_RECEIVE_BUFFER = 32 * 1024


@dataclass
class InProcess:
    release: str
    format: str
    chunk_rows: int
    codes: int
    bytes: int
    median_ms: float
    peak_streamed_kib: float
    """tracemalloc peak while the export is read and each chunk dropped."""
    peak_whole_kib: float
    """tracemalloc peak when the same export is joined into one bytes object."""


@dataclass
class Command:
    release: str
    format: str
    export_median_s: float
    """`hcpcs export RELEASE --output FILE`, wall time from spawn to exit."""
    load_median_s: float
    """`hcpcs load FILE` into a fresh database, wall time."""


@dataclass
class Download:
    release: str
    format: str
    bytes: int
    first_byte_median_ms: float
    total_median_ms: float


@dataclass
class Report:
    environment: dict[str, Any]
    in_process: list[InProcess]
    commands: list[Command]
    downloads: list[Download]
    rss_kib: dict[str, int]
    concurrent_s: float
    slow_client: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


# --- in process ----------------------------------------------------------------------------


async def stream(
    connection: aiosqlite.Connection,
    release: ReleaseRow,
    export_format: ExportFormat,
    chunk_rows: int,
) -> int:
    """Read the export as the server streams it, dropping each chunk: its size."""
    size = 0
    async for chunk in export_chunks(connection, release, export_format, chunk_rows):
        size += len(chunk)
    return size


async def whole(
    connection: aiosqlite.Connection,
    release: ReleaseRow,
    export_format: ExportFormat,
    chunk_rows: int,
) -> bytes:
    """The export held whole, as a server that buffers it would."""
    chunks = [
        chunk async for chunk in export_chunks(connection, release, export_format, chunk_rows)
    ]
    return b"".join(chunks)


async def measure_in_process(db: Path, runs: int) -> list[InProcess]:
    connection = await connect_read_only(db)
    try:
        catalog = await Catalog.read(connection)
        results = []
        for release_id in RELEASES:
            release = catalog.release(release_id)
            for export_format in ExportFormat:
                for chunk_rows in CHUNK_SIZES:
                    work = (connection, release, export_format, chunk_rows)
                    await stream(*work)  # warm-up
                    times = []
                    for _ in range(runs):
                        started = time.perf_counter()
                        size = await stream(*work)
                        times.append((time.perf_counter() - started) * 1000)
                    item = InProcess(
                        release=release_id,
                        format=export_format.value,
                        chunk_rows=chunk_rows,
                        codes=release.code_count,
                        bytes=size,
                        median_ms=statistics.median(times),
                        peak_streamed_kib=await traced_peak(stream(*work)),
                        peak_whole_kib=await traced_peak(whole(*work)),
                    )
                    results.append(item)
                    print(
                        f"  {release_id} {export_format.value:<6} {chunk_rows:>6} rows a chunk:"
                        f" {item.median_ms:7.1f} ms",
                        flush=True,
                    )
        return results
    finally:
        await connection.close()


async def traced_peak(work: Awaitable[object]) -> float:
    """The peak of Python memory (KiB) that WORK (an awaitable) allocates beyond what it keeps."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        await work
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return (peak - before) / 1024


# --- commands ------------------------------------------------------------------------------


def measure_commands(db: Path, work: Path, runs: int) -> list[Command]:
    hcpcs = str(hcpcs_command())
    results = []
    for release_id in RELEASES:
        for export_format in ExportFormat:
            output = work / export_name(release_id, export_format)
            exports = []
            for _ in range(runs):
                output.unlink(missing_ok=True)
                started = time.perf_counter()
                subprocess.run(
                    [hcpcs, "export", release_id, "--db", str(db), "--output", str(output)],
                    stdin=subprocess.DEVNULL,
                    check=True,
                    timeout=LOAD_TIMEOUT_S,
                )
                exports.append(time.perf_counter() - started)
            loads = [run_load(output, work / "reloaded.db")[0] for _ in range(min(runs, 3))]
            command = Command(
                release_id,
                export_format.value,
                statistics.median(exports),
                statistics.median(loads),
            )
            results.append(command)
            print(
                f"  {release_id} {export_format.value:<6} export {command.export_median_s:.2f} s,"
                f" load {command.load_median_s:.2f} s",
                flush=True,
            )
    return results


# --- over HTTP -----------------------------------------------------------------------------


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


# --- the run -------------------------------------------------------------------------------


def prepare(requested: Path | None, work: Path) -> Path:
    if requested is not None and requested.exists():
        print(f"reusing {requested}", flush=True)
        return requested
    db = requested or work / "releases.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(hcpcs_command()), "load", str(JANUARY_2026), str(OCTOBER_2025), "--db", str(db)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=True,
        timeout=LOAD_TIMEOUT_S,
    )
    return db


def run(args: argparse.Namespace) -> Report:
    if not JANUARY_2026.is_dir() or not OCTOBER_2025.is_dir():
        raise BenchError(f"the CMS release files are expected in {DATA}")
    environment = {
        "commit": subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
        ).stdout.strip(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "runs": args.runs,
    }
    hcpcs = str(hcpcs_command())
    with work_folder() as work:
        db = prepare(args.db, work)
        print("1. in process (export_chunks, each chunk dropped)", flush=True)
        in_process = asyncio.run(measure_in_process(db, args.runs))
        print("2. hcpcs export and hcpcs load of the export (wall time)", flush=True)
        commands = measure_commands(db, work, args.runs)
        expected = {
            (release_id, export_format.value): (
                work / export_name(release_id, export_format)
            ).read_bytes()
            for release_id in RELEASES
            for export_format in ExportFormat
        }
        processes = Processes(work)
        try:
            print("3. over HTTP (hcpcs serve)", flush=True)
            server = processes.start(
                "hcpcs-serve", [hcpcs, "serve", "--db", str(db), "--workers", "1"]
            )
            wait_healthy(server, time.perf_counter())
            downloads, rss, concurrent_s = measure_downloads(server, expected, args.runs)
            processes.stop(server)
            print(f"4. a slow client, request deadline {SLOW_DEADLINE_S} s", flush=True)
            server = processes.start(
                "hcpcs-serve-deadline",
                [hcpcs, "serve", "--db", str(db), "--workers", "1"],
                {"HCPCS_REQUEST_SECONDS": str(SLOW_DEADLINE_S)},
            )
            wait_healthy(server, time.perf_counter())
            slow = slow_client(server, expected["2026-01", "ndjson"])
        finally:
            processes.stop_all()
    environment["load_average_after"] = os.getloadavg()
    return Report(environment, in_process, commands, downloads, rss, concurrent_s, slow)


def print_report(report: Report) -> None:
    print()
    print(
        f"{'release':<8} {'format':<7} {'chunk':>6} {'bytes':>10} {'ms':>8}"
        f" {'peak KiB':>9} {'whole KiB':>10}"
    )
    for item in report.in_process:
        print(
            f"{item.release:<8} {item.format:<7} {item.chunk_rows:>6} {item.bytes:>10,}"
            f" {item.median_ms:>8.1f} {item.peak_streamed_kib:>9.0f} {item.peak_whole_kib:>10.0f}"
        )
    print("peak: tracemalloc peak while streaming (chunks dropped); whole: the export joined")
    print()
    for command in report.commands:
        print(
            f"hcpcs export {command.release} {command.format}: {command.export_median_s:.2f} s;"
            f" hcpcs load of it: {command.load_median_s:.2f} s"
        )
    print()
    for got in report.downloads:
        print(
            f"GET /export/{got.release}.{got.format}: {got.bytes:,} bytes, first byte"
            f" {got.first_byte_median_ms:.1f} ms, last {got.total_median_ms:.1f} ms"
        )
    print(f"{CONCURRENT} concurrent downloads of 2026-01.ndjson: {report.concurrent_s:.2f} s")
    print("server memory (KiB):", ", ".join(f"{k} {v:,}" for k, v in report.rss_kib.items()))
    slow = report.slow_client
    print(
        f"slow client: {slow['status_line']}, {slow['bytes']:,} bytes in {slow['seconds']:.1f} s"
        f" with a {slow['deadline_s']} s request deadline, whole: {slow['whole']};"
        f" the server was still sending at the deadline: {slow['server_still_sending_at_deadline']}"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        type=Path,
        help="a database holding 2026-01 and 2025-10: reused when it exists, else both are"
        " loaded into it (default: a temporary file)",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of each timing (default: 5)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the results to OUT")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    return run_bench(parse_args(argv), run, print_report)


if __name__ == "__main__":
    sys.exit(main())
