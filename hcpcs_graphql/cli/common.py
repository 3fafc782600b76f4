"""What the commands share: the options declared once (argparse parents), the error a command
stops with, progress on the terminal, and where an output goes (`-` is standard output)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

from hcpcs_graphql.db.connection import DEFAULT_DB
from hcpcs_graphql.domain.records import SourceError

if TYPE_CHECKING:
    from hcpcs_graphql.db.loader import LoadSummary
    from hcpcs_graphql.ingest.sources import ReleaseSource

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

STDOUT = "-"
"""The output path that means standard output."""

FEWER_HELP = (
    "load a release with more than 5%% fewer codes than the one before it (refused otherwise, "
    "as a file cut short)"
)


class UsageError(Exception):
    """A command cannot go on: main prints it as one line and exits 2."""


@dataclass(frozen=True, slots=True)
class Parents:
    """Options several commands take, each declared once."""

    db: argparse.ArgumentParser
    release: argparse.ArgumentParser
    fewer: argparse.ArgumentParser


Command: TypeAlias = Callable[[Commands, Parents, str], None]
"""A command's module declares its parser (its `add`, given its help line from cli/main.py's
COMMANDS), with its run as the `run` default."""


def parents() -> Parents:
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        type=Path,
        default=Path(os.environ.get("HCPCS_DB", DEFAULT_DB)),
        help="the SQLite database (default: $HCPCS_DB, then hcpcs.db)",
    )
    release = argparse.ArgumentParser(add_help=False)
    release.add_argument("--release", help="the release id, YYYY-MM (default: from the file name)")
    fewer = argparse.ArgumentParser(add_help=False)
    fewer.add_argument("--allow-fewer-codes", action="store_true", help=FEWER_HELP)
    return Parents(db, release, fewer)


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


def sources(paths: Sequence[Path], release: str | None) -> list[ReleaseSource]:
    from hcpcs_graphql.ingest.sources import check_release_id, find_releases  # noqa: PLC0415

    if release is not None:
        check_release_id(release)
    found = [source for path in paths for source in find_releases(path, release)]
    ids = [source.release_id for source in found]
    duplicated = sorted({release_id for release_id in ids if ids.count(release_id) > 1})
    if duplicated:
        raise SourceError(
            f"release {', '.join(duplicated)} is given more than once"
            + (" (--release names one release for every PATH)" if release else "")
        )
    return found


def report_loads(summaries: list[LoadSummary]) -> int:
    for summary in summaries:
        for kind, message in summary.notes:
            print(f"{summary.release_id} {kind.replace('_', ' ')}: {message}", file=sys.stderr)
    for summary in summaries:
        print(summary.line())
    return 0


def is_stdout(path: Path | None) -> bool:
    return path is None or str(path) == STDOUT


@contextlib.contextmanager
def output(path: Path | None, *, binary: bool = False) -> Iterator[Any]:
    """A stream to write PATH through (standard output for None or `-`): a file is written
    beside PATH and renamed at the end, so that a failed command leaves no half file; a path
    that cannot be written (a missing folder, no permission) stops the command in one line."""
    if path is None or is_stdout(path):
        stream: Any = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    partial = path.with_name(f".{path.name}.part")
    try:
        with (
            partial.open("wb") if binary else partial.open("w", newline="", encoding="utf-8")
        ) as file:
            yield file
        partial.replace(path)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        partial.unlink(missing_ok=True)


def loaded(releases: Sequence[str], wanted: str, db: Path) -> None:
    """Stop unless release WANTED is among the database's RELEASES."""
    if wanted not in releases:
        raise UsageError(
            f"release {wanted!r} is not in {db}; loaded releases: {', '.join(releases)}"
        )
