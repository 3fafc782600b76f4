"""A code over time: its status on a date and its records in every loaded release."""

from __future__ import annotations

import pytest

from hcpcs_graphql.services.context import Context
from tests.graphql import execute

STATUS = """
query Status($code: String!, $on: Date) {
  code(code: $code) { status(on: $on) { status on addedDate terminationDate } }
}
"""

HISTORY = """
query History($codes: [String!]!) {
  codes(codes: $codes) {
    code
    history {
      firstRelease { id }
      lastRelease { id }
      records { release { id } action { code description } actionEffectiveDate terminationDate }
    }
  }
}
"""


@pytest.mark.parametrize(
    ("code", "on", "expected"),
    [
        # C5271 was discontinued at the end of 2025: TERM_DT is its last valid day.
        ("C5271", "2025-12-31", ("ACTIVE", "2014-01-01", "2025-12-31")),
        ("C5271", "2026-01-01", ("DISCONTINUED", "2014-01-01", "2025-12-31")),
        # A4295 was added on 2026-01-01.
        ("A4295", "2025-12-31", ("NOT_YET_EFFECTIVE", "2026-01-01", None)),
        ("A4295", "2026-01-01", ("ACTIVE", "2026-01-01", None)),
    ],
)
async def test_status_on_a_date(
    context: Context, code: str, on: str, expected: tuple[str, str, str | None]
) -> None:
    status, added, terminated = expected
    assert await execute(context, STATUS, code=code, on=on) == {
        "code": {
            "status": {
                "status": status,
                "on": on,
                "addedDate": added,
                "terminationDate": terminated,
            }
        }
    }


async def test_status_without_a_date_is_judged_today(context: Context) -> None:
    data = await execute(context, STATUS, code="C5271")
    assert data["code"]["status"]["on"] == context.today.isoformat()


NO_CHANGE = {"code": "N", "description": "No maintenance for this code"}


async def test_history_in_each_release(context: Context, statements: list[str]) -> None:
    data = await execute(context, HISTORY, codes=["C5271", "A4295", "A9597"])
    assert len(statements) == 2  # the codes, then every history at once
    assert data == {
        "codes": [
            {
                "code": "C5271",
                "history": {
                    "firstRelease": {"id": "2025-10"},
                    "lastRelease": {"id": "2026-01"},
                    "records": [
                        {
                            "release": {"id": "2025-10"},
                            "action": NO_CHANGE,
                            "actionEffectiveDate": "2014-01-01",
                            "terminationDate": None,
                        },
                        {
                            "release": {"id": "2026-01"},
                            "action": {
                                "code": "D",
                                "description": "Discontinue procedure or modifier code",
                            },
                            "actionEffectiveDate": "2026-01-01",
                            "terminationDate": "2025-12-31",
                        },
                    ],
                },
            },
            {
                "code": "A4295",
                "history": {
                    "firstRelease": {"id": "2026-01"},
                    "lastRelease": {"id": "2026-01"},
                    "records": [
                        {
                            "release": {"id": "2026-01"},
                            "action": {
                                "code": "A",
                                "description": "Add procedure or modifier code",
                            },
                            "actionEffectiveDate": "2026-01-01",
                            "terminationDate": None,
                        }
                    ],
                },
            },
            {
                "code": "A9597",
                "history": {
                    "firstRelease": {"id": "2025-10"},
                    "lastRelease": {"id": "2026-01"},
                    "records": [
                        {
                            "release": {"id": release},
                            "action": NO_CHANGE,
                            "actionEffectiveDate": "2017-01-01",
                            "terminationDate": None,
                        }
                        for release in ("2025-10", "2026-01")
                    ],
                },
            },
        ]
    }
