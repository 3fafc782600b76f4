"""One request's work in process: the prepared operation against Strawberry's `schema.execute`.

    .venv/bin/python bench/request_profile.py --db FILE [--calls N] [--runs N] [--top N] [--code C]

The single lookup of bench/plan.py (one code with nested coverage and BETOS), a different code
each call (the codes of the January 2026 release in turn), so that nothing but the document
repeats; or always the code C (bench/plan.py's A9597: its row cached, no SQL statement). First
both paths side by side, alternating (medians, ratio); then cProfile over --calls calls of
each, its top entries by tottime and by cumtime. `PreparedSchema.prepared = False`
(schema/prepared.py) is Strawberry's own path; on a checkout without it both rows are that path.
FILE is built with `hcpcs load` when missing.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import itertools
import pstats
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from profile_options import profile_args, profile_parser
from queries import ONE_QUERY, choose_codes, execute_in_process

from hcpcs_graphql.db.connection import connect_read_only
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog

PATHS = {"prepared": True, "strawberry": False}


@contextmanager
def path(prepared: bool) -> Iterator[None]:
    kind = type(schema)
    before = getattr(kind, "prepared", None)
    if before is None:  # a checkout without the prepared operation: Strawberry's path only
        yield
        return
    kind.prepared = prepared
    try:
        yield
    finally:
        kind.prepared = before


async def run(db: Path, calls: int, runs: int, top: int, code: str | None) -> None:
    connection = await connect_read_only(db)
    try:
        catalog = await Catalog.read(connection)
        codes = itertools.cycle([code] if code else choose_codes(db).every)

        async def execute() -> Any:
            return await execute_in_process(connection, catalog, ONE_QUERY, {"code": next(codes)})

        for prepared in PATHS.values():  # warm both: parsed, validated, planned
            with path(prepared):
                await execute()
        timings: dict[str, list[float]] = {name: [] for name in PATHS}
        for index in range(runs * 2):
            name = list(PATHS)[index % 2]
            with path(PATHS[name]):
                started = time.perf_counter()
                await execute()
                timings[name].append(time.perf_counter() - started)
        medians = {name: statistics.median(values) * 1e6 for name, values in timings.items()}
        print(
            f"one code, coverage and BETOS, {code or 'a different code each call'}: "
            + ", ".join(f"{name} {value:,.1f} us" for name, value in medians.items())
            + f", prepared/strawberry {medians['prepared'] / medians['strawberry']:.2f}"
        )
        for name, prepared in PATHS.items():
            profiler = cProfile.Profile()
            with path(prepared):
                profiler.enable()
                for _ in range(calls):
                    await execute()
                profiler.disable()
            calls_made = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
            print(f"--- {name}: {calls_made / calls:,.0f} function calls a request")
            for order in ("tottime", "cumtime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
                print(f"--- {name}, {calls:,} calls, by {order}")
                print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip()))
    finally:
        await connection.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = profile_parser(__doc__, load_missing=True, calls=2000, runs=500, top=25)
    parser.add_argument("--code", help="the same code each call")
    args = profile_args(parser, argv)
    asyncio.run(run(args.db, args.calls, args.runs, args.top, args.code))
    return 0


if __name__ == "__main__":
    sys.exit(main())
