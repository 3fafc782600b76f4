"""The meanings of coded values, transcribed from the CMS record layout
(HCPC2026_recordlayout.txt) and processing notes (proc_notes_JAN2026.txt) into package data."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from hcpcs_graphql.domain.layout import DETAIL_FIELDS, RECID
from hcpcs_graphql.domain.table_names import Table

LAYOUT_SOURCE = (
    'HCPC2026_recordlayout.txt (CMS, "HCPCS Contractor Record - 2026", as of 11/12/2025)'
)


def _layout(number: int, columns: str) -> str:
    return f"{LAYOUT_SOURCE}, field {number} ({columns})"


@dataclass(frozen=True, slots=True)
class CodeTable:
    """Everything each layer knows of one code table; the layers iterate over REGISTRY."""

    name: Table
    title: str
    source: str
    """Where the table's values come from, as the data dictionary cites it."""
    graphql_type: str | None
    """The GraphQL type of its values (None: RECID, which no column of the database holds)."""
    code_field: str | None
    """The `Code` field that holds a code's values of the table."""
    root_field: str | None
    """The `Query` field that lists the table's values."""
    filter_field: str | None
    """The `CodeFilter` field (db/filters.py, snake case) that filters codes by the table."""
    facet: str | None
    """The name of the `Facet` value that counts codes by the table."""
    category_of: Table | None = None
    """The table whose values this one's are the first letter of (the BETOS category)."""

    @property
    def columns(self) -> tuple[str, ...]:
        """The database columns (layout.py) that carry the table, or the table it groups."""
        carrier = self.category_of or self.name
        return tuple(field.column for field in DETAIL_FIELDS if field.code_table == carrier)

    @property
    def headers(self) -> tuple[str, ...]:
        """The columns as the CMS tables name them: TOS1, ACTION_CD."""
        if self.name == Table.RECORD_IDENTIFICATION:
            return (RECID.header,)
        carrier = self.category_of or self.name
        return tuple(
            field.header.replace(" ", "_") for field in DETAIL_FIELDS if field.code_table == carrier
        )


REGISTRY: tuple[CodeTable, ...] = (
    CodeTable(Table.RECORD_IDENTIFICATION, "Record identification code", _layout(6, "RECID"),
              None, None, None, None, None),
    CodeTable(Table.PRICING_INDICATOR, "Pricing indicator", _layout(9, "PRICE1-4"),
              "PricingIndicator", "pricingIndicators", "pricingIndicators", "pricing_indicator",
              "PRICING_INDICATOR"),
    CodeTable(Table.MULTIPLE_PRICING_INDICATOR, "Multiple pricing indicator",
              _layout(10, "MULT_PI"), "MultiplePricingIndicator", "multiplePricingIndicator",
              "multiplePricingIndicators", "multiple_pricing_indicator", None),
    CodeTable(Table.LAB_CERTIFICATION, "Lab certification", _layout(14, "LABCERT1-8"),
              "LabCertification", "labCertifications", "labCertifications", "lab_certification",
              None),
    CodeTable(Table.COVERAGE, "Coverage", _layout(16, "COV"), "Coverage", "coverage",
              "coverageCodes", "coverage", "COVERAGE"),
    CodeTable(Table.ASC_PAYMENT_GROUP, "ASC payment group", _layout(17, "ASC_GRP"),
              "AscPaymentGroup", "ascPaymentGroup", None, None, None),
    CodeTable(Table.MOG_PAYMENT_GROUP, "MOG payment group", _layout(19, "OPPS"),
              "MogPaymentGroup", "mogPaymentGroup", None, None, None),
    CodeTable(Table.MOG_PAYMENT_POLICY_INDICATOR, "MOG payment policy indicator",
              _layout(20, "OPPS_PI"), "MogPaymentPolicyIndicator", "mogPaymentPolicyIndicator",
              None, None, None),
    CodeTable(Table.PROCESSING_NOTE, "Processing note",
              "proc_notes_JAN2026.txt (CMS, January 2026 release): the notes of Appendix A of "
              "the HCPCS manual", "ProcessingNote", "processingNote", None, "processing_note",
              None),
    CodeTable(Table.BETOS, "Berenson-Eggers type of service (BETOS)",
              f"{LAYOUT_SOURCE}, appendix BETOS_TB", "Betos", "betos", "betosCodes", "betos",
              "BETOS"),
    CodeTable(Table.BETOS_CATEGORY, "BETOS category",
              "The first letter of a BETOS code, named after the groups of the BETOS "
              "classification", "BetosCategory", None, "betosCategories", "betos_category",
              "BETOS_CATEGORY", category_of=Table.BETOS),
    CodeTable(Table.TYPE_OF_SERVICE, "Type of service",
              f"{LAYOUT_SOURCE}, appendix CMS_TYPE_SRVC_TB", "TypeOfService", "typesOfService",
              "typesOfService", "type_of_service", "TYPE_OF_SERVICE"),
    CodeTable(Table.ACTION_CODE, "Action code", _layout(30, "ACTION_CD"), "ActionCode", "action",
              "actionCodes", "action", "ACTION"),
)  # fmt: skip
BY_NAME: dict[Table, CodeTable] = {table.name: table for table in REGISTRY}
# The tables with values in package data (RECID's meanings are the dictionary's own).
TABLES: tuple[Table, ...] = tuple(
    table.name for table in REGISTRY if table.name != Table.RECORD_IDENTIFICATION
)


@dataclass(frozen=True, slots=True)
class CodeValue:
    table: str
    code: str
    description: str | None
    category: str | None
    """The layout's group heading of a pricing indicator, the general certification of a lab
    certification, the body system of a MOG payment group, the first letter of a BETOS code."""


@cache
def code_table(table: str) -> dict[str, CodeValue]:
    text = (
        resources.files("hcpcs_graphql.domain").joinpath("code_tables", f"{table}.csv").read_text()
    )
    rows = csv.DictReader(io.StringIO(text))
    return {
        row["code"]: CodeValue(table, row["code"], row["description"], _category(table, row))
        for row in rows
    }


def _category(table: str, row: dict[str, str]) -> str | None:
    if table == Table.BETOS:
        return row["code"][0]
    return row["category"] or None


def all_code_values() -> list[CodeValue]:
    return [value for table in TABLES for value in code_table(table).values()]
