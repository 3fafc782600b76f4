"""`hcpcs serve`: serve the GraphQL API."""

from __future__ import annotations

import argparse
import gc
import os
import sys

from hcpcs_graphql.cli.common import Commands, Parents, UsageError
from hcpcs_graphql.db.connection import check_database
from hcpcs_graphql.domain.calendar import today_from
from hcpcs_graphql.http.stacks import DEFAULT_STACK, STACKS


def add(commands: Commands, parents: Parents, help: str) -> None:
    command = commands.add_parser("serve", parents=[parents.db], help=help)
    command.add_argument("--host", default="127.0.0.1")
    command.add_argument("--port", type=int, default=8000)
    command.add_argument(
        "--workers",
        type=int,
        help="processes sharing the port (default: one per core this process may run on)",
    )
    command.add_argument(
        "--stack",
        choices=list(STACKS),
        help=f"uvicorn's event loop and HTTP parser (default: $HCPCS_STACK, then {DEFAULT_STACK}):"
        " asyncio with h11, asyncio with httptools, or uvloop with httptools",
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Until the app has started (http/server.py turns it back on), the collector is off: what
    # the imports and the catalog allocate lives as long as the process, so the collections it
    # would run meanwhile (about a tenth of the imports' CPU) find next to nothing to free; the
    # lifespan then freezes what is loaded.
    gc.disable()
    try:
        return _run(args)
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    from hcpcs_graphql.http import server  # noqa: PLC0415 (only the server needs uvicorn)
    from hcpcs_graphql.http.setting_kinds import SettingsError  # noqa: PLC0415
    from hcpcs_graphql.http.settings import Settings  # noqa: PLC0415

    workers = server.default_workers() if args.workers is None else args.workers
    if workers < 1:
        raise UsageError("--workers must be 1 or more")
    try:  # a bad HCPCS_* value stops here, before the port is bound, not in a worker
        settings = Settings.from_environment(os.environ)
        today_from(os.environ)
    except (SettingsError, ValueError) as error:
        raise UsageError(str(error)) from None
    releases = check_database(args.db)
    print(f"serving {args.db} (releases {', '.join(releases)})", file=sys.stderr)
    try:
        server.serve(args.db, args.host, args.port, workers, args.stack or settings.stack)
    except server.ListenError as error:
        raise UsageError(str(error)) from None
    return 0
