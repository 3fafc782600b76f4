"""The Atom feed of the loaded releases, read with a real feed parser; and `releases` giving
each release's summary of changes from the one before."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import feedparser
import httpx

from hcpcs_graphql.services.context import Context
from tests.graphql import execute

RELEASES = """
{ releases { id changesFromPrevious { byKind { kind count } byField { field count } } } }
"""
SUMMARY = """
query Summary($from: String!, $to: String!) {
  changes(from: $from, to: $to, first: 0) {
    summary { byKind { kind count } byField { field count } }
  }
}
"""


async def test_releases_give_their_summary_of_changes_from_the_one_before(
    context: Context,
) -> None:
    changes = await execute(context, SUMMARY, **{"from": "2025-10", "to": "2026-01"})
    data = await execute(context, RELEASES)
    assert data == {
        "releases": [
            {"id": "2026-01", "changesFromPrevious": changes["changes"]["summary"]},
            {"id": "2025-10", "changesFromPrevious": None},
        ]
    }
    by_kind = {item["kind"]: item["count"] for item in changes["changes"]["summary"]["byKind"]}
    # The README of the CMS files: 160 codes added and 95 discontinued in January 2026.
    assert (by_kind["ADDED"], by_kind["DISCONTINUED"]) == (160, 95)


async def test_the_feed_has_an_entry_per_release_with_its_changes_and_links(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/releases.atom")
    assert (response.status_code, response.headers["content-type"]) == (
        200,
        "application/atom+xml",
    )
    parsed = feedparser.parse(response.content)
    assert (parsed.bozo, parsed.version, parsed.feed.title) == (
        False,
        "atom10",
        "HCPCS Level II releases",
    )
    assert [entry.title for entry in parsed.entries] == [
        "HCPCS release 2026-01",
        "HCPCS release 2025-10",
    ]
    january, october = parsed.entries
    assert january.summary == (
        "Release 2026-01 takes effect on 2026-01-01: 9,006 codes. From 2025-10: 634 codes differ"
        " (160 added, 0 removed, 95 discontinued, 0 reactivated, 379 changed). By field:"
        " LONG_DESCRIPTION 310, PRICING_INDICATORS 308, ASC_PAYMENT_GROUP 296,"
        " ASC_PAYMENT_GROUP_EFFECTIVE_DATE 296, TERMINATION_DATE 95, SHORT_DESCRIPTION 16,"
        " MULTIPLE_PRICING_INDICATOR 2, CROSS_REFERENCES 1."
    )
    assert october.summary == (
        "Release 2025-10 takes effect on 2025-10-01: 8,846 codes. The oldest release loaded:"
        " no release to compare it with."
    )
    links = {link.rel: link.href for link in january.links}
    assert links["enclosure"] == "http://test/export/2026-01.csv"
    export = await client.get(links["enclosure"])
    assert export.status_code == 200
    changes = urlsplit(links["related"])
    query = parse_qs(changes.query)
    assert json.loads(query["variables"][0]) == {"from": "2025-10", "to": "2026-01"}
    answer = await client.get(links["related"])
    assert answer.status_code == 200
    assert "errors" not in answer.json()
    assert answer.json()["data"]["changes"]["totalCount"] > 0
    assert {link.rel for link in october.links} == {"enclosure"}
