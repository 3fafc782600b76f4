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

from hcpcs_graphql.domain.layout import DETAIL_FIELDS, HCPC, LONG_DESCRIPTION, RECID, SEQNUM, Field

LAYOUT_SOURCE = (
    'HCPC2026_recordlayout.txt (CMS, "HCPCS Contractor Record - 2026", as of 11/12/2025)'
)
RECORD_IDENTIFICATION = "record_identification"

# The layout field (its number in the CMS layout) and the `Code` field of each column, by the
# column's name without its occurrence number (price for price1-4).
_COLUMNS: dict[str, tuple[int, str | None]] = {
    "hcpc": (1, "code"),
    "seqnum": (5, None),
    "recid": (6, "kind"),
    "long_description": (7, "longDescription"),
    "short_description": (8, "shortDescription"),
    "price": (9, "pricingIndicators"),
    "mult_pi": (10, "multiplePricingIndicator"),
    "cim": (11, "cimReferences"),
    "mcm": (12, "mcmReferences"),
    "statute": (13, "statute"),
    "labcert": (14, "labCertifications"),
    "xref": (15, "crossReferences"),
    "cov": (16, "coverage"),
    "asc_grp": (17, "ascPaymentGroup"),
    "asc_dt": (18, "ascPaymentGroupEffectiveDate"),
    "opps": (19, "mogPaymentGroup"),
    "opps_pi": (20, "mogPaymentPolicyIndicator"),
    "opps_dt": (21, "mogEffectiveDate"),
    "procnote": (22, "processingNote"),
    "betos": (23, "betos"),
    "filler260": (24, None),
    "tos": (25, "typesOfService"),
    "anest_bu": (26, "anesthesiaBaseUnits"),
    "add_dt": (27, "addedDate"),
    "act_eff_dt": (28, "actionEffectiveDate"),
    "term_dt": (29, "terminationDate"),
    "action_cd": (30, "action"),
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


def _layout(number: int, columns: str) -> str:
    return f"{LAYOUT_SOURCE}, field {number} ({columns})"


CODE_TABLES: tuple[CodeTable, ...] = (
    CodeTable(RECORD_IDENTIFICATION, "Record identification code", ("RECID",), None,
              _layout(6, "RECID")),
    CodeTable("pricing_indicator", "Pricing indicator", ("PRICE1", "PRICE2", "PRICE3", "PRICE4"),
              "pricingIndicators", _layout(9, "PRICE1-4")),
    CodeTable("multiple_pricing_indicator", "Multiple pricing indicator", ("MULT_PI",),
              "multiplePricingIndicators", _layout(10, "MULT_PI")),
    CodeTable("lab_certification", "Lab certification",
              tuple(f"LABCERT{n}" for n in range(1, 9)), "labCertifications",
              _layout(14, "LABCERT1-8")),
    CodeTable("coverage", "Coverage", ("COV",), "coverageCodes", _layout(16, "COV")),
    CodeTable("asc_payment_group", "ASC payment group", ("ASC_GRP",), None,
              _layout(17, "ASC_GRP")),
    CodeTable("mog_payment_group", "MOG payment group", ("OPPS",), None, _layout(19, "OPPS")),
    CodeTable("mog_payment_policy_indicator", "MOG payment policy indicator", ("OPPS_PI",), None,
              _layout(20, "OPPS_PI")),
    CodeTable("processing_note", "Processing note", ("PROCNOTE",), None,
              "proc_notes_JAN2026.txt (CMS, January 2026 release): the notes of Appendix A of "
              "the HCPCS manual"),
    CodeTable("betos", "Berenson-Eggers type of service (BETOS)", ("BETOS",), "betosCodes",
              f"{LAYOUT_SOURCE}, appendix BETOS_TB"),
    CodeTable("betos_category", "BETOS category", ("BETOS",), "betosCategories",
              "The first letter of a BETOS code, named after the groups of the BETOS "
              "classification"),
    CodeTable("type_of_service", "Type of service", ("TOS1", "TOS2", "TOS3", "TOS4", "TOS5"),
              "typesOfService", f"{LAYOUT_SOURCE}, appendix CMS_TYPE_SRVC_TB"),
    CodeTable("action_code", "Action code", ("ACTION_CD",), "actionCodes",
              _layout(30, "ACTION_CD")),
)  # fmt: skip


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
