"""The top entries of a py-spy profile (`py-spy record --format raw`: one stack a line,
`frame;frame;... count`): where the server's time goes, per thread, by function inclusive of
what it calls and by function alone. See bench/README.md (Profiling a lookup).

    .venv/bin/python bench/profile_top.py profile.raw [--top N] [--match TEXT ...]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path


def read(path: Path) -> list[tuple[list[str], int]]:
    stacks = []
    for line in path.read_text().splitlines():
        frames, _, count = line.rpartition(" ")
        if frames:
            stacks.append((frames.split(";"), int(count)))
    return stacks


def function(frame: str) -> str:
    """`name (file:line)` without the line: one entry a function."""
    name, _, where = frame.partition(" (")
    return f"{name} ({where.rsplit(':', 1)[0]})" if where else name


# Where a sample's time goes: the first frame from the innermost outwards that is not the
# standard library's decides, by the file it is in (the first prefix of its path).
LAYERS = [
    ("graphql/execution", "graphql-core: execution"),
    ("graphql/validation", "graphql-core: validation"),
    ("graphql/language", "graphql-core: parsing"),
    ("graphql/", "graphql-core: other"),
    ("strawberry/extensions", "Strawberry: extensions"),
    ("strawberry/dataloader", "resolvers and data (hcpcs, DataLoader)"),
    ("strawberry/schema", "Strawberry: schema (execute, conversion)"),
    ("strawberry/types", "Strawberry: schema (execute, conversion)"),
    ("strawberry/http", "Strawberry: HTTP view"),
    ("strawberry/asgi", "Strawberry: HTTP view"),
    ("strawberry/", "Strawberry: other"),
    ("cross_web", "Strawberry: HTTP view"),
    ("hcpcs_graphql/http/app.py", "Strawberry: HTTP view"),
    ("hcpcs_graphql/http/graphql_view.py", "the GraphQL view (graphql_view.py)"),
    ("hcpcs_graphql/http/httptools_protocol.py", "uvicorn and h11"),
    ("hcpcs_graphql/http/whole_response.py", "uvicorn and h11"),
    ("hcpcs_graphql/services/context.py", "context set-up"),
    ("hcpcs_graphql/services/loaders.py", "context set-up"),
    ("hcpcs_graphql/http/middleware/caching.py", "HTTP cache (its parse, key, ETag, store)"),
    ("hcpcs_graphql/http/middleware/metrics.py", "metrics"),
    ("hcpcs_graphql/http/stored_answers.py", "stored answers and their store"),
    ("hcpcs_graphql/http/answer_store.py", "stored answers and their store"),
    ("hcpcs_graphql/http/live.py", "live publishing (its stat)"),
    ("hcpcs_graphql/db/health.py", "live publishing (its stat)"),
    ("hcpcs_graphql/http/protocols.py", "uvicorn and h11"),
    ("hcpcs_graphql/domain/calendar.py", "the day (calendar.py)"),
    ("hcpcs_graphql/http/middleware/", "Starlette and middleware"),
    ("prometheus_client", "metrics"),
    ("hcpcs_graphql/", "resolvers and data (hcpcs, DataLoader)"),
    ("aiosqlite", "resolvers and data (hcpcs, DataLoader)"),
    ("starlette", "Starlette and middleware"),
    ("uvicorn", "uvicorn and h11"),
    ("h11", "uvicorn and h11"),
    ("asyncio", "asyncio loop and sockets"),
    ("selectors", "asyncio loop and sockets"),
]


def layer(frames: Sequence[str]) -> str:
    for frame in reversed(frames):
        where = frame.rpartition(" (")[2]
        for fragment, name in LAYERS:
            if where.startswith(fragment):
                return name
    return "other"


EVENT_LOOP = ("asyncio/runners.py", "asyncio/base_events.py")
"""Where the event loop's thread runs from: uvicorn runs it under asyncio.run (runners.py), and
an older uvicorn under loop.run_forever (base_events.py); uvloop's own loop is native code, not
a frame of these stacks."""


def thread(frames: Sequence[str]) -> str:
    """The event loop's thread (uvicorn's), or another (aiosqlite's, one a connection)."""
    running = any(frame.rpartition(" (")[2].startswith(EVENT_LOOP) for frame in frames)
    return "event loop" if running else "other threads"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--match", nargs="*", default=[], help="also give the share of stacks holding each text"
    )
    args = parser.parse_args(argv)
    stacks = read(args.profile)
    total = sum(count for _, count in stacks)
    if not total:
        print(f"{args.profile}: no samples", file=sys.stderr)
        return 1
    threads: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    alone: Counter[str] = Counter()
    layers: Counter[str] = Counter()
    for frames, count in stacks:
        threads[thread(frames)] += count
        if thread(frames) != "event loop":
            continue
        for name in {function(frame) for frame in frames}:
            inclusive[name] += count
        alone[function(frames[-1])] += count
        layers[layer(frames)] += count
    loop = threads["event loop"]
    print(
        f"{total} samples: " + ", ".join(f"{name} {n / total:.1%}" for name, n in threads.items())
    )
    print(f"\nevent loop thread, by layer (share of its {loop} samples):")
    for name, count in layers.most_common():
        print(f"  {count / loop:6.1%}  {name}")
    for title, counts in (("inclusive", inclusive), ("self", alone)):
        print(f"\nevent loop thread, {title} (share of its {loop} samples):")
        for name, count in counts.most_common(args.top):
            print(f"  {count / loop:6.1%}  {name}")
    if args.match:
        print("\nevent loop stacks holding:")
        for text in args.match:
            count = sum(
                n
                for frames, n in stacks
                if thread(frames) == "event loop" and text in ";".join(frames)
            )
            print(f"  {count / loop:6.1%}  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
