"""The not otherwise classified codes shipped as package data are CMS's list, NOC
codes_JAN2026.xlsx, and a description rule would not do."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from importlib import resources
from pathlib import Path

import openpyxl
import pytest

from hcpcs_graphql.domain.noc import noc_codes
from tests.conftest import JANUARY_2026

NOC_XLSX = JANUARY_2026 / "NOC codes_JAN2026.xlsx"


def cms_list() -> dict[str, str]:
    """Code -> long description; a description that runs over two rows continues on a row with
    the same code and no add date."""
    workbook = openpyxl.load_workbook(NOC_XLSX, read_only=True)
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    assert rows[2] == ("HCPCS", "LONG DESCRIPTION", "ADD DATE", "TERM DATE")
    found: dict[str, str] = {}
    for cell, description, *_ in rows[3:]:
        if cell:
            code = str(cell)
            found[code] = f"{found[code]} {description}" if code in found else str(description)
    return {code: " ".join(text.split()) for code, text in found.items()}


@pytest.mark.realdata
def test_the_package_list_is_the_cms_list() -> None:
    text = (
        resources.files("hcpcs_graphql.domain").joinpath("reference", "noc_codes.csv").read_text()
    )
    shipped = {row["code"]: row["long_description"] for row in csv.DictReader(io.StringIO(text))}
    expected = cms_list()
    assert len(expected) == 166
    assert shipped == expected
    assert noc_codes() == frozenset(expected)


def test_every_noc_code_is_in_the_january_release(real_db: Path) -> None:
    connection = sqlite3.connect(real_db)
    try:
        codes = {
            code
            for (code,) in connection.execute(
                "select code from code where release_id = '2026-01' and kind = 'PROCEDURE'"
            )
        }
    finally:
        connection.close()
    assert noc_codes() <= codes


def test_descriptions_would_not_find_them(real_db: Path) -> None:
    """Why the list is shipped: a rule on the descriptions misses 12 NOC codes (J3490,
    Unclassified drugs, among them) and takes 34 codes that are not NOC codes."""
    rule = re.compile(
        r"not otherwise (classified|specified)|unlisted|miscellaneous|\bnoc\b|\bnos\b"
    )
    connection = sqlite3.connect(real_db)
    try:
        rows = connection.execute(
            "select code, long_description, short_description from code"
            " where release_id = '2026-01' and kind = 'PROCEDURE'"
        ).fetchall()
    finally:
        connection.close()
    matched = {
        code
        for code, long, short in rows
        if rule.search(long.lower() + " " + (short or "").lower())
    }
    assert (len(noc_codes() - matched), len(matched - noc_codes())) == (12, 34)
    assert "J3490" in noc_codes() - matched
