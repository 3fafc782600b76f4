"""The meanings of coded values, transcribed from the CMS record layout
(HCPC2026_recordlayout.txt) and processing notes (proc_notes_JAN2026.txt) into package data."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

TABLES = (
    "pricing_indicator",
    "multiple_pricing_indicator",
    "coverage",
    "betos",
    "betos_category",
    "type_of_service",
    "action_code",
    "lab_certification",
    "asc_payment_group",
    "mog_payment_group",
    "mog_payment_policy_indicator",
    "processing_note",
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
    if table == "betos":
        return row["code"][0]
    return row["category"] or None


def all_code_values() -> list[CodeValue]:
    return [value for table in TABLES for value in code_table(table).values()]
