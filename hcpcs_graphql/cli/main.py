"""The `hcpcs` command: load, verify, compare, export and serve releases, review a chargemaster,
and export the schema."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from hcpcs_graphql.cli.diff_report import parse_fields, report
from hcpcs_graphql.db.connection import (
    DEFAULT_DB,
    DatabaseError,
    check_database,
    connect_read_only,
)
from hcpcs_graphql.db.export import export_chunks
from hcpcs_graphql.db.loader import LoadSummary, load
from hcpcs_graphql.db.queries import fetch_releases
from hcpcs_graphql.db.tables import SchemaVersionError
from hcpcs_graphql.db.verify import differences
from hcpcs_graphql.domain.calendar import today_from
from hcpcs_graphql.domain.export_format import ExportFormat
from hcpcs_graphql.domain.records import SourceError
from hcpcs_graphql.http.stacks import DEFAULT_STACK, STACKS, missing_modules
from hcpcs_graphql.ingest.cms_page import CMS_PAGE
from hcpcs_graphql.ingest.fetch import Fetched, FetchError, choose, fetch, find_links
from hcpcs_graphql.ingest.sources import (
    ReleaseIdError,
    ReleaseSource,
    check_release_id,
    find_releases,
)


class UsageError(Exception):
    pass


DEFAULT_CACHE = "cms-files"
FEWER_HELP = (
    "load a release with more than 5%% fewer codes than the one before it (refused otherwise, "
    "as a file cut short)"
)


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
    summaries = load(args.db, _sources(args.paths, args.release), progress, args.allow_fewer_codes)
    progress.clear()
    return _report(summaries)


def _report(summaries: list[LoadSummary]) -> int:
    for summary in summaries:
        for kind, message in summary.notes:
            print(f"{summary.release_id} {kind.replace('_', ' ')}: {message}", file=sys.stderr)
    for summary in summaries:
        print(summary.line())
    return 0


def _links(args: argparse.Namespace, wanted: list[str], **narrowed: Any) -> list[Fetched]:
    for release_id in [*wanted, narrowed.get("since") or "2000-01"]:
        check_release_id(release_id)
    progress = Progress(sys.stderr)
    links = choose(find_links(args.source), wanted, **narrowed)
    fetched = fetch(links, args.cache, progress)
    progress.clear()
    return fetched


def _fetch(args: argparse.Namespace) -> int:
    for entry in _links(args, args.releases, latest=args.latest, since=args.since):
        print(f"release {entry.release_id}: {entry.path(args.cache)} ({entry.bytes:,} bytes)")
    return 0


def _update(args: argparse.Namespace) -> int:
    newest = check_database(args.db)[0] if args.db.exists() else None
    fetched = _links(args, [], latest=newest is None, after=newest)
    if not fetched:
        print(f"{args.db} is up to date: {args.source} offers no release after {newest}")
        return 0
    sources = [source for entry in fetched for source in find_releases(entry.path(args.cache))]
    progress = Progress(sys.stderr)
    summaries = load(args.db, sources, progress, args.allow_fewer_codes)
    progress.clear()
    return _report(summaries)


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


def _export_format(named: str | None, output: Path | None) -> ExportFormat:
    """--format, else the output file's suffix, else CSV."""
    from_suffix = None if output is None else ExportFormat.from_suffix(output.suffix)
    if named is None:
        return from_suffix or ExportFormat.CSV
    export_format = ExportFormat(named)
    if from_suffix is not None and from_suffix is not export_format:
        raise UsageError(f"--format {named} does not match the output file {output}")
    return export_format


async def _write_export(
    db: Path, release_id: str, export_format: ExportFormat, out: BinaryIO
) -> None:
    connection = await connect_read_only(db)
    try:
        releases = {release.id: release for release in await fetch_releases(connection)}
        async for chunk in export_chunks(connection, releases[release_id], export_format):
            out.write(chunk)
    finally:
        await connection.close()


def _export(args: argparse.Namespace) -> int:
    export_format = _export_format(args.format, args.output)
    releases = check_database(args.db)
    if args.release not in releases:
        raise UsageError(
            f"release {args.release!r} is not in {args.db}; loaded releases: {', '.join(releases)}"
        )
    if args.output is None:
        try:
            asyncio.run(_write_export(args.db, args.release, export_format, sys.stdout.buffer))
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            # The reader stopped early (`| head`): no traceback, and no second error at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
        return 0
    with _output(args.output, binary=True) as out:
        asyncio.run(_write_export(args.db, args.release, export_format, out))
    return 0


@contextlib.contextmanager
def _output(path: Path, *, binary: bool = False) -> Iterator[Any]:
    """A file to write PATH through: written beside it and renamed at the end, so that a failed
    command leaves no half file; a path that cannot be written (a missing folder, no
    permission) stops the command in one line."""
    partial = path.with_name(f".{path.name}.part")
    try:
        with (
            partial.open("wb") if binary else partial.open("w", newline="", encoding="utf-8")
        ) as stream:
            yield stream
        partial.replace(path)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        partial.unlink(missing_ok=True)


def _diff(args: argparse.Namespace) -> int:
    releases = check_database(args.db)
    for release in (args.older, args.newer):
        if release not in releases:
            raise UsageError(
                f"release {release!r} is not in {args.db}; its releases: {', '.join(releases)}"
            )
    try:
        fields = parse_fields(args.fields)
    except ValueError as error:
        raise UsageError(f"--fields: {error}") from None
    asyncio.run(report(args.db, args.older, args.newer, fields, sys.stdout, args.csv))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from hcpcs_graphql.http import server  # noqa: PLC0415 (only the server needs uvicorn)
    from hcpcs_graphql.http.settings import Settings, SettingsError  # noqa: PLC0415

    workers = server.default_workers() if args.workers is None else args.workers
    if workers < 1:
        raise UsageError("--workers must be 1 or more")
    try:  # a bad HCPCS_* value stops here, before the port is bound, not in a worker
        Settings.from_environment(os.environ)
        today_from(os.environ)
    except (SettingsError, ValueError) as error:
        raise UsageError(str(error)) from None
    releases = check_database(args.db)
    print(f"serving {args.db} (releases {', '.join(releases)})", file=sys.stderr)
    missing = missing_modules(args.stack)
    if missing:
        raise UsageError(
            f"--stack {args.stack} needs {' and '.join(missing)}: pip install 'hcpcs-graphql[fast]'"
        )
    try:
        server.serve(args.db, args.host, args.port, workers, args.stack)
    except server.ListenError as error:
        raise UsageError(str(error)) from None
    return 0


def _reconcile(args: argparse.Namespace) -> int:
    from hcpcs_graphql.services import chargemaster  # noqa: PLC0415 (only this command needs it)
    from hcpcs_graphql.services.errors import ClientError  # noqa: PLC0415

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
        with _output(args.output) as stream:
            chargemaster.write_review(stream, reviewed)
        sys.stdout.write(summary + f"written to {args.output}\n")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from hcpcs_graphql.schema.schema import export_sdl  # noqa: PLC0415

    sdl = export_sdl()
    if args.output is None:
        sys.stdout.write(sdl)
    else:
        with _output(args.output) as stream:
            stream.write(sdl)
    return 0


def _add_fetching(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], db_default: Path, db_help: str
) -> None:
    source_help = (
        f"CMS's quarterly-update page, a mirror of it, or a folder of zips (default: {CMS_PAGE})"
    )
    cache_default = Path(os.environ.get("HCPCS_CACHE", DEFAULT_CACHE))
    cache_help = (
        f"where the zips and their manifest go (default: $HCPCS_CACHE, then {DEFAULT_CACHE})"
    )
    fetch_command = commands.add_parser(
        "fetch",
        help="download CMS release zips",
        description="Find the release zips on CMS's quarterly-update page and download them "
        "into the cache folder (skipping those its manifest has). Without RELEASE, --latest or "
        "--since: every release the page offers.",
    )
    fetch_command.add_argument("releases", nargs="*", metavar="RELEASE", help="YYYY-MM")
    fetch_command.add_argument("--latest", action="store_true", help="the newest release")
    fetch_command.add_argument("--since", metavar="YYYY-MM", help="this release and newer ones")
    fetch_command.add_argument("--source", default=CMS_PAGE, metavar="URL|DIR", help=source_help)
    fetch_command.add_argument("--cache", type=Path, default=cache_default, help=cache_help)
    fetch_command.set_defaults(run=_fetch)

    update_command = commands.add_parser(
        "update",
        help="fetch the releases newer than the database's, check and load them",
        description="Fetch what is new (the releases after the newest loaded; the latest one "
        "into a new database), check each release and load it.",
    )
    update_command.add_argument("--db", type=Path, default=db_default, help=db_help)
    update_command.add_argument("--source", default=CMS_PAGE, metavar="URL|DIR", help=source_help)
    update_command.add_argument("--cache", type=Path, default=cache_default, help=cache_help)
    update_command.add_argument("--allow-fewer-codes", action="store_true", help=FEWER_HELP)
    update_command.set_defaults(run=_update)


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
    load_command.add_argument("--allow-fewer-codes", action="store_true", help=FEWER_HELP)
    load_command.set_defaults(run=_load)

    _add_fetching(commands, db_default, db_help)

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

    export_command = commands.add_parser(
        "export",
        help="write one release as CSV or NDJSON",
        description="Write every code of one release with every CMS field, in code order: CSV "
        "under a header row, or NDJSON, one JSON object per code. `hcpcs load` reads the file "
        "back (the release from its name, hcpcs-YYYY-MM.csv, or from --release).",
    )
    export_command.add_argument("release", metavar="RELEASE", help="the release id, YYYY-MM")
    export_command.add_argument("--db", type=Path, default=db_default, help=db_help)
    export_command.add_argument(
        "--format",
        choices=[export_format.value for export_format in ExportFormat],
        help="csv or ndjson (default: from the output file's suffix, else csv)",
    )
    export_command.add_argument(
        "--output", type=Path, help="write it to this file (default: standard output)"
    )
    export_command.set_defaults(run=_export)

    diff_command = commands.add_parser(
        "diff",
        help="what changed between two releases",
        description="Compare two loaded releases code by code and field by field: print how "
        "many codes were added, removed, discontinued, reactivated or changed, and how many "
        "changed in each field; --csv writes every change, one row per code and field.",
    )
    diff_command.add_argument("older", metavar="FROM", help="the release compared from, YYYY-MM")
    diff_command.add_argument("newer", metavar="TO", help="the release compared to, YYYY-MM")
    diff_command.add_argument("--db", type=Path, default=db_default, help=db_help)
    diff_command.add_argument("--csv", type=Path, metavar="FILE", help="write every change here")
    diff_command.add_argument(
        "--fields",
        metavar="F,F...",
        help="the fields compared, e.g. COVERAGE,PRICING_INDICATORS, or all (default: every "
        "field but ACTION and ACTION_EFFECTIVE_DATE)",
    )
    diff_command.set_defaults(run=_diff)

    serve_command = commands.add_parser("serve", help="serve the GraphQL API")
    serve_command.add_argument("--db", type=Path, default=db_default, help=db_help)
    serve_command.add_argument("--host", default="127.0.0.1")
    serve_command.add_argument("--port", type=int, default=8000)
    serve_command.add_argument(
        "--workers",
        type=int,
        help="processes sharing the port (default: one per core this process may run on)",
    )
    serve_command.add_argument(
        "--stack",
        choices=list(STACKS),
        default=DEFAULT_STACK,
        help=f"uvicorn's event loop and HTTP parser (default: {DEFAULT_STACK}; uvloop needs "
        "the `fast` extra: pip install 'hcpcs-graphql[fast]')",
    )
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
    except (
        SourceError,
        DatabaseError,
        ReleaseIdError,
        SchemaVersionError,
        UsageError,
        FetchError,
    ) as error:
        print(f"hcpcs: {error}", file=sys.stderr)
        return 2
    except sqlite3.Error as error:
        print(f"hcpcs: database error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
