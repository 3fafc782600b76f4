"""`hcpcs schema`: print the GraphQL schema (SDL)."""

from __future__ import annotations

import argparse
from pathlib import Path

from hcpcs_graphql.cli.common import STDOUT, Commands, Parents, output


def add(commands: Commands, parents: Parents, help: str) -> None:
    command = commands.add_parser("schema", help=help)
    command.add_argument(
        "--output", type=Path, help=f"write it to this file instead ({STDOUT}: standard output)"
    )
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from hcpcs_graphql.schema.schema import export_sdl  # noqa: PLC0415 (only this needs it)

    with output(args.output) as stream:
        stream.write(export_sdl())
    return 0
