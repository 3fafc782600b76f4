"""`hcpcs reconcile FILE.csv`: review a chargemaster's codes between two releases."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from hcpcs_graphql.cli.common import STDOUT, Commands, Parents, UsageError, is_stdout, output
from hcpcs_graphql.db.connection import check_database


def add(commands: Commands, parents: Parents, help: str) -> None:
    command = commands.add_parser(
        "reconcile",
        parents=[parents.db],
        help=help,
        description="Put each code of a CSV file (a chargemaster export) in a bucket by what "
        "changed from one release to another; print the counts and write a CSV of each code "
        "with its bucket and details. The codes come from --column, else from the first column "
        "headed code, hcpcs, hcpcs code, hcpc or cpt/hcpcs, else from the first column.",
    )
    command.add_argument("file", type=Path, metavar="FILE.csv")
    command.add_argument(
        "--from", dest="from_", required=True, metavar="YYYY-MM", help="the older release"
    )
    command.add_argument("--to", required=True, metavar="YYYY-MM", help="the newer release")
    command.add_argument(
        "--column", help="the column of the codes: its header, or its number from 1"
    )
    command.add_argument(
        "--output",
        type=Path,
        help=f"write the CSV to this file (default, or {STDOUT}: standard output, "
        "with the counts on standard error)",
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from hcpcs_graphql.services import chargemaster  # noqa: PLC0415 (only this command needs it)
    from hcpcs_graphql.services.errors import ClientError  # noqa: PLC0415

    check_database(args.db)
    try:
        found = chargemaster.read_codes(args.file, args.column)
        reviewed = chargemaster.review_file(args.db, found.codes, args.from_, args.to)
    except csv.Error as error:  # a text file the csv module cannot split (a field past its limit)
        raise UsageError(f"{args.file}: not a CSV file ({error})") from None
    except OSError as error:
        raise UsageError(f"cannot read {args.file}: {error.strerror or error}") from None
    except (chargemaster.ChargemasterError, ClientError) as error:
        raise UsageError(str(error)) from None
    summary = chargemaster.summary(reviewed, f"{args.file} column {found.column}")
    with output(args.output) as stream:
        chargemaster.write_review(stream, reviewed)
    if is_stdout(args.output):
        sys.stderr.write(summary)
    else:
        sys.stdout.write(summary + f"written to {args.output}\n")
    return 0
