"""`hcpcs update`: fetch the releases newer than the database's, check and load them."""

from __future__ import annotations

import argparse
import sys

from hcpcs_graphql.cli.common import Commands, Parents, Progress, report_loads
from hcpcs_graphql.cli.fetch import links, sourcing
from hcpcs_graphql.db.connection import check_database
from hcpcs_graphql.db.loader import load
from hcpcs_graphql.ingest.sources import find_releases


def add(commands: Commands, parents: Parents, help: str) -> None:
    command = commands.add_parser(
        "update",
        parents=[parents.db, sourcing(), parents.fewer],
        help=help,
        description="Fetch what is new (the releases after the newest loaded; the latest one "
        "into a new database), check each release and load it.",
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    newest = check_database(args.db)[0] if args.db.exists() else None
    fetched = links(args, [], latest=newest is None, after=newest)
    if not fetched:
        print(f"{args.db} is up to date: {args.source} offers no release after {newest}")
        return 0
    found = [source for entry in fetched for source in find_releases(entry.path(args.cache))]
    progress = Progress(sys.stderr)
    summaries = load(args.db, found, progress, args.allow_fewer_codes)
    progress.clear()
    return report_loads(summaries)
