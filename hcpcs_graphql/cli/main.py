"""The `hcpcs` command: load, verify, compare, export and serve releases, review a chargemaster,
and export the schema."""

from __future__ import annotations

import argparse
import importlib
import os
import sqlite3
import sys
from collections.abc import Sequence

from hcpcs_graphql.cli.common import Command, UsageError, parents

COMMANDS = {
    "load": "load CMS release files into a database",
    "fetch": "download CMS release zips",
    "update": "fetch the releases newer than the database's, check and load them",
    "verify": "compare a source file with the database, field by field",
    "export": "write one release as CSV or NDJSON",
    "diff": "what changed between two releases",
    "serve": "serve the GraphQL API",
    "reconcile": "review a chargemaster's codes between two releases",
    "schema": "print the GraphQL schema (SDL)",
}
"""The commands (each a module of this package, its `add` declaring its parser), in the order
`hcpcs --help` lists them, with the line it shows for each. A command's module is imported only
when it runs or shows its own help: `hcpcs serve` does not import the loader, nor `hcpcs load`
the server."""


def errors() -> tuple[type[Exception], ...]:
    """What stops a command with one line on stderr and exit 2. Imported when an error is
    caught, so that the CLI does not import every layer to start."""
    from hcpcs_graphql.db.connection import DatabaseError  # noqa: PLC0415
    from hcpcs_graphql.db.tables import SchemaVersionError  # noqa: PLC0415
    from hcpcs_graphql.domain.records import SourceError  # noqa: PLC0415
    from hcpcs_graphql.ingest.fetch import FetchError  # noqa: PLC0415
    from hcpcs_graphql.ingest.sources import ReleaseIdError  # noqa: PLC0415

    return (SourceError, DatabaseError, ReleaseIdError, SchemaVersionError, UsageError, FetchError)


def _named(argv: Sequence[str]) -> str | None:
    """The command ARGV names: the first word that is not an option (the root has only -h)."""
    return next((word for word in argv if not word.startswith("-")), None)


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or with ARGV of the command it names only: the others are
    listed (name and help line) without importing their modules."""
    root = argparse.ArgumentParser(prog="hcpcs", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shared = parents()
    named = None if argv is None else _named(argv)
    for name, help in COMMANDS.items():
        if argv is None or name == named:
            add: Command = importlib.import_module(f"hcpcs_graphql.cli.{name}").add
            add(commands, shared, help)
        else:
            commands.add_parser(name, help=help)
    return root


def _quiet_stdout() -> None:
    """The reader of standard output is gone (`| head`): what is still buffered goes nowhere,
    so that Python's flush at exit raises no second error."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    args = parser(words).parse_args(words)
    try:
        code = int(args.run(args))
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if isinstance(error, errors()):
            print(f"hcpcs: {error}", file=sys.stderr)
            return 2
        if isinstance(error, sqlite3.Error):
            print(f"hcpcs: database error: {error}", file=sys.stderr)
            return 2
        raise
    return code


if __name__ == "__main__":
    sys.exit(main())
