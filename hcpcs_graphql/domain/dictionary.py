"""The data dictionary: every field of the CMS record (positions from layout.py, meanings from
the CMS record layout `HCPC2026_recordlayout.txt` in package data, reference/layout_fields.csv)
and every code table, with the values a later record layout added
(reference/layout_additions.csv: pricing indicator 40 and BETOS O1L are in the 2026 layout and
not in the 2017, 2018 and 2019 ones)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from hcpcs_graphql.domain.code_tables import BY_NAME, REGISTRY
from hcpcs_graphql.domain.layout import DETAIL_FIELDS, HCPC, LONG_DESCRIPTION, RECID, SEQNUM, Field
from hcpcs_graphql.domain.table_names import Table

RECORD_IDENTIFICATION = Table.RECORD_IDENTIFICATION

# The layout field (its number in the CMS layout) and the `Code` field of each column, by the
# column's name without its occurrence number (price for price1-4); a column that carries a code
# table has its table's `Code` field (code_tables.py).
_COLUMNS: dict[str, tuple[int, str | None]] = {
    "hcpc": (1, "code"),
    "seqnum": (5, None),
    "recid": (6, "kind"),
    "long_description": (7, "longDescription"),
    "short_description": (8, "shortDescription"),
    "price": (9, None),
    "mult_pi": (10, None),
    "cim": (11, "cimReferences"),
    "mcm": (12, "mcmReferences"),
    "statute": (13, "statute"),
    "labcert": (14, None),
    "xref": (15, "crossReferences"),
    "cov": (16, None),
    "asc_grp": (17, None),
    "asc_dt": (18, "ascPaymentGroupEffectiveDate"),
    "opps": (19, None),
    "opps_pi": (20, None),
    "opps_dt": (21, "mogEffectiveDate"),
    "procnote": (22, None),
    "betos": (23, None),
    "filler260": (24, None),
    "tos": (25, None),
    "anest_bu": (26, "anesthesiaBaseUnits"),
    "add_dt": (27, "addedDate"),
    "act_eff_dt": (28, "actionEffectiveDate"),
    "term_dt": (29, "terminationDate"),
    "action_cd": (30, None),
    "filler294": (31, None),
}
_FILLERS = (Field("filler260", "", 260, 260), Field("filler294", "", 294, 320))


@dataclass(frozen=True, slots=True)
class RecordField:
    name: str
    """As the CMS tables name the column: LONG_DESCRIPTION, PRICE1, FILLER260."""
    xlsx_header: str | None
    layout_field: int
    layout_name: str
    layout_type: str
    """CHAR or NUM, as the layout gives it."""
    start: int
    end: int
    graphql_field: str | None
    code_table: str | None
    meaning: str | None
    note: str | None

    @property
    def length(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True, slots=True)
class LayoutField:
    name: str
    type: str
    meaning: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class CodeTable:
    name: str
    title: str
    columns: tuple[str, ...]
    root_field: str | None
    source: str


@dataclass(frozen=True, slots=True)
class Addition:
    first_layout: int
    source: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("hcpcs_graphql.domain").joinpath("reference", name).read_text()
    return list(csv.DictReader(io.StringIO(text)))


@cache
def layout_fields() -> dict[int, LayoutField]:
    return {
        int(row["field"]): LayoutField(
            row["name"], row["type"], row["meaning"] or None, row["note"] or None
        )
        for row in _rows("layout_fields.csv")
    }


def _base(column: str) -> str:
    """The column's name without its occurrence number: price for price1."""
    return re.sub(r"\d+$", "", column)


@cache
def record_fields() -> tuple[RecordField, ...]:
    """Every column of the 320-character record, in position order."""
    columns = sorted(
        [HCPC, SEQNUM, RECID, LONG_DESCRIPTION, *DETAIL_FIELDS, *_FILLERS],
        key=lambda field: field.start,
    )
    found = []
    for column in columns:
        number, graphql_field = _COLUMNS.get(column.column) or _COLUMNS[_base(column.column)]
        if column.code_table is not None:
            graphql_field = BY_NAME[column.code_table].code_field
        layout = layout_fields()[number]
        found.append(
            RecordField(
                name=column.header.replace(" ", "_") or column.column.upper(),
                xlsx_header=column.header or None,
                layout_field=number,
                layout_name=layout.name,
                layout_type=layout.type,
                start=column.start,
                end=column.end,
                graphql_field=graphql_field,
                code_table=RECORD_IDENTIFICATION if column is RECID else column.code_table,
                meaning=layout.meaning,
                note=layout.note,
            )
        )
    return tuple(found)


CODE_TABLES: tuple[CodeTable, ...] = tuple(
    CodeTable(table.name, table.title, table.headers, table.root_field, table.source)
    for table in REGISTRY
)


@cache
def layout_additions() -> dict[tuple[str, str], Addition]:
    return {
        (row["code_table"], row["code"]): Addition(int(row["first_layout"]), row["source"])
        for row in _rows("layout_additions.csv")
    }


@cache
def record_identification() -> tuple[tuple[str, str], ...]:
    """The RECID values and their meanings (no column of the database holds RECID)."""
    return tuple((row["code"], row["description"]) for row in _rows("record_identification.csv"))
