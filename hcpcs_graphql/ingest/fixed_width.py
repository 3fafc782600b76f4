"""Reader of the fixed-width ANWEB text file (320-character records)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from hcpcs_graphql.domain.layout import (
    DETAIL_FIELDS,
    FIRST_RECIDS,
    HCPC,
    LONG_DESCRIPTION,
    RECID,
    RECORD_LENGTH,
    SEQNUM,
    FieldType,
)
from hcpcs_graphql.domain.records import CodeRecord, Kind, SourceError, detail_values, kind_of

_SLICES = tuple((field.column, field.start - 1, field.end) for field in DETAIL_FIELDS)
# Records may be cut short after their last non-blank character, but a date or a number fills
# its field to the end (ANEST_BU is right-aligned): a record that stops inside one is damaged.
_FILLED_FIELDS = tuple(field for field in DETAIL_FIELDS if field.type is not FieldType.TEXT)
# A record starts with a code (a procedure code, or three blanks and a modifier code),
# a five-digit sequence number and a record identification code.
_RECORD = re.compile(r"^(?:[A-Z0-9]{5}|   [A-Z0-9]{2})\d{5}[3478]")


@dataclass(slots=True)
class _Pending:
    code: str
    kind: Kind
    pieces: dict[int, str]
    raw: dict[str, str]
    where: str


def _decode(data: bytes) -> str:
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        # Older releases put cp1252 bytes in their disclaimer lines; the records are ASCII.
        return data.decode("cp1252", errors="replace")


def read_lines(name: str, lines: Iterable[bytes]) -> Iterator[CodeRecord]:
    """Yield each code of the file, its continuation records joined into the long description.

    Blank lines are skipped anywhere; lines before the first record (disclaimers) are skipped;
    any other line that is not a record is an error naming the file and line.
    """
    pending: _Pending | None = None
    started = False
    ended = True
    for number, data in enumerate(lines, start=1):
        ended = data.endswith(b"\n")
        line = _decode(data).rstrip("\r\n")
        if not line.strip():
            continue
        where = f"{name}:{number}"
        if not _RECORD.match(line):
            if not started:
                continue
            raise SourceError(f"{where}: not a HCPCS record: {line[:40]!r}")
        started = True
        if not ended and len(line) < RECORD_LENGTH:
            # A last line without a line end, shorter than a record: a download cut short.
            raise SourceError(
                f"{where}: refused by the truncation check: the last record has no line end"
                " (the file is cut short)"
            )
        length = len(line)
        if len(line) > RECORD_LENGTH:
            if line[RECORD_LENGTH:].strip():
                raise SourceError(f"{where}: record longer than {RECORD_LENGTH} characters")
            line = line[:RECORD_LENGTH]
        line = line.ljust(RECORD_LENGTH)
        recid = RECID.cut(line)
        if recid in FIRST_RECIDS:
            _check_length(line, length, where)
        kind = kind_of(recid)
        code = HCPC.cut(line).strip()
        seqnum = int(SEQNUM.cut(line))
        piece = LONG_DESCRIPTION.cut(line).rstrip()
        if recid in FIRST_RECIDS:
            if pending is not None:
                yield _finish(pending)
            raw = {column: line[start:end] for column, start, end in _SLICES}
            pending = _Pending(code, kind, {seqnum: piece}, raw, where)
            continue
        if pending is None or pending.code != code or pending.kind is not kind:
            raise SourceError(f"{where}: continuation record of {code} follows no first record")
        if seqnum in pending.pieces:
            raise SourceError(f"{where}: sequence number {seqnum} of {code} is repeated")
        pending.pieces[seqnum] = piece
    if pending is not None:
        yield _finish(pending)


def _check_length(line: str, length: int, where: str) -> None:
    for field in _FILLED_FIELDS:
        if field.start <= length < field.end and line[field.start - 1 : length].strip():
            raise SourceError(
                f"{where}: refused by the record length check: the record stops at character"
                f" {length}, inside {field.header} (positions {field.start}-{field.end})"
            )


def _finish(pending: _Pending) -> CodeRecord:
    # Each piece is padded to 80 characters; CMS breaks lines between words.
    pieces = (pending.pieces[seqnum] for seqnum in sorted(pending.pieces))
    description = " ".join(piece for piece in pieces if piece).strip()
    values, defects = detail_values(pending.code, pending.raw, pending.where, positions=True)
    return CodeRecord(
        code=pending.code,
        kind=pending.kind,
        long_description=description,
        values=values,
        where=pending.where,
        defects=defects,
    )
