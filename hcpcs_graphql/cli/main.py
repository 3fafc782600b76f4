"""The `hcpcs` command: load, verify, compare, export and serve releases, review a chargemaster,
and export the schema."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence

from hcpcs_graphql.cli import diff, export, fetch, load, reconcile, schema, serve, update, verify
from hcpcs_graphql.cli.common import Command, UsageError, parents
from hcpcs_graphql.db.connection import DatabaseError
from hcpcs_graphql.db.tables import SchemaVersionError
from hcpcs_graphql.domain.records import SourceError
from hcpcs_graphql.ingest.fetch import FetchError
from hcpcs_graphql.ingest.sources import ReleaseIdError

COMMANDS: tuple[Command, ...] = (
    load.add,
    fetch.add,
    update.add,
    verify.add,
    export.add,
    diff.add,
    serve.add,
    reconcile.add,
    schema.add,
)
"""The commands, in the order `hcpcs --help` lists them."""

ERRORS = (SourceError, DatabaseError, ReleaseIdError, SchemaVersionError, UsageError, FetchError)
"""What stops a command with one line on stderr and exit 2."""


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="hcpcs", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shared = parents()
    for add in COMMANDS:
        add(commands, shared)
    return root


def _quiet_stdout() -> None:
    """The reader of standard output is gone (`| head`): what is still buffered goes nowhere,
    so that Python's flush at exit raises no second error."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code = int(args.run(args))
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        return 1
    except ERRORS as error:
        print(f"hcpcs: {error}", file=sys.stderr)
        return 2
    except sqlite3.Error as error:
        print(f"hcpcs: database error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
