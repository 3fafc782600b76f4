"""`hcpcs diff FROM TO`: what changed between two releases."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from hcpcs_graphql.cli.common import STDOUT, Commands, Parents, UsageError, is_stdout, loaded
from hcpcs_graphql.cli.common import output as open_output
from hcpcs_graphql.cli.diff_report import parse_fields, report
from hcpcs_graphql.db.connection import check_database


def add(commands: Commands, parents: Parents, help: str) -> None:
    command = commands.add_parser(
        "diff",
        parents=[parents.db],
        help=help,
        description="Compare two loaded releases code by code and field by field: print how "
        "many codes were added, removed, discontinued, reactivated or changed, and how many "
        "changed in each field; --csv writes every change, one row per code and field.",
    )
    command.add_argument("older", metavar="FROM", help="the release compared from, YYYY-MM")
    command.add_argument("newer", metavar="TO", help="the release compared to, YYYY-MM")
    command.add_argument(
        "--csv",
        type=Path,
        metavar="FILE",
        help=f"write every change here ({STDOUT}: standard output, with the summary on "
        "standard error)",
    )
    command.add_argument(
        "--fields",
        metavar="F,F...",
        help="the fields compared, e.g. COVERAGE,PRICING_INDICATORS, or all (default: every "
        "field but ACTION and ACTION_EFFECTIVE_DATE)",
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    releases = check_database(args.db)
    for release in (args.older, args.newer):
        loaded(releases, release, args.db)
    try:
        fields = parse_fields(args.fields)
    except ValueError as error:
        raise UsageError(f"--fields: {error}") from None
    if args.csv is None:
        asyncio.run(report(args.db, args.older, args.newer, fields, sys.stdout, None))
        return 0
    to_stdout = is_stdout(args.csv)
    name = "standard output" if to_stdout else str(args.csv)
    with open_output(args.csv) as stream:
        summary = sys.stderr if to_stdout else sys.stdout
        asyncio.run(report(args.db, args.older, args.newer, fields, summary, stream, name))
    return 0
