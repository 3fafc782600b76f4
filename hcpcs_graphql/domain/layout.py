"""The CMS ANWEB record layout: every field, its columns in the fixed-width file and its header
in the xlsx (HCPC2026_recordlayout.txt; the same positions since the 2017 layout)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from hcpcs_graphql.domain.table_names import Table


class FieldType(Enum):
    TEXT = "text"
    DATE = "date"
    INTEGER = "integer"


@dataclass(frozen=True, slots=True)
class Field:
    column: str
    """Column name in the database."""
    header: str
    """Column header in the CMS xlsx."""
    start: int
    """First position in the fixed-width record, 1-based."""
    end: int
    """Last position in the fixed-width record, inclusive."""
    type: FieldType = FieldType.TEXT
    code_table: Table | None = None

    @property
    def width(self) -> int:
        return self.end - self.start + 1

    def cut(self, line: str) -> str:
        return line[self.start - 1 : self.end]


def _repeated(
    column: str, count: int, start: int, width: int, code_table: Table | None = None
) -> list[Field]:
    return [
        Field(
            f"{column}{n}",
            f"{column.upper()}{n}",
            start + (n - 1) * width,
            start + n * width - 1,
            code_table=code_table,
        )
        for n in range(1, count + 1)
    ]


HCPC = Field("hcpc", "HCPC", 1, 5)
SEQNUM = Field("seqnum", "SEQNUM", 6, 10)
RECID = Field("recid", "RECID", 11, 11)
LONG_DESCRIPTION = Field("long_description", "LONG DESCRIPTION", 12, 91)

# The fields a code's first record carries, in record order; the columns of the `code` table.
DETAIL_FIELDS: tuple[Field, ...] = (
    Field("short_description", "SHORT DESCRIPTION", 92, 119),
    *_repeated("price", 4, 120, 2, Table.PRICING_INDICATOR),
    Field("mult_pi", "MULT_PI", 128, 128, code_table=Table.MULTIPLE_PRICING_INDICATOR),
    *_repeated("cim", 3, 129, 6),
    *_repeated("mcm", 3, 147, 8),
    Field("statute", "STATUTE", 171, 180),
    *_repeated("labcert", 8, 181, 3, Table.LAB_CERTIFICATION),
    *_repeated("xref", 5, 205, 5),
    Field("cov", "COV", 230, 230, code_table=Table.COVERAGE),
    Field("asc_grp", "ASC_GRP", 231, 232, code_table=Table.ASC_PAYMENT_GROUP),
    Field("asc_dt", "ASC_DT", 233, 240, FieldType.DATE),
    Field("opps", "OPPS", 241, 243, code_table=Table.MOG_PAYMENT_GROUP),
    Field("opps_pi", "OPPS_PI", 244, 244, code_table=Table.MOG_PAYMENT_POLICY_INDICATOR),
    Field("opps_dt", "OPPS_DT", 245, 252, FieldType.DATE),
    Field("procnote", "PROCNOTE", 253, 256, code_table=Table.PROCESSING_NOTE),
    Field("betos", "BETOS", 257, 259, code_table=Table.BETOS),
    *_repeated("tos", 5, 261, 1, Table.TYPE_OF_SERVICE),
    Field("anest_bu", "ANEST_BU", 266, 268, FieldType.INTEGER),
    Field("add_dt", "ADD DT", 269, 276, FieldType.DATE),
    Field("act_eff_dt", "ACT EFF DT", 277, 284, FieldType.DATE),
    Field("term_dt", "TERM DT", 285, 292, FieldType.DATE),
    Field("action_cd", "ACTION CD", 293, 293, code_table=Table.ACTION_CODE),
)

RECORD_LENGTH = 320
PROCEDURE_RECIDS = frozenset({"3", "4"})
MODIFIER_RECIDS = frozenset({"7", "8"})
FIRST_RECIDS = frozenset({"3", "7"})
CONTINUATION_RECIDS = frozenset({"4", "8"})
