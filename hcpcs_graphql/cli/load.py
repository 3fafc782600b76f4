"""`hcpcs load PATH...`: load CMS release files into a database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hcpcs_graphql.cli.common import Commands, Parents, Progress, report_loads, sources
from hcpcs_graphql.db.loader import load


def add(commands: Commands, parents: Parents, help: str) -> None:
    command = commands.add_parser(
        "load",
        parents=[parents.db, parents.release, parents.fewer],
        help=help,
        description="Load CMS HCPCS releases: a release zip as CMS publishes it, a folder of a "
        "release's files, or one ANWEB .txt or .xlsx file. Loading a release again replaces it.",
    )
    command.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    progress = Progress(sys.stderr)
    summaries = load(args.db, sources(args.paths, args.release), progress, args.allow_fewer_codes)
    progress.clear()
    return report_loads(summaries)
