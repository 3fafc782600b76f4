"""`hcpcs reconcile`: a chargemaster review from a CSV export, in process (no server, no limit on
the number of codes), written as a CSV of each code with its bucket and details.

The codes are read from one column: the one `--column` names (a header or a number from 1),
else the first whose header is a code header (code, hcpcs, hcpcs code, hcpc, cpt/hcpcs, any case
and spacing), else the first column, whose first row is a header unless it looks like a code."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from hcpcs_graphql.db.connection import connect_read_only
from hcpcs_graphql.db.reconcile import Bucket, Reviewed
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.reconcile import Review, describe, review_releases
from hcpcs_graphql.services.suggestions import Suggestion, suggest

CODE_HEADERS = frozenset(
    {"code", "hcpcs", "hcpcs code", "hcpc", "hcpc code", "cpt/hcpcs", "hcpcs/cpt", "cpt hcpcs",
     "cpt/hcpcs code", "hcpcs/cpt code", "procedure code"}
)  # fmt: skip
_CODE_VALUE = re.compile(r"[A-Za-z0-9]{2,7}")
OUTPUT_COLUMNS = (
    "code",
    "bucket",
    "details",
    "changed_fields",
    "short_description",
    "termination_date",
    "replacements",
    "suggestions",
)


class ChargemasterError(Exception):
    """A file that holds no codes to review; the message says why."""


@dataclass(frozen=True, slots=True)
class Chargemaster:
    codes: list[str]
    column: str
    """Which column the codes came from: its number from 1, with its header if it has one."""


def _header_name(text: str) -> str:
    return " ".join(text.replace("_", " ").lower().split())


def _text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data:  # no text file holds NUL: a workbook, an archive, an image
        raise ChargemasterError(
            f"{path}: not a CSV file (it holds binary data; save a workbook as CSV)"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # what Excel writes on Windows


def _looks_like_code(text: str) -> bool:
    """Two to seven letters and digits, a digit among them (a header like HCPCS has none)."""
    text = text.strip()
    return bool(_CODE_VALUE.fullmatch(text)) and any(char.isdigit() for char in text)


def _column(path: Path, first_row: list[str], column: str | None) -> tuple[int, bool]:
    """The index of the codes' column, and whether the first row is a header."""
    headers = [_header_name(cell) for cell in first_row]
    if column is None:
        found = next((i for i, name in enumerate(headers) if name in CODE_HEADERS), None)
        if found is not None:
            return found, True
        return 0, not _looks_like_code(first_row[0])
    if column.isdigit() and int(column) >= 1:
        index = int(column) - 1
        first = first_row[index] if index < len(first_row) else ""
        return index, not _looks_like_code(first)
    if _header_name(column) in headers:
        return headers.index(_header_name(column)), True
    raise ChargemasterError(f"{path}: no column named {column!r} in the first row")


def read_codes(path: Path, column: str | None = None) -> Chargemaster:
    text = _text(path)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(map(str.strip, row))]
    if not rows:
        raise ChargemasterError(f"{path}: no rows")
    index, has_header = _column(path, rows[0], column)
    if has_header and index < len(rows[0]):
        name = f"{index + 1} ({rows[0][index].strip()})"
    else:
        name = str(index + 1)
    data = rows[1:] if has_header else rows
    return Chargemaster([row[index] if index < len(row) else "" for row in data], name)


@dataclass(frozen=True, slots=True)
class ReviewedFile:
    review: Review
    suggestions: dict[str, list[Suggestion]]
    """For each unknown code."""


async def review_codes(db: Path, codes: Sequence[str], before: str, after: str) -> ReviewedFile:
    connection = await connect_read_only(db)
    try:
        catalog = await Catalog.read(connection)
        releases = catalog.release(before), catalog.release(after)
        review = await review_releases(connection, *releases, codes)
        keyed = [
            (entry.code, key) for entry in review.entries if (key := review.suggestion_key(entry))
        ]
        found = await suggest(connection, [key for _, key in keyed])
        return ReviewedFile(
            review, {code: rows for (code, _), rows in zip(keyed, found, strict=True)}
        )
    finally:
        await connection.close()


def review_file(db: Path, codes: Sequence[str], before: str, after: str) -> ReviewedFile:
    return asyncio.run(review_codes(db, codes, before, after))


def _row(entry: Reviewed, reviewed: ReviewedFile) -> list[str]:
    suggestions = reviewed.suggestions.get(entry.code, [])
    return [
        entry.code,
        entry.bucket.value,
        describe(entry, reviewed.review),
        " ".join(change.field.value for change in entry.changes),
        entry.short_description or "",
        "" if entry.terminated is None else entry.terminated.isoformat(),
        " ".join(entry.cross_references),
        " ".join(suggestion.row.code for suggestion in suggestions),
    ]


def write_review(stream: TextIO, reviewed: ReviewedFile) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    writer.writerows(_row(entry, reviewed) for entry in reviewed.review.entries)


def summary(reviewed: ReviewedFile, source: str) -> str:
    review = reviewed.review
    lines = [
        f"{source}: {len(review.entries):,} codes ({review.given:,} rows) reviewed from "
        f"{review.before.id} to {review.after.id}"
    ]
    counts = review.counts()
    width = max(len(bucket.value) for bucket in Bucket)
    lines += [f"{bucket.value:<{width}} {count:>7,}" for bucket, count in counts.items()]
    return "\n".join(lines) + "\n"
