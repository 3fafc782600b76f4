"""`changes` from October 2025 to January 2026 reconciled with CMS's own list of those changes:
the January 2026 Transaction Report (three sheets: the codes by action, the codes by code, the
key of the actions). Category by category, the codes of our diff and of the report are the
same, but for the differences listed here, each with its explanation."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite
import openpyxl
import pytest

from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import make_context
from tests.conftest import JANUARY_2026

REPORT = JANUARY_2026 / "HCPC2026_JAN_ANWEB_Transaction Report_12292025.xlsx"

CHANGES = """
query Changes($after: String) {
  changes(from: "2025-10", to: "2026-01", first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { code kind action { code } fields { field whiteSpaceOnly } } }
  }
}
"""

# --- the explained differences --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reason:
    """One explanation, and the codes it explains."""

    why: str
    codes: tuple[str, ...]

    def of_each(self) -> dict[str, str]:
        return dict.fromkeys(self.codes, self.why)


DENTAL = Reason(
    "a dental code (CDT, the ADA's): the report lists its discontinuation, but CMS's HCPCS file "
    "carries no D codes, in October or in January",
    ("D1352", "D1705", "D1706", "D1707", "D1712", "D9248"),
)
WHITE_SPACE = Reason(
    "white space only: CMS writes two spaces where the fixed-width file breaks the description "
    "into 80-character records; records are padded with spaces, so the January txt (the source "
    "of 2026-01) keeps one, while the October xlsx (the source of 2025-10), like the January "
    "xlsx and the report, keeps both",
    (
        "C9754", "G0023", "G0417", "G0418", "G0419", "G0502", "G0503", "G0558", "G2211", "G9482",
        "G9486", "G9488", "G9627", "G9986", "M1377",
    ),
)  # fmt: skip
LONG_DESCRIPTION_TOO = Reason(
    "its long description changed too: the report gives each code one action, C (long "
    "description change)",
    (
        "A4100", "G0136", "G9414", "G9415", "G9788", "G9790", "G9796", "G9797", "G9832", "J7322",
        "M1174", "M1176", "Q4298", "Q4299", "Q4354",
    ),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Differences:
    """The codes of a category that only our diff has, and those only the report has."""

    only_ours: dict[str, str]
    only_report: dict[str, str]


EXPLAINED: dict[str, Differences] = {
    "added": Differences({}, {}),
    "discontinued": Differences({}, DENTAL.of_each()),
    "long description": Differences(
        {
            **WHITE_SPACE.of_each(),
            "L6034": "a change CMS left unreported (action N): 'amputation at transmetacarpal "
            "level' became 'amputation at distal to metacarpal joint'; the report gives the "
            "new text as unchanged",
        },
        {},
    ),
    "short description": Differences(LONG_DESCRIPTION_TOO.of_each(), {}),
    "payment": Differences(
        {
            "J3290": "a change CMS left unreported (action N): MULT_PI A became 9, in both "
            "January files",
            "J1572": "a change CMS left unreported (action N): ASC_GRP YY and ASC_DT 2008-01-01 "
            "were dropped, in both January files",
            "C9248": "not a change: PRICE3 is 11 in the October xlsx and in the January xlsx, "
            "blank in the January txt only (the loader's cross-check reports it)",
        },
        {},
    ),
}
COUNTS = {
    # category: (our diff, the report)
    "added": (160, 160),
    "discontinued": (95, 101),
    "long description": (310, 294),
    "short description": (16, 1),
    "payment": (68, 65),
}
SHEET_TWO_LACKS = {
    "G9871": "the report's sheet 'Changes by HCPC' leaves out this code, which its sheet "
    "'Changes by Action Code' lists as added"
}

PAYMENT_FIELDS = {
    "PRICING_INDICATORS",
    "MULTIPLE_PRICING_INDICATOR",
    "ASC_PAYMENT_GROUP",
    "ASC_PAYMENT_GROUP_EFFECTIVE_DATE",
    "MOG_PAYMENT_GROUP",
    "MOG_PAYMENT_POLICY_INDICATOR",
    "MOG_EFFECTIVE_DATE",
    "ANESTHESIA_BASE_UNITS",
}
DESCRIPTIONS = {"LONG_DESCRIPTION", "SHORT_DESCRIPTION"}


# --- the report -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    action: str
    short_description: str | None
    long_description: str


@dataclass(frozen=True, slots=True)
class Report:
    by_action: dict[str, Entry]
    """The sheet 'Changes by Action Code', by code."""
    by_code: dict[str, Entry]
    """The sheet 'Changes by HCPC', by code."""

    def codes(self, action: str) -> set[str]:
        return {code for code, entry in self.by_action.items() if entry.action == action}


def _entries(sheet: Any, actions: dict[str, str]) -> dict[str, Entry]:
    rows = sheet.iter_rows(values_only=True)
    assert next(rows) == ("HCPC", "ACTION CD", "SHORT DESCRIPTION", "LONG DESCRIPTION")
    entries = {}
    for code, label, short, long in rows:
        assert code.strip() not in entries
        entries[code.strip()] = Entry(actions[label.lower()], short or None, long)
    return entries


@pytest.fixture(scope="module")
def report() -> Report:
    if not REPORT.is_file():
        pytest.fail(f"the Transaction Report is expected at {REPORT}")
    workbook = openpyxl.load_workbook(REPORT, read_only=True)
    try:
        by_action, by_code, key = workbook.worksheets
        assert (by_action.title, by_code.title, key.title) == (
            "Changes by Action Code",
            "Changes by HCPC",
            "Action Code Key",
        )
        # The sheets label each code's action with the key's description: ADD, No Change, ...
        key_rows = list(key.iter_rows(values_only=True))
        assert key_rows[0] == ("Action Codes", None)
        actions = {str(description).lower(): str(code) for code, description in key_rows[1:]}
        return Report(_entries(by_action, actions), _entries(by_code, actions))
    finally:
        workbook.close()


# --- our diff and the January release -------------------------------------------------------------


@pytest.fixture(scope="module")
async def ours(connection: aiosqlite.Connection, catalog: Catalog) -> dict[str, dict[str, Any]]:
    """Every code of the diff, by code."""
    nodes: dict[str, dict[str, Any]] = {}
    after = None
    while True:
        result = await schema.execute(
            CHANGES,
            variable_values={"after": after},
            context_value=make_context(connection, catalog),
        )
        assert result.errors is None
        assert result.data is not None
        found = result.data["changes"]
        nodes.update((edge["node"]["code"], edge["node"]) for edge in found["edges"])
        if not found["pageInfo"]["hasNextPage"]:
            return nodes
        after = found["pageInfo"]["endCursor"]


@pytest.fixture(scope="module")
def january(real_db: Path) -> Iterator[dict[str, tuple[str, str | None, str]]]:
    """code -> (action code, short description, long description) of the January release."""
    database = sqlite3.connect(real_db)
    rows = database.execute(
        "select code, action_cd, short_description, long_description from code"
        " where release_id = '2026-01'"
    )
    yield {code: (action, short, long) for code, action, short, long in rows}
    database.close()


def fields(node: dict[str, Any]) -> set[str]:
    return {field["field"] for field in node["fields"]}


def categories(ours: dict[str, dict[str, Any]]) -> dict[str, set[str]]:
    """Our diff, cut as the report cuts it."""
    in_both = {c: n for c, n in ours.items() if n["kind"] not in {"ADDED", "REMOVED"}}
    return {
        "added": {code for code, node in ours.items() if node["kind"] == "ADDED"},
        "discontinued": {code for code, node in ours.items() if node["kind"] == "DISCONTINUED"},
        "long description": {c for c, n in in_both.items() if "LONG_DESCRIPTION" in fields(n)},
        "short description": {c for c, n in in_both.items() if "SHORT_DESCRIPTION" in fields(n)},
        # CMS gives each code one action: a code discontinued (D) or whose description changed
        # (C or S) is reported as such, whatever else changed.
        "payment": {
            code
            for code, node in in_both.items()
            if node["kind"] == "CHANGED"
            and fields(node) & PAYMENT_FIELDS
            and not fields(node) & DESCRIPTIONS
        },
    }


REPORTED = {
    "added": "A",
    "discontinued": "D",
    "long description": "C",
    "short description": "S",
    "payment": "P",
}


@pytest.mark.parametrize("category", list(REPORTED))
def test_each_category_matches_but_for_the_explained_differences(
    ours: dict[str, dict[str, Any]], report: Report, category: str
) -> None:
    mine, theirs = categories(ours)[category], report.codes(REPORTED[category])
    assert (len(mine), len(theirs)) == COUNTS[category]
    explained = EXPLAINED[category]
    assert (mine - theirs, theirs - mine) == (
        set(explained.only_ours),
        set(explained.only_report),
    )


def test_the_white_space_differences_are_marked(ours: dict[str, dict[str, Any]]) -> None:
    marked = {
        code for code, node in ours.items() for field in node["fields"] if field["whiteSpaceOnly"]
    }
    assert marked == set(WHITE_SPACE.codes)
    # The long descriptions that changed in words: 294 with action C, and L6034.
    assert len(categories(ours)["long description"] - marked) == 295


def test_the_dental_codes_are_in_neither_release(
    real_db: Path, january: dict[str, tuple[str, str | None, str]]
) -> None:
    dental = set(EXPLAINED["discontinued"].only_report)
    database = sqlite3.connect(real_db)
    try:
        found = database.execute(
            "select count(*) from code where kind = 'PROCEDURE' and code like 'D%'"
        ).fetchone()
    finally:
        database.close()
    assert found == (0,)
    assert not dental & january.keys()


def test_payment_changes_reported_as_description_changes(ours: dict[str, dict[str, Any]]) -> None:
    both = [
        node
        for node in ours.values()
        if node["kind"] == "CHANGED"
        and fields(node) & PAYMENT_FIELDS
        and fields(node) & DESCRIPTIONS
    ]
    assert Counter(node["action"]["code"] for node in both) == {"C": 276}


def test_every_code_the_report_lists_as_changed_is_in_our_diff_and_back(
    ours: dict[str, dict[str, Any]], report: Report
) -> None:
    reported = {code for code, entry in report.by_action.items() if entry.action != "N"}
    explained_ours = {
        code for differences in EXPLAINED.values() for code in differences.only_ours
    } - reported
    explained_report = {
        code for differences in EXPLAINED.values() for code in differences.only_report
    }
    assert (ours.keys() - reported, reported - ours.keys()) == (explained_ours, explained_report)
    # Ours only: the 15 white space differences and the 4 unreported (or not real) changes.
    assert len(explained_ours) == 19


def test_the_action_codes_of_january_are_the_reports(
    report: Report, january: dict[str, tuple[str, str | None, str]]
) -> None:
    dental = set(EXPLAINED["discontinued"].only_report)
    assert report.by_action.keys() - january.keys() == dental
    assert january.keys() <= report.by_action.keys()
    assert {
        code: (action, report.by_action[code].action)
        for code, (action, _, _) in january.items()
        if action != report.by_action[code].action
    } == {}
    assert Counter(entry.action for entry in report.by_action.values()) == {
        "N": 8391, "C": 294, "A": 160, "D": 101, "P": 65, "S": 1,
    }  # fmt: skip


@pytest.mark.realdata
def test_the_two_sheets_agree(report: Report) -> None:
    assert report.by_action.keys() - report.by_code.keys() == set(SHEET_TWO_LACKS)
    assert report.by_code.keys() <= report.by_action.keys()
    assert all(report.by_code[code] == report.by_action[code] for code in report.by_code)


def test_the_reports_descriptions_are_januarys(
    report: Report, january: dict[str, tuple[str, str | None, str]]
) -> None:
    differ = {
        code
        for code, (_, short, long) in january.items()
        if (short, long)
        != (report.by_action[code].short_description, report.by_action[code].long_description)
    }
    # The report spaces these as the xlsx files do (see WHITE_SPACE).
    assert differ == set(WHITE_SPACE.codes)
    assert all(
        report.by_action[code].long_description.split() == january[code][2].split()
        for code in differ
    )
