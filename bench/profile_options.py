"""The options the profiling benches share (http_profile.py, page_profile.py, plan.py,
request_profile.py): --db, and the counts of each (--calls, --runs, --top, ...) with their
defaults."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from paths import JANUARY_2026
from releases import run_load


def profile_parser(
    doc: str | None, *, load_missing: bool, **counts: int
) -> argparse.ArgumentParser:
    """--db, required (January 2026 loaded into it when missing, if LOAD_MISSING), and a whole
    number option for each of COUNTS (its name, underscores as dashes: its default)."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    loaded = "; built with `hcpcs load` when missing" if load_missing else ""
    parser.add_argument(
        "--db", type=Path, required=True, help=f"a database holding January 2026{loaded}"
    )
    for name, default in counts.items():
        parser.add_argument(
            f"--{name.replace('_', '-')}", type=int, default=default, help=f"default: {default}"
        )
    parser.set_defaults(load_missing=load_missing)
    return parser


def profile_args(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """The options of ARGV, once --db holds a database (see profile_parser)."""
    args = parser.parse_args(argv)
    if args.load_missing and not args.db.exists():
        run_load(JANUARY_2026, args.db)
    return args
