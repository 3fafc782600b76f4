"""One release as CSV or NDJSON, streamed: its codes in code order, read in chunks of rows, each
code with every CMS field under the name the record layout gives it (HCPC, RECID,
LONG_DESCRIPTION, SHORT_DESCRIPTION, PRICE1 ... ACTION_CD).

Values are written as the database holds them: codes and coded values as text (leading zeros
kept), dates ISO (YYYY-MM-DD), ANEST_BU a whole number; a blank field is an empty cell in CSV
and null in NDJSON. A value that does not parse (its column holds null) is written as CMS wrote
it (table code_defect, spaces kept), so that the export reproduces what CMS published. A
code's kind travels as CMS writes it, in RECID: 3 for a procedure, 7 for a modifier (the
record identification code of the code's first record). The release travels in the file name
(`hcpcs-2026-01.csv`), which `hcpcs load` reads back (export_reader.py).

Each chunk is one statement over a range of rowids (a release's codes have consecutive rowids,
in code order), never a cursor kept open between chunks: a download may take as long as its
client reads, and a statement open that long would run into the statement time limit and hold
the shared connection."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Sequence

import aiosqlite

from hcpcs_graphql.db.defects import fetch_release_cms_texts
from hcpcs_graphql.db.rows import ReleaseRow
from hcpcs_graphql.domain.export_format import COLUMNS, RECIDS, ExportFormat
from hcpcs_graphql.domain.layout import DETAIL_FIELDS

CHUNK_ROWS = 250
"""Codes read by one statement and sent as one piece of the body."""

_SELECT_CHUNK = (
    "select rowid, code, kind, long_description,"
    f" {', '.join(field.column for field in DETAIL_FIELDS)}"
    " from code where rowid between ? and ? order by rowid limit ?"
)


_DETAIL_INDEX = {field.column: 4 + index for index, field in enumerate(DETAIL_FIELDS)}
"""The index of each detail field in a chunk row."""


def _with_cms_texts(
    rows: Sequence[Sequence[object]], cms_texts: dict[str, dict[str, str]]
) -> list[Sequence[object]]:
    """The chunk rows, each value that does not parse replaced by CMS's text."""
    replaced: list[Sequence[object]] = []
    for row in rows:
        defects = cms_texts.get(str(row[1]))
        if not defects:
            replaced.append(row)
            continue
        values = list(row)
        for column, text in defects.items():
            values[_DETAIL_INDEX[column]] = text
        replaced.append(values)
    return replaced


def _values(row: Sequence[object]) -> list[object]:
    """A code's values in COLUMNS order, from a chunk row (rowid, code, kind, ...)."""
    return [row[1], RECIDS[str(row[2])], *row[3:]]


def _csv(rows: Sequence[Sequence[object]], header: bool) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")  # RFC 4180
    if header:
        writer.writerow(COLUMNS)
    # csv writes None as an empty cell.
    writer.writerows(_values(row) for row in rows)
    return text.getvalue().encode()


def _ndjson(rows: Sequence[Sequence[object]]) -> bytes:
    return "".join(
        json.dumps(dict(zip(COLUMNS, _values(row), strict=True)), separators=(",", ":")) + "\n"
        for row in rows
    ).encode()


def format_rows(
    export_format: ExportFormat, rows: Sequence[Sequence[object]], first: bool
) -> bytes:
    """Chunk rows as the format writes them; the CSV header before the first chunk."""
    return _csv(rows, header=first) if export_format is ExportFormat.CSV else _ndjson(rows)


async def export_chunks(
    connection: aiosqlite.Connection,
    release: ReleaseRow,
    export_format: ExportFormat,
    chunk_rows: int = CHUNK_ROWS,
) -> AsyncIterator[bytes]:
    """The export of RELEASE, a chunk of at most CHUNK_ROWS codes at a time (the first with
    the CSV header): one statement per chunk, from the rowid after the last one read."""
    # One statement for the whole release: CMS leaves few values that do not parse, if any.
    cms_texts = await fetch_release_cms_texts(connection, release.id)
    after = release.first_rowid - 1
    first = True
    while after < release.last_rowid:
        rows = list(
            await connection.execute_fetchall(
                _SELECT_CHUNK, (after + 1, release.last_rowid, chunk_rows)
            )
        )
        if not rows:
            break
        yield format_rows(
            export_format, _with_cms_texts(rows, cms_texts) if cms_texts else rows, first
        )
        first = False
        after = int(rows[-1][0])
    if first:  # a release without codes: the header alone
        yield format_rows(export_format, [], first)
