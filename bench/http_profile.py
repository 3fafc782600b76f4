"""The HTTP layers' work per request, in process: the whole app called as ASGI (no socket), the
answer store off (every request executes), on the real January 2026 release.

    .venv/bin/python bench/http_profile.py --db FILE [--calls N] [--top N] [--sort S] [--code DIR]

Two requests: (b) of bench/cache.py, a GET of the single-code lookup with a different code (and
nonce) each call, and the 100-code page of bench/page_profile.py as a POST. For each: the median
wall time per request, the Python function calls per request (cProfile's count: the same on any
machine), by package, and cProfile's top entries. --code DIR runs another checkout's package.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import itertools
import json
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import paths  # noqa: F401 (first: it puts this repository first on sys.path)

os.environ["HCPCS_RESPONSE_CACHE_MB"] = "0"
if "--code" in sys.argv:  # another checkout's package, before anything imports it
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--code") + 1]).resolve()))

from lookups import distinct_codes, variables_path
from profile_options import profile_args, profile_parser
from queries import CODES_QUERY, choose_codes

import hcpcs_graphql
from hcpcs_graphql.http.app import create_app

Message = dict[str, Any]


class Driver:
    """Calls the app as a server would: one scope, one body message, the answer collected."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def lifespan(self) -> Callable[[], Any]:
        sent: asyncio.Queue[Message] = asyncio.Queue()
        received: asyncio.Queue[Message] = asyncio.Queue()
        await sent.put({"type": "lifespan.startup"})
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        task = asyncio.ensure_future(self.app(scope, sent.get, received.put))
        message = await received.get()
        assert message["type"] == "lifespan.startup.complete", message

        async def stop() -> None:
            await sent.put({"type": "lifespan.shutdown"})
            await received.get()
            await task

        return stop

    async def request(
        self, method: str, path: str, query: bytes, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> tuple[int, bytes]:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query,
            "root_path": "",
            "headers": [(b"host", b"localhost"), *headers],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        status = 0
        chunks: list[bytes] = []

        async def receive() -> Message:
            return messages.pop() if messages else {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            else:
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(chunks)


def distinct_gets(db: Path) -> Iterator[tuple[str, str, bytes, list[tuple[bytes, bytes]], bytes]]:
    codes = distinct_codes(db)
    for nonce in itertools.count():
        url = variables_path({"code": codes[nonce % len(codes)], "nonce": nonce})
        path, _, query = url.partition("?")
        yield "GET", path, query.encode(), [(b"accept", b"*/*")], b""


def page_posts(db: Path) -> Iterator[tuple[str, str, bytes, list[tuple[bytes, bytes]], bytes]]:
    body = json.dumps({"query": CODES_QUERY, "variables": {"codes": choose_codes(db).hundred}})
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"accept", b"*/*"),
    ]
    while True:
        yield "POST", "/graphql", b"", headers, body.encode()


GROUPS = (
    ("hcpcs_graphql/http/", "hcpcs_graphql.http"),
    ("hcpcs_graphql/", "hcpcs_graphql (other)"),
    ("starlette/", "starlette"),
    ("strawberry/http/", "strawberry.http"),
    ("cross_web/", "cross_web"),
    ("strawberry/", "strawberry (other)"),
    ("graphql/", "graphql-core"),
    ("aiosqlite/", "aiosqlite"),
    ("asyncio/", "asyncio"),
    ("bench/", "this driver"),
)


def _groups(stats: pstats.Stats) -> dict[str, tuple[int, float]]:
    """Calls and own time (tottime) by package: where each layer's work goes."""
    found: dict[str, tuple[int, float]] = {}
    for (filename, _, _), (_, calls, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        group = next((name for part, name in GROUPS if part in filename), "builtins, stdlib")
        count, seconds = found.get(group, (0, 0.0))
        found[group] = (count + calls, seconds + tottime)
    return found


async def main(arguments: argparse.Namespace) -> None:
    print(f"code: {Path(hcpcs_graphql.__file__).parent.parent}, load: {os.getloadavg()}")
    app = create_app(arguments.db)
    driver = Driver(app)
    stop = await driver.lifespan()
    cases = {"(b) distinct GET": distinct_gets(arguments.db), "page POST": page_posts(arguments.db)}
    for name, requests in cases.items():
        for _ in range(20):  # warm-up: caches, the row cache
            status, body = await driver.request(*next(requests))
            assert status == 200, (status, body[:300])
            assert b'"errors"' not in body, body[:300]
        walls = []
        for _ in range(arguments.calls):
            started = time.perf_counter()
            await driver.request(*next(requests))
            walls.append(time.perf_counter() - started)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(arguments.calls):
            await driver.request(*next(requests))
        profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        print(
            f"{name}: median {statistics.median(walls) * 1e6:.0f} us,"
            f" {stats.total_calls / arguments.calls:.0f} function calls per request"  # type: ignore[attr-defined]
        )
        for group, (calls, seconds) in sorted(_groups(stats).items(), key=lambda item: -item[1][0]):
            print(
                f"  {group:24} {calls / arguments.calls:7.0f} calls"
                f" {seconds / arguments.calls * 1e6:7.0f} us (tottime) per request"
            )
        if arguments.top:
            stats.sort_stats(arguments.sort).print_stats(arguments.top)
            print(out.getvalue())
    await stop()


if __name__ == "__main__":
    parser = profile_parser(__doc__, load_missing=False, calls=200, top=25)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--code", type=Path, help="the checkout whose package runs")
    asyncio.run(main(profile_args(parser, None)))
    sys.exit(0)
