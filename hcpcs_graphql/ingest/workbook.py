"""Reader of the ANWEB workbook, xlsx or the xls of older releases: one row per code under a
header row whose first cell is HCPC (title rows above it are skipped). python-calamine reads
both formats, about six times faster than openpyxl did (bench/workbooks.py)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO

import python_calamine

from hcpcs_graphql.domain.layout import (
    CONTINUATION_RECIDS,
    DETAIL_FIELDS,
    FIRST_RECIDS,
    HCPC,
    LONG_DESCRIPTION,
    RECID,
)
from hcpcs_graphql.domain.records import CodeRecord, SourceError, detail_values, kind_of

_HEADERS = {field.header: field for field in (HCPC, RECID, LONG_DESCRIPTION, *DETAIL_FIELDS)}
_BY_COLUMN = {field.column: field for field in _HEADERS.values()}


def _text(value: object, width: int) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y%m%d")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        # A cell typed as a number has lost its leading zeros ("00", "010").
        return str(value).zfill(width)
    return str(value)


def _open(name: str, source: Path | IO[bytes]) -> python_calamine.CalamineWorkbook:
    try:
        return python_calamine.CalamineWorkbook.from_object(source)
    except (python_calamine.CalamineError, OSError) as error:
        raise SourceError(f"{name}: not a readable xlsx or xls workbook ({error})") from None


def _rows(
    name: str, workbook: python_calamine.CalamineWorkbook
) -> Iterator[tuple[int, list[object]]]:
    """Each row with its number in the sheet (calamine starts at the first cell with data)."""
    try:
        sheet = workbook.get_sheet_by_index(0)
        first = sheet.start[0] + 1 if sheet.start is not None else 1
        for number, row in enumerate(sheet.iter_rows(), start=first):
            yield number, list(row)
    except python_calamine.CalamineError as error:
        raise SourceError(f"{name}: not a readable xlsx or xls workbook ({error})") from None


def read_workbook(name: str, source: Path | IO[bytes]) -> Iterator[CodeRecord]:
    workbook = _open(name, source)
    try:
        columns: dict[int, str] | None = None
        previous: CodeRecord | None = None
        for number, row in _rows(name, workbook):
            where = f"{name}:row {number}"
            if columns is None:
                if row and isinstance(row[0], str) and row[0].strip() == HCPC.header:
                    columns = _header(row, where)
                    plan = [(i, c, _BY_COLUMN[c].width) for i, c in columns.items()]
                continue
            # Nearly every cell is text: taken as it is, without a call.
            cells = {
                column: value if type(value) is str else _text(value, width)
                for index, column, width in plan
                if index < len(row)
                for value in (row[index],)
            }
            if not any(value.strip() for value in cells.values()):
                continue
            code = cells.get(HCPC.column, "").strip()
            recid = cells.get(RECID.column, "").strip()
            if not code:
                raise SourceError(f"{where}: row without a HCPC code")
            if recid not in FIRST_RECIDS | CONTINUATION_RECIDS:
                raise SourceError(f"{where}: RECID {recid!r} of {code} is not 3, 4, 7 or 8")
            if recid in CONTINUATION_RECIDS:
                if previous is None or previous.code != code:
                    raise SourceError(f"{where}: continuation row of {code} follows no first row")
                piece = cells.get(LONG_DESCRIPTION.column, "").strip()
                previous = replace(
                    previous, long_description=f"{previous.long_description} {piece}".strip()
                )
                continue
            if previous is not None:
                yield previous
            previous = _record(code, recid, cells, where)
        if columns is None:
            raise SourceError(f"{name}: no header row starting with {HCPC.header!r}")
        if previous is not None:
            yield previous
    finally:
        workbook.close()


def _header(row: list[object], where: str) -> dict[int, str]:
    columns: dict[int, str] = {}
    for index, value in enumerate(row):
        field = _HEADERS.get(str(value).strip()) if value is not None else None
        if field is not None:
            columns[index] = field.column
    missing = sorted(set(_HEADERS) - {_BY_COLUMN[c].header for c in columns.values()})
    if missing:
        raise SourceError(f"{where}: header row lacks the columns {', '.join(missing)}")
    return columns


def _record(code: str, recid: str, cells: dict[str, str], where: str) -> CodeRecord:
    kind = kind_of(recid)
    values, defects = detail_values(code, cells, where)
    return CodeRecord(
        code=code,
        kind=kind,
        long_description=cells.get(LONG_DESCRIPTION.column, "").strip(),
        values=values,
        where=where,
        defects=defects,
    )
