"""Finding the ANWEB files of a release in what a user points the loader at: a CMS release
zip, a folder of a release's files, or one ANWEB file (.txt or .xlsx); or one file that
`hcpcs export` wrote (.csv or .ndjson, the release in its name: `hcpcs-2026-01.csv`)."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hcpcs_graphql.db.export_format import ExportFormat
from hcpcs_graphql.db.export_reader import read_export
from hcpcs_graphql.db.fixed_width import read_lines
from hcpcs_graphql.db.records import CodeRecord, SourceError
from hcpcs_graphql.db.workbook import read_workbook

# HCPC2026_JAN_ANWEB_01122026.txt, HCPC2025_OCT_ANWEB.xlsx, HCPC2020_ANWEB_w_disclaimer.txt
_ANWEB = re.compile(
    r"HCPC(?P<year>\d{4})_(?:(?P<month>[A-Z]{3})_)?ANWEB(?!.*(?:Correction|Transaction))",
    re.IGNORECASE,
)
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_RELEASE_ID = re.compile(r"^(?P<year>\d{4})-(?P<month>01|04|07|10)$")
# hcpcs-2026-01.csv, 2026-01.ndjson: a release id that no digit touches.
_EXPORT_RELEASE = re.compile(r"(?<!\d)(?P<release>\d{4}-\d{2})(?!\d)")
SUFFIXES = (".txt", ".xlsx")
EXPORT_SUFFIXES = tuple(export_format.suffix for export_format in ExportFormat)


class ReleaseIdError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class SourceFile:
    name: str
    data: bytes

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
    match = _ANWEB.search(path.name)
    if match is None:
        return None
    month = (match["month"] or "JAN").upper()
    if month not in _MONTHS:
        return None
    quarter_month = (_MONTHS.index(month) // 3) * 3 + 1
    return f"{match['year']}-{quarter_month:02d}"


def check_release_id(release_id: str) -> str:
    if not _RELEASE_ID.match(release_id):
        raise ReleaseIdError(
            f"release id {release_id!r} is not YYYY-MM with MM the first month of a quarter"
            " (01, 04, 07 or 10)"
        )
    return release_id


def is_anweb(name: str) -> bool:
    path = Path(name)
    if path.name.startswith(("~$", "._")) or "__MACOSX" in path.parts:
        return False  # an Excel lock file, or macOS resource forks in a zip
    return path.suffix.lower() in SUFFIXES and _ANWEB.search(path.name) is not None


def find_releases(path: Path, release_id: str | None = None) -> list[ReleaseSource]:
    """The releases in PATH, each with its primary file and cross-check file."""
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder")
    files: list[SourceFile]
    if path.is_dir():
        files = [
            SourceFile(child.name, child.read_bytes())
            for child in sorted(path.iterdir())
            if child.is_file() and is_anweb(child.name)
        ]
    elif path.suffix.lower() in SUFFIXES + EXPORT_SUFFIXES:
        files = [SourceFile(path.name, path.read_bytes())]
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            files = [
                SourceFile(Path(member).name, archive.read(member))
                for member in sorted(archive.namelist())
                if is_anweb(member) and not member.endswith("/")
            ]
    else:
        raise SourceError(
            f"{path}: not a CMS release zip, folder, .txt or .xlsx file, nor a .csv or .ndjson"
            " export"
        )
    if not files:
        raise SourceError(f"{path}: holds no ANWEB .txt or .xlsx file")
    return _group(path, files, release_id)


def _group(path: Path, files: list[SourceFile], release_id: str | None) -> list[ReleaseSource]:
    by_release: dict[str, list[SourceFile]] = {}
    for file in files:
        found = release_id or release_id_from_name(file.name)
        if found is None:
            raise SourceError(
                f"{file.name}: cannot tell the release from the file name; give it with --release"
            )
        by_release.setdefault(check_release_id(found), []).append(file)
    releases = []
    for found, group in sorted(by_release.items()):
        if len(group) == 1 and group[0].export_format is not None:
            releases.append(ReleaseSource(found, group[0], None))
            continue
        txt = [file for file in group if file.suffix == ".txt"]
        xlsx = [file for file in group if file.suffix == ".xlsx"]
        if len(txt) > 1 or len(xlsx) > 1:
            names = ", ".join(file.name for file in group)
            raise SourceError(f"{path}: more than one ANWEB file of release {found}: {names}")
        if txt:
            releases.append(ReleaseSource(found, txt[0], xlsx[0] if xlsx else None))
        else:
            releases.append(ReleaseSource(found, xlsx[0], None))
    return releases
