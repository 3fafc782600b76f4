"""The `hcpcs` command: load, verify and serve releases, review a chargemaster, and export the
schema."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from hcpcs_graphql.db.connection import DEFAULT_DB, DatabaseError, check_database
from hcpcs_graphql.db.loader import load
from hcpcs_graphql.db.records import SourceError
from hcpcs_graphql.db.schema import SchemaVersionError
from hcpcs_graphql.db.sources import ReleaseIdError, ReleaseSource, check_release_id, find_releases
from hcpcs_graphql.db.verify import differences


class UsageError(Exception):
    pass


class Progress:
    """Progress on one terminal line of stderr, at most ten times a second; silent elsewhere."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.shown = 0.0

    def __call__(self, message: str) -> None:
        now = time.monotonic()
        if self.enabled and now - self.shown >= 0.1:
            self.shown = now
            self.stream.write(f"\r{message}\x1b[K")
            self.stream.flush()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _sources(paths: Sequence[Path], release: str | None) -> list[ReleaseSource]:
    if release is not None:
        check_release_id(release)
    sources = [source for path in paths for source in find_releases(path, release)]
    ids = [source.release_id for source in sources]
    duplicated = sorted({release_id for release_id in ids if ids.count(release_id) > 1})
    if duplicated:
        raise SourceError(
            f"release {', '.join(duplicated)} is given more than once"
            + (" (--release names one release for every PATH)" if release else "")
        )
    return sources


def _load(args: argparse.Namespace) -> int:
    progress = Progress(sys.stderr)
    summaries = load(args.db, _sources(args.paths, args.release), progress)
    progress.clear()
    for summary in summaries:
        for kind, message in summary.notes:
            print(f"{summary.release_id} {kind.replace('_', ' ')}: {message}", file=sys.stderr)
    for summary in summaries:
        print(summary.line())
    return 0


def _verify(args: argparse.Namespace) -> int:
    check_database(args.db)
    found = 0
    for source in _sources([args.path], args.release):
        lines = differences(args.db, source)
        for line in lines:
            print(f"{source.release_id} {line}")
        found += len(lines)
        if not lines:
            print(f"release {source.release_id}: {source.primary.name} matches {args.db}")
    return 1 if found else 0


def _serve(args: argparse.Namespace) -> int:
    from hcpcs_graphql.server import serve  # noqa: PLC0415 (only the server needs uvicorn)

    if args.workers < 1:
        raise UsageError("--workers must be 1 or more")
    releases = check_database(args.db)
    print(f"serving {args.db} (releases {', '.join(releases)})", file=sys.stderr)
    serve(args.db, args.host, args.port, args.workers)
    return 0


def _reconcile(args: argparse.Namespace) -> int:
    from hcpcs_graphql import chargemaster  # noqa: PLC0415 (only this command needs it)
    from hcpcs_graphql.resolvers.errors import ClientError  # noqa: PLC0415

    check_database(args.db)
    try:
        found = chargemaster.read_codes(args.file, args.column)
        reviewed = chargemaster.review_file(args.db, found.codes, args.from_, args.to)
    except (OSError, chargemaster.ChargemasterError, ClientError) as error:
        raise UsageError(str(error)) from None
    summary = chargemaster.summary(reviewed, f"{args.file} column {found.column}")
    if args.output is None:
        chargemaster.write_review(sys.stdout, reviewed)
        sys.stderr.write(summary)
    else:
        with args.output.open("w", newline="", encoding="utf-8") as stream:
            chargemaster.write_review(stream, reviewed)
        sys.stdout.write(summary + f"written to {args.output}\n")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from hcpcs_graphql.schema.schema import export_sdl  # noqa: PLC0415

    sdl = export_sdl()
    if args.output is None:
        sys.stdout.write(sdl)
    else:
        args.output.write_text(sdl)
    return 0


def parser() -> argparse.ArgumentParser:
    db_default = Path(os.environ.get("HCPCS_DB", DEFAULT_DB))
    db_help = "the SQLite database (default: $HCPCS_DB, then hcpcs.db)"
    root = argparse.ArgumentParser(prog="hcpcs", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    load_command = commands.add_parser(
        "load",
        help="load CMS release files into a database",
        description="Load CMS HCPCS releases: a release zip as CMS publishes it, a folder of a "
        "release's files, or one ANWEB .txt or .xlsx file. Loading a release again replaces it.",
    )
    load_command.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    load_command.add_argument("--db", type=Path, default=db_default, help=db_help)
    load_command.add_argument(
        "--release", help="the release id, YYYY-MM (default: from the file name)"
    )
    load_command.set_defaults(run=_load)

    verify_command = commands.add_parser(
        "verify",
        help="compare a source file with the database, field by field",
        description="Re-read a release's source file and compare every code and field with the "
        "database; print each difference and exit 1 if there is any.",
    )
    verify_command.add_argument("path", type=Path, metavar="PATH")
    verify_command.add_argument("--db", type=Path, default=db_default, help=db_help)
    verify_command.add_argument("--release", help="the release id, YYYY-MM")
    verify_command.set_defaults(run=_verify)

    serve_command = commands.add_parser("serve", help="serve the GraphQL API")
    serve_command.add_argument("--db", type=Path, default=db_default, help=db_help)
    serve_command.add_argument("--host", default="127.0.0.1")
    serve_command.add_argument("--port", type=int, default=8000)
    serve_command.add_argument("--workers", type=int, default=1)
    serve_command.set_defaults(run=_serve)

    reconcile_command = commands.add_parser(
        "reconcile",
        help="review a chargemaster's codes between two releases",
        description="Put each code of a CSV file (a chargemaster export) in a bucket by what "
        "changed from one release to another; print the counts and write a CSV of each code "
        "with its bucket and details. The codes come from --column, else from the first column "
        "headed code, hcpcs, hcpcs code, hcpc or cpt/hcpcs, else from the first column.",
    )
    reconcile_command.add_argument("file", type=Path, metavar="FILE.csv")
    reconcile_command.add_argument(
        "--from", dest="from_", required=True, metavar="YYYY-MM", help="the older release"
    )
    reconcile_command.add_argument(
        "--to", required=True, metavar="YYYY-MM", help="the newer release"
    )
    reconcile_command.add_argument(
        "--column", help="the column of the codes: its header, or its number from 1"
    )
    reconcile_command.add_argument(
        "--output",
        type=Path,
        help="write the CSV to this file (default: standard output, "
        "with the counts on standard error)",
    )
    reconcile_command.add_argument("--db", type=Path, default=db_default, help=db_help)
    reconcile_command.set_defaults(run=_reconcile)

    schema_command = commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    schema_command.add_argument("--output", type=Path, help="write it to this file instead")
    schema_command.set_defaults(run=_schema)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except (SourceError, DatabaseError, ReleaseIdError, SchemaVersionError, UsageError) as error:
        print(f"hcpcs: {error}", file=sys.stderr)
        return 2
    except sqlite3.Error as error:
        print(f"hcpcs: database error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
