"""`Code.cmsDefects` on issue 11's trial (an ASC_DT shifted two columns in five records of the
real January txt): CMS's text of each value that does not parse, one statement for a page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from hcpcs_graphql.db.connection import connect_read_only, statement_clock
from hcpcs_graphql.db.loader import load
from hcpcs_graphql.ingest.sources import find_releases
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context, make_context
from tests.graphql import execute
from tests.shifted_asc_dt import CMS_TEXT, SHIFTED, shifted_january

pytestmark = pytest.mark.realdata

PAGE = """
query Page($prefix: String!, $first: Int!) {
  allCodes(filter: { codePrefix: { eq: $prefix } }, first: $first) {
    edges { node { code ascPaymentGroupEffectiveDate cmsDefects { field cmsText reason } } }
  }
}
"""

PAGE_WITHOUT_DEFECTS = """
query Page($prefix: String!, $first: Int!) {
  allCodes(filter: { codePrefix: { eq: $prefix } }, first: $first) {
    edges { node { code ascPaymentGroupEffectiveDate } }
  }
}
"""


@pytest.fixture(scope="module")
def trial_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = shifted_january(tmp_path_factory.mktemp("2026-01_JAN"))
    db = folder / "hcpcs.db"
    load(db, find_releases(folder))
    return db


@pytest.fixture
async def traced(trial_db: Path) -> AsyncIterator[tuple[Context, list[str]]]:
    connection = await connect_read_only(trial_db)
    context = make_context(connection, await Catalog.read(connection))
    seen: list[str] = []
    statement_clock(connection).listeners.append(seen.append)
    yield context, seen
    await connection.close()


async def test_a_page_of_codes_gives_cms_text_of_each_value_that_does_not_parse(
    traced: tuple[Context, list[str]],
) -> None:
    context, statements = traced
    data = await execute(context, PAGE, prefix="A200", first=9)
    defect = {"field": "ASC_DT", "cmsText": CMS_TEXT, "reason": "not a YYYYMMDD date"}
    nodes: list[dict[str, Any]] = [edge["node"] for edge in data["allCodes"]["edges"]]
    # A2004 has no ASC_DT in CMS's file; A2008 and A2009 keep theirs.
    assert nodes == [
        {
            "code": code,
            "ascPaymentGroupEffectiveDate": date,
            "cmsDefects": [defect] if code in SHIFTED else [],
        }
        for code, date in (
            ("A2001", None),
            ("A2002", None),
            ("A2004", None),
            ("A2005", None),
            ("A2006", None),
            ("A2007", None),
            ("A2008", "2026-01-01"),
            ("A2009", "2026-01-01"),
        )
    ]
    # The page, then one statement for the defects of every code on it (no N+1).
    with_defects = len(statements)
    statements.clear()
    await execute(context, PAGE_WITHOUT_DEFECTS, prefix="A200", first=9)
    assert with_defects == len(statements) + 1
    assert with_defects == 2, statements
