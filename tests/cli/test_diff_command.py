"""`hcpcs diff FROM TO` on the real releases: the summary the API's `changes` gives, every change
as CSV, and one-line errors with exit code 2."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path
from typing import Any

import pytest

from hcpcs_graphql.cli.diff_report import CSV_HEADER
from hcpcs_graphql.cli.main import main
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.context import Context
from tests.cli.run import run

SUMMARY = """\
changes from 2025-10 to 2026-01: 634 codes
by kind:
  ADDED                                 160
  REMOVED                                 0
  DISCONTINUED                           95
  REACTIVATED                             0
  CHANGED                               379
by field (codes in both releases):
  LONG_DESCRIPTION                      310
  PRICING_INDICATORS                    308
  ASC_PAYMENT_GROUP                     296
  ASC_PAYMENT_GROUP_EFFECTIVE_DATE      296
  TERMINATION_DATE                       95
  SHORT_DESCRIPTION                      16
  MULTIPLE_PRICING_INDICATOR              2
  CROSS_REFERENCES                        1
compared: every field but ACTION_EFFECTIVE_DATE, ACTION
"""

CHANGES = """
query Changes($after: String) {
  changes(from: "2025-10", to: "2026-01", first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        code
        kind
        action { code }
        fields {
          field before after whiteSpaceOnly
          codedBefore { description }
          codedAfter { description }
        }
      }
    }
  }
}
"""


def test_the_summary(real_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "diff", "2025-10", "2026-01", "--db", real_db) == (0, SUMMARY, "")


def test_chosen_fields_and_the_same_release_twice(
    real_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "diff", "2025-10", "2026-01", "--db", real_db,
        "--fields", "coverage, multiple_pricing_indicator",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "changes from 2025-10 to 2026-01: 162 codes"
    assert out.splitlines()[-3:] == [
        "by field (codes in both releases):",
        "  MULTIPLE_PRICING_INDICATOR              2",
        "compared: MULTIPLE_PRICING_INDICATOR, COVERAGE",
    ]
    code, out, err = run(capsys, "diff", "2026-01", "2026-01", "--db", real_db, "--fields", "all")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "changes from 2026-01 to 2026-01: 0 codes"
    assert out.splitlines()[-3:] == [
        "by field (codes in both releases):",
        "  none",
        "compared: every field",
    ]


async def api_changes(context: Context) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        result = await schema.execute(
            CHANGES, variable_values={"after": after}, context_value=context
        )
        assert result.errors is None
        assert result.data is not None
        found = result.data["changes"]
        nodes.extend(edge["node"] for edge in found["edges"])
        if not found["pageInfo"]["hasNextPage"]:
            return nodes
        after = found["pageInfo"]["endCursor"]


async def test_the_csv_holds_every_change_the_api_gives(
    real_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], context: Context
) -> None:
    path = tmp_path / "changes.csv"
    # The command runs its own event loop: in another thread than the test's.
    arguments = ["diff", "2025-10", "2026-01", "--db", str(real_db), "--csv", str(path)]
    code = await asyncio.to_thread(main, arguments)
    out, err = capsys.readouterr()
    assert (code, out, err) == (0, SUMMARY + f"wrote 634 codes to {path}\n", "")
    with path.open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert tuple(rows[0]) == CSV_HEADER

    def joined(values: list[Any]) -> str:
        return " | ".join(value or "" for value in values)

    expected = [
        (
            node["code"],
            node["kind"],
            node["action"]["code"] if node["action"] else "",
            field["field"],
            joined(field["before"]),
            joined(field["after"]),
            joined([value["description"] for value in field["codedBefore"]]),
            joined([value["description"] for value in field["codedAfter"]]),
            "yes" if field["whiteSpaceOnly"] else "",
        )
        for node in await api_changes(context)
        for field in node["fields"]
    ]
    assert [tuple(row) for row in rows[1:]] == expected
    assert len(expected) == 2804
    assert [
        "M0010", "CHANGED", "P", "MULTIPLE_PRICING_INDICATOR", "A", "9",
        "Not applicable as HCPCS priced under one methodology",
        "Not applicable as HCPCS not priced separately by part B (pricing indicator is 00) or "
        "value is not established (pricing indicator is '99')",
        "",
    ] in rows  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["2025-07", "2026-01"],
            "hcpcs: release '2025-07' is not in {db}; loaded releases: 2026-01, 2025-10\n",
        ),
        (
            ["2025-10", "2026-1"],
            "hcpcs: release '2026-1' is not in {db}; loaded releases: 2026-01, 2025-10\n",
        ),
        (
            ["2025-10", "2026-01", "--fields", "coverage,cov"],
            "hcpcs: --fields: unknown field COV; the fields are: LONG_DESCRIPTION, "
            "SHORT_DESCRIPTION, PRICING_INDICATORS, MULTIPLE_PRICING_INDICATOR, CIM_REFERENCES, "
            "MCM_REFERENCES, STATUTE, LAB_CERTIFICATIONS, CROSS_REFERENCES, COVERAGE, "
            "ASC_PAYMENT_GROUP, ASC_PAYMENT_GROUP_EFFECTIVE_DATE, MOG_PAYMENT_GROUP, "
            "MOG_PAYMENT_POLICY_INDICATOR, MOG_EFFECTIVE_DATE, PROCESSING_NOTE, BETOS, "
            "TYPES_OF_SERVICE, ANESTHESIA_BASE_UNITS, ADDED_DATE, ACTION_EFFECTIVE_DATE, "
            "TERMINATION_DATE, ACTION, or all\n",
        ),
    ],
)
def test_errors(
    real_db: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert run(capsys, "diff", *args, "--db", real_db) == (2, "", message.format(db=real_db))


def test_a_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "nothing.db"
    assert run(capsys, "diff", "2025-10", "2026-01", "--db", db) == (
        2,
        "",
        f"hcpcs: {db}: no such database file (load one with `hcpcs load`)\n",
    )
    assert not db.exists()
