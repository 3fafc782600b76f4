"""bench/export.py's step 1: each release exported in process (the generator the server streams
from) at three chunk sizes, timed, with tracemalloc's peak streamed and held whole."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from hcpcs_graphql.db.connection import connect_read_only
from hcpcs_graphql.db.export import CHUNK_ROWS, export_chunks
from hcpcs_graphql.db.rows import ReleaseRow
from hcpcs_graphql.domain.export_format import ExportFormat
from hcpcs_graphql.services.catalog import Catalog

RELEASES = ("2026-01", "2025-10")


CHUNK_SIZES = (100, CHUNK_ROWS, 1000)


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
