"""A code as read from a CMS release file, before it reaches the database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import Enum

from hcpcs_graphql.db.layout import DETAIL_FIELDS, Field, FieldType

Value = str | int | None


class Kind(Enum):
    PROCEDURE = "PROCEDURE"
    MODIFIER = "MODIFIER"


class SourceError(Exception):
    """A release file that cannot be read; the message names the file and the line or row."""


@dataclass(frozen=True, slots=True)
class CodeRecord:
    code: str
    kind: Kind
    long_description: str
    values: dict[str, Value]
    """Each of DETAIL_FIELDS by column: text as CMS writes it, dates ISO, integers int."""
    where: str
    """File and line (or row) of the code's first record."""

    def as_dict(self) -> dict[str, Value]:
        return {
            "code": self.code,
            "kind": self.kind.value,
            "long_description": self.long_description,
            **self.values,
        }


def convert(field: Field, raw: str, where: str) -> Value:
    text = raw.strip()
    if not text:
        return None
    if field.type is FieldType.DATE:
        try:
            if len(text) != 8 or not text.isdigit():
                raise ValueError(text)
            return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
        except ValueError:
            raise SourceError(f"{where}: {field.header} is not a YYYYMMDD date: {raw!r}") from None
    if field.type is FieldType.INTEGER:
        if not text.isdigit():
            raise SourceError(f"{where}: {field.header} is not a whole number: {raw!r}")
        return int(text)
    return text


def detail_values(raw: dict[str, str], where: str) -> dict[str, Value]:
    return {
        field.column: convert(field, raw.get(field.column, ""), where) for field in DETAIL_FIELDS
    }
