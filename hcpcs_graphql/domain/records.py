"""A code as read from a CMS release file, before it reaches the database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import auto

from hcpcs_graphql.domain.described import DescribedEnum
from hcpcs_graphql.domain.layout import DETAIL_FIELDS, MODIFIER_RECIDS, Field, FieldType

Value = str | int | None


class Kind(DescribedEnum):
    PROCEDURE = auto(), "A procedure, supply, product or service (RECID 3 and 4)."
    MODIFIER = auto(), "A two-character modifier (RECID 7 and 8)."


def kind_of(recid: str) -> Kind:
    """The kind of code a record of the file (its RECID) describes."""
    return Kind.MODIFIER if recid in MODIFIER_RECIDS else Kind.PROCEDURE


class SourceError(Exception):
    """A release file that cannot be read; the message names the file and the line or row."""


@dataclass(frozen=True, slots=True)
class Defect:
    """A value of a CMS file that does not parse: kept as CMS wrote it, in the release's notes;
    the field itself is left blank."""

    code: str
    header: str
    column: str
    """The field's column (db and export name it so, the export in capitals)."""
    raw: str
    """The field's text as in the file, spaces kept."""
    where: str
    expected: str

    def message(self) -> str:
        return (
            f"{self.header} of {self.code} at {self.where} is not {self.expected}: {self.raw!r}"
            " (kept here as written; the field is left blank)"
        )


class _Unparsed(ValueError):
    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


@dataclass(frozen=True, slots=True)
class CodeRecord:
    code: str
    kind: Kind
    long_description: str
    values: dict[str, Value]
    """Each of DETAIL_FIELDS by column: text as CMS writes it, dates ISO, integers int."""
    where: str
    """File and line (or row) of the code's first record."""
    defects: tuple[Defect, ...] = ()

    def as_dict(self) -> dict[str, Value]:
        return {
            "code": self.code,
            "kind": self.kind.value,
            "long_description": self.long_description,
            **self.values,
        }


def _convert(field: Field, raw: str) -> Value:
    text = raw.strip()
    if not text:
        return None
    if field.type is FieldType.DATE:
        try:
            if len(text) != 8 or not text.isdigit():
                raise ValueError(text)
            return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
        except ValueError:
            raise _Unparsed("a YYYYMMDD date") from None
    if field.type is FieldType.INTEGER:
        if not text.isdigit():
            raise _Unparsed("a whole number")
        return int(text)
    return text


_PLAN = tuple((field, field.column, field.type is FieldType.TEXT) for field in DETAIL_FIELDS)


def detail_values(
    code: str, raw: dict[str, str], where: str, positions: bool = False
) -> tuple[dict[str, Value], tuple[Defect, ...]]:
    """The fields of a code, and the values that do not parse (left blank, reported)."""
    values: dict[str, Value] = {}
    defects: list[Defect] = []
    for field, column, is_text in _PLAN:
        text = raw.get(column, "")
        if is_text:  # most fields: the loop's fast path (a load reads 800,000 values)
            values[column] = text.strip() or None
            continue
        try:
            values[column] = _convert(field, text)
        except _Unparsed as error:
            values[field.column] = None
            at = f"{where}, positions {field.start}-{field.end}" if positions else where
            defects.append(Defect(code, field.header, column, text, at, error.expected))
    return values, tuple(defects)
