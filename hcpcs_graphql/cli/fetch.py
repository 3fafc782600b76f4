"""`hcpcs fetch [RELEASE...]`: download CMS release zips into the cache folder."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from hcpcs_graphql.cli.common import Commands, Parents, Progress
from hcpcs_graphql.ingest.cms_page import CMS_PAGE
from hcpcs_graphql.ingest.fetch import Fetched, choose, fetch, find_links
from hcpcs_graphql.ingest.sources import check_release_id

DEFAULT_CACHE = "cms-files"


def sourcing() -> argparse.ArgumentParser:
    """--source and --cache, which fetch and update share."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--source",
        # $HCPCS_SOURCE lets scripts/serve (which runs `hcpcs update`) fetch from a mirror.
        default=os.environ.get("HCPCS_SOURCE", CMS_PAGE),
        metavar="URL|DIR",
        help=f"CMS's quarterly-update page, a mirror of it, or a folder of zips (default: "
        f"$HCPCS_SOURCE, then {CMS_PAGE})",
    )
    parent.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ.get("HCPCS_CACHE", DEFAULT_CACHE)),
        help=f"where the zips and their manifest go (default: $HCPCS_CACHE, then {DEFAULT_CACHE})",
    )
    return parent


def add(commands: Commands, parents: Parents, help: str) -> None:
    command = commands.add_parser(
        "fetch",
        parents=[sourcing()],
        help=help,
        description="Find the release zips on CMS's quarterly-update page and download them "
        "into the cache folder (skipping those its manifest has). Without RELEASE, --latest or "
        "--since: every release the page offers.",
    )
    command.add_argument("releases", nargs="*", metavar="RELEASE", help="YYYY-MM")
    command.add_argument("--latest", action="store_true", help="the newest release")
    command.add_argument("--since", metavar="YYYY-MM", help="this release and newer ones")
    command.set_defaults(run=run)


def links(args: argparse.Namespace, wanted: list[str], **narrowed: Any) -> list[Fetched]:
    for release_id in [*wanted, narrowed.get("since") or "2000-01"]:
        check_release_id(release_id)
    progress = Progress(sys.stderr)
    found = choose(find_links(args.source), wanted, **narrowed)
    fetched = fetch(found, args.cache, progress)
    progress.clear()
    return fetched


def run(args: argparse.Namespace) -> int:
    for entry in links(args, args.releases, latest=args.latest, since=args.since):
        print(f"release {entry.release_id}: {entry.path(args.cache)} ({entry.bytes:,} bytes)")
    return 0
