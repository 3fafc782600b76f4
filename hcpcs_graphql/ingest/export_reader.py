"""Reader of the files `hcpcs export` writes (export.py): CSV under a header row, or NDJSON, one
code a line, with the same names. Loading an export gives the codes that were exported, field
for field; anything else is a SourceError naming the file and line. A date or a number that does
not parse is CMS's text the export wrote back: kept as a defect, as the CMS readers keep it."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterator, Mapping

from hcpcs_graphql.domain.export_format import COLUMNS, RECIDS, ExportFormat
from hcpcs_graphql.domain.layout import (
    DETAIL_FIELDS,
    HCPC,
    LONG_DESCRIPTION,
    RECID,
    Field,
    FieldType,
)
from hcpcs_graphql.domain.records import CodeRecord, Defect, Kind, SourceError, Value

_KINDS = {recid: Kind(kind) for kind, recid in RECIDS.items()}
_CODE = re.compile(r"[A-Z0-9]{2,5}")


def read_export(name: str, data: bytes, export_format: ExportFormat) -> Iterator[CodeRecord]:
    text = _decode(name, data)
    if export_format is ExportFormat.CSV:
        return _read_csv(name, text)
    return _read_ndjson(name, text)


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # a byte order mark, as spreadsheets save one, is skipped
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(f"{name}:{line}: not UTF-8 text") from None


def _check_names(names: list[str], where: str, noun: str) -> None:
    repeated = sorted({name for name in names if names.count(name) > 1})
    missing = [column for column in COLUMNS if column not in names]
    unknown = [name for name in names if name not in COLUMNS]
    problems = [
        f"lacks the {noun} {', '.join(missing)}" if missing else "",
        f"has unknown {noun} {', '.join(map(repr, unknown))}" if unknown else "",
        f"repeats the {noun} {', '.join(repeated)}" if repeated else "",
    ]
    if any(problems):
        raise SourceError(f"{where}: {'; '.join(problem for problem in problems if problem)}")


def _read_csv(name: str, text: str) -> Iterator[CodeRecord]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    line = 1
    try:
        for row in reader:
            where, line = f"{name}:{line}", reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                _check_names(header, where, "columns")
                continue
            if len(row) != len(header):
                raise SourceError(f"{where}: {len(row)} fields where the header has {len(header)}")
            yield _record(dict(zip(header, row, strict=True)), where)
    except csv.Error as error:
        raise SourceError(f"{name}:{reader.line_num}: not CSV ({error})") from None
    if header is None:
        raise SourceError(f"{name}: no header row ({', '.join(COLUMNS[:3])}, ...)")


def _read_ndjson(name: str, text: str) -> Iterator[CodeRecord]:
    # Split on line feeds alone: JSON text may hold other line separators (U+2028) in strings.
    for number, line in enumerate(text.split("\n"), start=1):
        where = f"{name}:{number}"
        if not line.strip():
            continue
        try:
            found = json.loads(line)
        except (ValueError, RecursionError) as error:
            raise SourceError(f"{where}: not a JSON object ({error})") from None
        if not isinstance(found, dict):
            raise SourceError(f"{where}: not a JSON object but {type(found).__name__}")
        _check_names(list(found), where, "keys")
        yield _record(found, where)


def _record(values: Mapping[str, object], where: str) -> CodeRecord:
    code = _value(HCPC, values[_name(HCPC)], where)
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise SourceError(f"{where}: HCPC {values[_name(HCPC)]!r} is not a HCPCS code")
    recid = _value(RECID, values[_name(RECID)], where)
    kind = _KINDS.get(str(recid))
    if kind is None:
        raise SourceError(f"{where}: RECID {recid!r} of {code} is not 3 or 7")
    description = _value(LONG_DESCRIPTION, values[_name(LONG_DESCRIPTION)], where)
    details: dict[str, Value] = {}
    defects: list[Defect] = []
    for field in DETAIL_FIELDS:
        value = values[_name(field)]
        try:
            details[field.column] = _value(field, value, where)
        except _CmsText as error:
            details[field.column] = None
            defects.append(
                Defect(code, _name(field), field.column, str(value), where, error.expected)
            )
    return CodeRecord(
        code=code,
        kind=kind,
        long_description=str(description or ""),
        values=details,
        where=where,
        defects=tuple(defects),
    )


class _CmsText(ValueError):
    """A date or number as text that does not parse: CMS's text, which the export writes back."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


def _name(field: Field) -> str:
    return field.column.upper()


def _value(field: Field, value: object, where: str) -> Value:
    """A cell as the database holds it: text stripped, blank None, dates ISO, whole numbers."""
    if value is None:
        return None
    if field.type is FieldType.INTEGER and isinstance(value, int) and not isinstance(value, bool):
        if value >= 0:
            return value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if field.type is FieldType.TEXT:
            return text
        if field.type is FieldType.INTEGER and text.isascii() and text.isdigit():
            return int(text)
        if field.type is FieldType.DATE and _is_iso_date(text):
            return text
    wanted = {
        FieldType.TEXT: "text",
        FieldType.DATE: "a YYYY-MM-DD date",
        FieldType.INTEGER: "a whole number",
    }[field.type]
    if isinstance(value, str):
        raise _CmsText(wanted)
    raise SourceError(f"{where}: {_name(field)} is not {wanted}: {value!r}")


def _is_iso_date(text: str) -> bool:
    try:
        return datetime.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False
