"""`hcpcs export RELEASE`: write one release as CSV or NDJSON."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import BinaryIO

from hcpcs_graphql.cli.common import STDOUT, Commands, Parents, UsageError, is_stdout, loaded
from hcpcs_graphql.cli.common import output as open_output
from hcpcs_graphql.db.connection import check_database, connect_read_only
from hcpcs_graphql.db.export import export_chunks
from hcpcs_graphql.db.queries import fetch_releases
from hcpcs_graphql.domain.export_format import ExportFormat


def add(commands: Commands, parents: Parents, help: str) -> None:
    command = commands.add_parser(
        "export",
        parents=[parents.db],
        help=help,
        description="Write every code of one release with every CMS field, in code order: CSV "
        "under a header row, or NDJSON, one JSON object per code. `hcpcs load` reads the file "
        "back (the release from its name, hcpcs-YYYY-MM.csv, or from --release).",
    )
    command.add_argument("release", metavar="RELEASE", help="the release id, YYYY-MM")
    command.add_argument(
        "--format",
        choices=[export_format.value for export_format in ExportFormat],
        help="csv or ndjson (default: from the output file's suffix, else csv)",
    )
    command.add_argument(
        "--output",
        type=Path,
        help=f"write it to this file (default, or {STDOUT}: standard output)",
    )
    command.set_defaults(run=run)


def export_format(named: str | None, output: Path | None) -> ExportFormat:
    """--format, else the output file's suffix, else CSV."""
    from_suffix = (
        None if output is None or is_stdout(output) else ExportFormat.from_suffix(output.suffix)
    )
    if named is None:
        return from_suffix or ExportFormat.CSV
    chosen = ExportFormat(named)
    if from_suffix is not None and from_suffix is not chosen:
        raise UsageError(f"--format {named} does not match the output file {output}")
    return chosen


async def write(db: Path, release_id: str, chosen: ExportFormat, out: BinaryIO) -> None:
    connection = await connect_read_only(db)
    try:
        releases = {release.id: release for release in await fetch_releases(connection)}
        async for chunk in export_chunks(connection, releases[release_id], chosen):
            out.write(chunk)
    finally:
        await connection.close()


def run(args: argparse.Namespace) -> int:
    chosen = export_format(args.format, args.output)
    loaded(check_database(args.db), args.release, args.db)
    with open_output(args.output, binary=True) as out:
        asyncio.run(write(args.db, args.release, chosen, out))
    return 0
