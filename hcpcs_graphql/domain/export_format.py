"""What an export of a release is: its columns, the RECID of each kind of code, its formats and
its file name; export.py writes it from the database, export_reader.py reads it back."""

from __future__ import annotations

from enum import Enum

from hcpcs_graphql.domain.layout import DETAIL_FIELDS, HCPC, LONG_DESCRIPTION, RECID
from hcpcs_graphql.domain.records import Kind


def export_column(column: str) -> str:
    """The name the export gives a field's column (hcpc gives HCPC)."""
    return column.upper()


COLUMNS: tuple[str, ...] = tuple(
    export_column(field.column) for field in (HCPC, RECID, LONG_DESCRIPTION, *DETAIL_FIELDS)
)
"""The export's columns (CSV header, NDJSON keys), in record layout order."""

RECIDS = {Kind.PROCEDURE.value: "3", Kind.MODIFIER.value: "7"}
"""The RECID written for each kind of code; export_reader.py reads it back."""


class ExportFormat(Enum):
    CSV = "csv"
    NDJSON = "ndjson"

    @property
    def suffix(self) -> str:
        return f".{self.value}"

    @property
    def media_type(self) -> str:
        return "text/csv; charset=utf-8" if self is ExportFormat.CSV else "application/x-ndjson"

    @classmethod
    def from_suffix(cls, suffix: str) -> ExportFormat | None:
        """The format a file suffix (".csv", "csv") names; None for any other."""
        try:
            return cls(suffix.lower().removeprefix("."))
        except ValueError:
            return None


def export_name(release_id: str, export_format: ExportFormat) -> str:
    """The file name an export is offered under: `hcpcs load` takes the release from it."""
    return f"hcpcs-{release_id}{export_format.suffix}"
