"""Where a typeahead's time goes, in process (no HTTP): every text of bench/search.py's
typeahead variants through `search(text:, first: 10)` as the bench asks for it
(`schema.execute` with a context from `make_context`, as the tests run a query), several times (the
first pass warms SQLite's page cache and the parsed-document cache), then a list of the slowest
texts, each by its best later pass, with its time, its SQL statements, and the time spent
waiting for each (`execute_fetchall` awaited: SQLite's work in aiosqlite's thread and the hand-off),
the rest being Python.

    .venv/bin/python bench/typeahead_profile.py [--db FILE] [--top N] [--step N]
        [--profile TEXT ...]

`--step 0` leaves SQLite at speed (the server's own statement clock instead of a counter every
100 instructions, which calls into Python and makes SQL look three times slower), and then
reports no VM steps. Beside each variant's best pass it prints the first pass's p99: the cost
of a text seen for the first time, before anything is kept (services/search_cache.py).

`--profile TEXT` also prints a cProfile of the main thread for those texts (the Python side;
SQLite runs in aiosqlite's thread, so its time shows there as waiting). Times are of this
machine at this moment: compare variants within one run only (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import json
import pstats
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPOSITORY = BENCH.parent
# --code DIR: the package of another checkout (a baseline), imported instead of this one's.
CODE = Path(sys.argv[sys.argv.index("--code") + 1]) if "--code" in sys.argv else REPOSITORY
sys.path[:0] = [str(CODE), str(BENCH)]
# Bound to CODE before bench/paths.py puts this repository first (its tests import the package).
import hcpcs_graphql  # noqa: E402, F401

# isort: split

from search_requests import SEARCH_QUERY  # noqa: E402
from search_texts import TYPEAHEAD, choose_texts  # noqa: E402

from hcpcs_graphql.db.connection import connect_read_only, statement_clock  # noqa: E402
from hcpcs_graphql.schema.schema import schema  # noqa: E402
from hcpcs_graphql.services.catalog import Catalog  # noqa: E402
from hcpcs_graphql.services.context import make_context  # noqa: E402

DEFAULT_DB = REPOSITORY.parent / "hcpcs.db"
STEP = 100
"""Virtual-machine instructions between two calls of the progress handler that counts them."""


@dataclass
class Timed:
    variant: str
    text: str
    ms: float
    statements: list[str]
    sql_ms: list[float]
    """The time awaited for each `execute_fetchall`."""
    total: int
    gc_ms: float
    """Of MS, the garbage collector's pauses."""
    steps: int
    """SQLite's virtual-machine instructions, in hundreds: the statements' work on any machine
    (not the work of FTS5's C code, such as bm25, which runs outside the virtual machine)."""


def own_statements(statement: str) -> bool:
    # Not those FTS5 runs on its own tables (as tests/conftest.py's `statements` fixture).
    return not statement.startswith("--") and "'main'." not in statement


async def count_steps(connection: Any, every: int) -> list[int]:
    """A counter of the connection's VM instructions in EVERYs: the statement clock's progress
    handler replaced by one without its limit; none (the clock kept) when EVERY is 0."""
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    if every:
        await connection.set_progress_handler(step, every)
    return steps


async def run_all(
    db: Path, texts: dict[str, list[str]], passes: int, data: dict[str, Any], every: int
) -> tuple[list[Timed], list[Timed]]:
    """Each text's best pass after the first, and the first (cold: nothing kept yet)."""
    connection = await connect_read_only(db)
    try:
        catalog = await Catalog.read(connection)
        # As the app's lifespan does: what is loaded at start-up stays out of the collector's way.
        gc.collect()
        gc.freeze()
        pauses: list[float] = []

        def collector(phase: str, _info: dict[str, int]) -> None:
            pauses.append(time.perf_counter() if phase == "start" else -time.perf_counter())

        gc.callbacks.append(collector)
        seen: list[str] = []
        statement_clock(connection).listeners.append(
            lambda statement: seen.append(statement) if own_statements(statement) else None
        )
        steps = await count_steps(connection, every)
        waited: list[float] = []
        plain = connection.execute_fetchall

        async def timed(sql: str, parameters: Any = None) -> Any:
            start = time.perf_counter()
            try:
                return await plain(sql, parameters)
            finally:
                waited.append((time.perf_counter() - start) * 1000)

        connection.execute_fetchall = timed  # type: ignore[method-assign, assignment]
        passes_made: list[list[Timed]] = []
        for _ in range(passes):
            latest = []
            for variant, variant_texts in texts.items():
                for text in variant_texts:
                    seen.clear()
                    waited.clear()
                    steps[0] = 0
                    pauses.clear()
                    context = make_context(connection, catalog)
                    start = time.perf_counter()
                    result = await schema.execute(
                        SEARCH_QUERY, variable_values={"t": text}, context_value=context
                    )
                    elapsed = (time.perf_counter() - start) * 1000
                    if result.errors or result.data is None:
                        raise SystemExit(f"{text!r}: {result.errors}")
                    total = int(result.data["search"]["totalCount"])
                    gc_ms = -sum(pauses) * 1000
                    latest.append(
                        Timed(
                            variant, text, elapsed, list(seen), list(waited), total, gc_ms, steps[0]
                        )
                    )
                    data[text] = result.data
            passes_made.append(latest)
        gc.callbacks.remove(collector)
        # Each text's best pass after the first (which warms the caches): the least noise.
        later = passes_made[1:] or passes_made
        best = [min(timings, key=lambda item: item.ms) for timings in zip(*later, strict=True)]
        return best, passes_made[0]
    finally:
        await connection.close()


async def profile(db: Path, texts: Sequence[str]) -> str:
    connection = await connect_read_only(db)
    try:
        catalog = await Catalog.read(connection)
        for text in texts:  # warm
            await schema.execute(
                SEARCH_QUERY,
                variable_values={"t": text},
                context_value=make_context(connection, catalog),
            )
        profiler = cProfile.Profile()
        profiler.enable()
        for text in texts:
            await schema.execute(
                SEARCH_QUERY,
                variable_values={"t": text},
                context_value=make_context(connection, catalog),
            )
        profiler.disable()
    finally:
        await connection.close()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--profile", nargs="*", default=[])
    parser.add_argument("--code", type=Path, help="the checkout whose package to run")
    parser.add_argument("--dump", type=Path, help="write each text's data as JSON to DUMP")
    parser.add_argument(
        "--step",
        type=int,
        default=STEP,
        help="VM instructions between two counts (0: none, the server's own clock, SQL at speed)",
    )
    args = parser.parse_args(argv)
    chosen = choose_texts(args.db).by_variant
    texts = {variant: chosen[variant] for variant in TYPEAHEAD}
    data: dict[str, Any] = {}
    timed, cold = asyncio.run(run_all(args.db, texts, args.passes, data, args.step))
    if args.dump:
        args.dump.write_text(json.dumps(data, indent=1, sort_keys=True))
    every = sorted(item.ms for item in timed)
    print(f"{len(timed)} texts; load average {Path('/proc/loadavg').read_text().split()[:3]}")
    print(
        f"all: median {statistics.median(every):.2f} ms,"
        f" p99 {every[int(len(every) * 0.99)]:.2f} ms, max {every[-1]:.2f} ms,"
        f" statements {sum(len(item.statements) for item in timed)}"
    )
    for variant in TYPEAHEAD:
        mine = sorted(item.ms for item in timed if item.variant == variant)
        counts = [len(item.statements) for item in timed if item.variant == variant]
        waits = [sum(item.sql_ms) for item in timed if item.variant == variant]
        work = [item.steps for item in timed if item.variant == variant]
        first = sorted(item.ms for item in cold if item.variant == variant)
        print(
            f"  {variant:24} n={len(mine):4} median {statistics.median(mine):6.2f}"
            f" p99 {mine[int(len(mine) * 0.99)]:6.2f} max {mine[-1]:6.2f} ms"
            f" (1st pass p99 {first[int(len(first) * 0.99)]:6.2f});"
            f" statements/text {statistics.mean(counts):.2f};"
            f" SQL {statistics.mean(waits):.2f} ms/text;"
            f" VM steps x{args.step} mean {statistics.mean(work):.0f} max {max(work)}"
        )
    print(f"garbage collector: {sum(item.gc_ms for item in timed):.1f} ms in all")
    print(
        f"\nthe {args.top} slowest: ms, of which gc, VM steps, statements, ms awaiting SQL (each),"
        " totalCount, text"
    )
    for item in sorted(timed, key=lambda item: -item.ms)[: args.top]:
        sql = item.sql_ms
        print(
            f"{item.ms:7.2f} gc {item.gc_ms:5.2f} steps {item.steps:5}"
            f" {len(item.statements):2} sql {sum(sql):6.2f}"
            f" [{', '.join(f'{ms:.2f}' for ms in sql)}] {item.total:5} {item.variant[:4]}"
            f" {item.text!r}"
        )
    if args.profile:
        print(asyncio.run(profile(args.db, args.profile)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
