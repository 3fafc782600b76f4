"""How CMS has named its ANWEB files, release zips and folders since 2017, and the release id
each name gives.

Files: HCPC17_CONTR_ANWEB.txt, HCPC2018_CONTR_ANWEB_disc.txt, HCPC2019_CONTR_ANWEB.xlsx,
HCPC2020_ANWEB_w_disclaimer.txt and its .xls, HCPC2025_OCT_ANWEB.xlsx,
HCPC2026_JAN_ANWEB_01122026.txt, HCPC2026_OCT_ANWEB_09232026.txt then HCPC2026_OCT_ANWEB_v2.txt
(a corrected re-post), and anweb.xlsx in a folder whose name carries the release.
Zips and folders: october-2026-alpha-numeric-hcpcs-file.zip, january-2025-alpha-numeric-hcpcs-
files.zip, 2020-alpha-numeric-hcpcs-file.zip (an annual release), 2026-01_JAN, 2026-01."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from hcpcs_graphql.domain.calendar import release_for

MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
WORKBOOK_SUFFIXES = (".xlsx", ".xls")
ANWEB_SUFFIXES = (".txt", *WORKBOOK_SUFFIXES)

# An annual file has no month (HCPC2020_ANWEB, HCPC17_CONTR_ANWEB): it is the January release.
_ANWEB = re.compile(
    r"HCPC(?P<year>\d{4}|\d{2})_(?:(?P<month>[A-Z]{3})_)?(?:CONTR_)?ANWEB"
    r"(?!.*(?:Correction|Transaction))",
    re.IGNORECASE,
)
_BARE_ANWEB = re.compile(
    r"^anweb(?!.*(?:Correction|Transaction))(?:[_ -][^.]*)?\.[a-z]+$", re.IGNORECASE
)
_MONTH_YEAR = re.compile(
    rf"(?<![a-z])(?P<month>{'|'.join(MONTHS)})[-_ ]?(?P<year>\d{{4}})(?!\d)", re.IGNORECASE
)
_ANNUAL_ZIP = re.compile(r"(?<!\d)(?P<year>\d{4})-alpha-numeric-hcpcs-files?", re.IGNORECASE)
_YEAR_MONTH = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})(?!\d)")
_VERSION = re.compile(r"_v(?P<version>\d+)(?:\.[a-z]+)?$", re.IGNORECASE)


def quarter_of(year: int, month: int) -> str:
    """The release id of the quarter holding the month (a mid-quarter update belongs to it)."""
    return release_for(datetime.date(year, month, 1))


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def is_anweb_name(name: str) -> bool:
    """An ANWEB file by its name (the last part of a path)."""
    path = PurePosixPath(name)
    if path.name.startswith(("~$", "._")) or "__MACOSX" in path.parts:
        return False  # an Excel lock file, or macOS resource forks in a zip
    if path.suffix.lower() not in ANWEB_SUFFIXES:
        return False
    return _ANWEB.search(path.name) is not None or _BARE_ANWEB.match(path.name) is not None


def release_from_file_name(name: str) -> str | None:
    """The release an ANWEB file's own name gives; None when it gives none (anweb.xlsx)."""
    match = _ANWEB.search(PurePosixPath(name).name)
    if match is None:
        return None
    month = (match["month"] or "JAN").lower()
    short = [full[:3] for full in MONTHS]
    if month not in short:
        return None
    return quarter_of(_year(match["year"]), short.index(month) + 1)


def release_from_container_name(name: str) -> str | None:
    """The release a zip's or folder's name gives: october-2026-alpha-numeric-hcpcs-file.zip,
    2026-01_JAN, 2020-alpha-numeric-hcpcs-file.zip; None when it gives none."""
    found = _MONTH_YEAR.search(name)
    if found is not None:
        return quarter_of(int(found["year"]), MONTHS.index(found["month"].lower()) + 1)
    found = _YEAR_MONTH.search(name)
    if found is not None and 1 <= int(found["month"]) <= 12:
        return quarter_of(int(found["year"]), int(found["month"]))
    found = _ANNUAL_ZIP.search(name)
    if found is not None:
        return f"{found['year']}-01"
    return release_from_file_name(name)


def release_from_path(parts: Iterable[str]) -> str | None:
    """The release of a file given with what holds it, innermost first (the file's name, its
    folders inside a zip, the zip or folder): the first name that gives one."""
    for index, part in enumerate(parts):
        found = release_from_file_name(part) if index == 0 else release_from_container_name(part)
        if found is not None:
            return found
    return None


def version(name: str) -> int:
    """The re-post number CMS gave a corrected file (HCPC2026_OCT_ANWEB_v2.txt: 2); 1 else."""
    found = _VERSION.search(name)
    return 1 if found is None else int(found["version"])
