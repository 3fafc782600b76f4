"""bench/search.py's requests one at a time: every text of a variant probed once, and the full
100-code pages of each filter found by following their cursors."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from paths import BenchError
from processes import Server
from queries import EVERY_CODE_FIELD

PROBE_BUDGET_S = 8.0
"""Seconds the one-by-one probe of a variant's texts may take at most."""
PAGE_DISCOVERY_BUDGET_S = 30.0
PAGES_PER_FILTER = 5
PAGE_SIZE = 100

SEARCH_QUERY = (
    "query($t: String!) { search(text: $t, first: 10) { totalCount edges { matchedBy"
    " markedShortDescription node { code shortDescription } } } }"
)


# Every field of Code and of the types nested in it, as a page of a filtered listing.
PAGE_QUERY = (
    """query Page($filter: CodeFilter, $after: String) {
  allCodes(filter: $filter, first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { ...EveryCodeField } }
  }
}"""
    + EVERY_CODE_FIELD
)


# The listings the page variant cycles through: each holds more than 100 codes of January 2026,
# so that it gives full pages; its first PAGES_PER_FILTER pages are taken (`after` each time).
PAGE_FILTERS: tuple[dict[str, Any], ...] = (
    {"codePrefix": {"eq": "J"}},
    {"codePrefix": {"eq": "l"}},
    {"betosCategory": {"eq": "D"}},
    {"coverage": {"eq": "I"}},
    {"typeOfService": {"eq": "P"}},
    {"pricingIndicator": {"in": ["51", "53"]}},
    {"hasCrossReferences": True},
    {"action": {"in": ["A", "C", "D", "P"]}},
    {"kind": {"eq": "PROCEDURE"}, "status": {"eq": "ACTIVE"}},
    {"multiplePricingIndicator": {"eq": "9"}},
    {"and": [{"codePrefix": {"eq": "G"}}, {"not": {"coverage": {"eq": "S"}}}]},
    {"or": [{"codePrefix": {"eq": "Q"}}, {"betosCategory": {"eq": "I"}}]},
    {"addedDate": {"from": "2020-01-01"}},
)


def search_body(text: str) -> dict[str, Any]:
    return {"query": SEARCH_QUERY, "variables": {"t": text}}


def page_body(page_filter: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"query": PAGE_QUERY, "variables": {"filter": page_filter, "after": after}}


@dataclass
class ProbedText:
    text: str
    ms: float
    total_count: int
    response_bytes: int


@dataclass
class Probe:
    """Every text of a variant sent once, one at a time: each must answer without errors."""

    variant: str
    texts: int
    probed: list[ProbedText]

    @property
    def median_ms(self) -> float:
        return statistics.median(text.ms for text in self.probed)

    def slowest(self, count: int = 3) -> list[ProbedText]:
        return sorted(self.probed, key=lambda text: -text.ms)[:count]


def graphql_post(client: httpx.Client, server: Server, body: dict[str, Any]) -> httpx.Response:
    response = client.post(f"{server.url}/graphql", json=body)
    if response.status_code != 200:
        raise BenchError(
            f"{server.name} answered {response.status_code} to {json.dumps(body['variables'])}:"
            f" {response.text[:300]}"
        )
    if "errors" in response.json():
        raise BenchError(
            f"{server.name} answered errors to {json.dumps(body['variables'])}:"
            f" {response.text[:300]}"
        )
    return response


def probe(server: Server, variant: str, texts: Sequence[str]) -> Probe:
    found = Probe(variant, len(texts), [])
    deadline = time.perf_counter() + PROBE_BUDGET_S
    with httpx.Client(timeout=30.0) as client:
        for text in texts:
            if time.perf_counter() > deadline:
                break
            started = time.perf_counter()
            response = graphql_post(client, server, search_body(text))
            ms = (time.perf_counter() - started) * 1000
            total = int(response.json()["data"]["search"]["totalCount"])
            found.probed.append(ProbedText(text, ms, total, len(response.content)))
    return found


@dataclass
class PageBody:
    filter: dict[str, Any]
    after: str | None
    total_count: int


def discover_pages(server: Server) -> list[PageBody]:
    """The full 100-code pages of each filter, up to PAGES_PER_FILTER each, following
    `pageInfo.endCursor`; in turns, one page of each filter after the other."""
    per_filter: list[list[PageBody]] = []
    deadline = time.perf_counter() + PAGE_DISCOVERY_BUDGET_S
    with httpx.Client(timeout=30.0) as client:
        for page_filter in PAGE_FILTERS:
            pages: list[PageBody] = []
            after: str | None = None
            for _ in range(PAGES_PER_FILTER):
                if time.perf_counter() > deadline:
                    break
                response = graphql_post(client, server, page_body(page_filter, after))
                found = response.json()["data"]["allCodes"]
                if len(found["edges"]) == PAGE_SIZE:
                    pages.append(PageBody(page_filter, after, int(found["totalCount"])))
                if not found["pageInfo"]["hasNextPage"]:
                    break
                after = found["pageInfo"]["endCursor"]
            per_filter.append(pages)
    turns = max((len(pages) for pages in per_filter), default=0)
    ordered = [pages[turn] for turn in range(turns) for pages in per_filter if turn < len(pages)]
    if len(ordered) < len(PAGE_FILTERS):
        raise BenchError(f"only {len(ordered)} full 100-code pages found for the page variant")
    return ordered


def typical_text(probes: Sequence[Probe]) -> ProbedText:
    """The probed text whose response has the median size of all typeahead responses."""
    texts = sorted(
        (text for found in probes for text in found.probed), key=lambda text: text.response_bytes
    )
    if not texts:
        raise BenchError("no typeahead text was probed")
    return texts[len(texts) // 2]
