"""Finding the ANWEB files of a release in what a user points the loader at: a CMS release
zip, a folder of a release's files, a folder of such zips and folders (a data folder, the fetch
cache), or one ANWEB file (.txt, .xlsx or .xls); or one file that `hcpcs export` wrote (.csv or
.ndjson, the release in its name: `hcpcs-2026-01.csv`). CMS's names: ingest/names.py."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hcpcs_graphql.domain.export_format import ExportFormat
from hcpcs_graphql.domain.records import CodeRecord, SourceError
from hcpcs_graphql.ingest.export_reader import read_export
from hcpcs_graphql.ingest.fixed_width import read_lines
from hcpcs_graphql.ingest.names import (
    ANWEB_SUFFIXES,
    WORKBOOK_SUFFIXES,
    is_anweb_name,
    release_from_file_name,
    release_from_path,
    version,
)
from hcpcs_graphql.ingest.workbook import read_workbook

_RELEASE_ID = re.compile(r"^(?P<year>\d{4})-(?P<month>01|04|07|10)$")
# hcpcs-2026-01.csv, 2026-01.ndjson: a release id that no digit touches.
_EXPORT_RELEASE = re.compile(r"(?<!\d)(?P<release>\d{4}-\d{2})(?!\d)")
SUFFIXES = ANWEB_SUFFIXES
EXPORT_SUFFIXES = tuple(export_format.suffix for export_format in ExportFormat)


class ReleaseIdError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class SourceFile:
    name: str
    data: bytes
    holders: tuple[str, ...] = ()
    """The names of what holds the file, innermost first: its folders in a zip, the zip or
    folder given (where a release id may come from when the file's name gives none)."""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def export_format(self) -> ExportFormat | None:
        """The format of a file `hcpcs export` wrote; None for a CMS file."""
        return ExportFormat.from_suffix(self.suffix) if self.suffix in EXPORT_SUFFIXES else None

    def records(self) -> Iterator[CodeRecord]:
        if self.suffix == ".txt":
            return read_lines(self.name, io.BytesIO(self.data))
        if self.export_format is not None:
            return read_export(self.name, self.data, self.export_format)
        return read_workbook(self.name, io.BytesIO(self.data))


@dataclass(frozen=True, slots=True)
class ReleaseSource:
    release_id: str
    primary: SourceFile
    """The file loaded: the fixed-width txt when the release has one, else the xlsx (or the
    export, loaded alone)."""
    cross_check: SourceFile | None
    """The release's xlsx when the txt is the primary; compared, never loaded."""


def release_id_from_name(name: str) -> str | None:
    path = Path(name)
    if path.suffix.lower() in EXPORT_SUFFIXES:
        found = _EXPORT_RELEASE.search(path.stem)
        return None if found is None else found["release"]
    return release_from_file_name(path.name)


def check_release_id(release_id: str) -> str:
    if not _RELEASE_ID.match(release_id):
        raise ReleaseIdError(
            f"release id {release_id!r} is not YYYY-MM with MM the first month of a quarter"
            " (01, 04, 07 or 10)"
        )
    return release_id


def is_anweb(name: str) -> bool:
    return is_anweb_name(name)


def _folder_name(path: Path) -> str:
    return path.resolve().name


def _zip_files(path: Path) -> list[SourceFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            return [
                SourceFile(
                    Path(member).name,
                    archive.read(member),  # checks the member's CRC-32
                    (*reversed(Path(member).parent.parts), path.name),
                )
                for member in sorted(archive.namelist())
                if is_anweb(member) and not member.endswith("/")
            ]
    except (zipfile.BadZipFile, EOFError) as error:
        raise SourceError(f"{path}: refused by the zip check: a damaged zip ({error})") from None


def _files(path: Path) -> list[SourceFile]:
    if path.is_dir():
        return [
            SourceFile(child.name, child.read_bytes(), (_folder_name(path),))
            for child in sorted(path.iterdir())
            if child.is_file() and is_anweb(child.name)
        ]
    if path.suffix.lower() in SUFFIXES + EXPORT_SUFFIXES:
        return [SourceFile(path.name, path.read_bytes(), (_folder_name(path.parent),))]
    if zipfile.is_zipfile(path):
        return _zip_files(path)
    if path.suffix.lower() == ".zip":
        raise SourceError(
            f"{path}: refused by the zip check: no zip directory at its end (cut short?)"
        )
    raise SourceError(
        f"{path}: not a CMS release zip, folder, .txt, .xlsx or .xls file, nor a .csv or .ndjson"
        " export"
    )


def _held(path: Path) -> list[Path]:
    """The release folders and zips inside a data folder (one level down)."""
    return [
        child
        for child in sorted(path.iterdir())
        if (child.is_dir() and any(is_anweb(inner.name) for inner in child.iterdir()))
        or (child.is_file() and child.suffix.lower() == ".zip")
    ]


def find_releases(path: Path, release_id: str | None = None) -> list[ReleaseSource]:
    """The releases in PATH, each with its primary file and cross-check file."""
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder")
    files = _files(path)
    if not files and path.is_dir() and release_id is None:
        held = _held(path)
        if held:
            return [release for child in held for release in find_releases(child)]
    if not files:
        raise SourceError(f"{path}: holds no ANWEB .txt, .xlsx or .xls file")
    return _group(path, files, release_id)


def _group(path: Path, files: list[SourceFile], release_id: str | None) -> list[ReleaseSource]:
    by_release: dict[str, list[SourceFile]] = {}
    for file in files:
        found = release_id or (
            release_id_from_name(file.name)
            if file.export_format is not None
            else release_from_path((file.name, *file.holders))
        )
        if found is None:
            held = f" nor from what holds it ({', '.join(file.holders)})" if file.holders else ""
            raise SourceError(
                f"{file.name}: cannot tell the release from the file name{held};"
                " give it with --release"
            )
        by_release.setdefault(check_release_id(found), []).append(file)
    releases = []
    for found, group in sorted(by_release.items()):
        if len(group) == 1 and group[0].export_format is not None:
            releases.append(ReleaseSource(found, group[0], None))
            continue
        txt = _latest([file for file in group if file.suffix == ".txt"])
        xlsx = _latest([file for file in group if file.suffix in WORKBOOK_SUFFIXES])
        if len(txt) > 1 or len(xlsx) > 1:
            names = ", ".join(file.name for file in group)
            raise SourceError(f"{path}: more than one ANWEB file of release {found}: {names}")
        if txt:
            releases.append(ReleaseSource(found, txt[0], xlsx[0] if xlsx else None))
        else:
            releases.append(ReleaseSource(found, xlsx[0], None))
    return releases


def _latest(files: list[SourceFile]) -> list[SourceFile]:
    """A corrected re-post (HCPC2026_OCT_ANWEB_v2.txt) replaces the file first posted
    (HCPC2026_OCT_ANWEB_09232026.txt); files of one version stay, for the caller to refuse."""
    if len(files) < 2:
        return files
    newest = max(version(file.name) for file in files)
    return [file for file in files if version(file.name) == newest]
