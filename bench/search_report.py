"""bench/search.py's results: each run, the latency targets, and the report printed at the end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import table
from runner import print_heading
from search_requests import PageBody, Probe
from search_texts import TYPEAHEAD
from wrk import LoadResult

CLIENTS = (1, 32)
PAGE = "(2) allCodes x100, nested"
PAGE_REFERENCE = "(3b) reference: page bytes"
TYPEAHEAD_P99_TARGET_MS = 8.0


PAGE_P50_TARGET_MS = 20.0


@dataclass
class Run:
    result: LoadResult
    bodies: int
    """Distinct request bodies the variant cycles through."""


@dataclass
class Target:
    variant: str
    measure: str
    limit_ms: float
    value_ms: float

    @property
    def holds(self) -> bool:
        return self.value_ms <= self.limit_ms


AGAINST = " [against]"
"""Appended to the name of a variant run on the --against checkout."""


def targets(runs: Sequence[Run]) -> list[Target]:
    at_one = {run.result.variant: run.result for run in runs if run.result.clients == 1}
    found = []
    for suffix in ("", AGAINST):
        if PAGE + suffix not in at_one:
            continue
        found += [
            Target(name + suffix, "p99", TYPEAHEAD_P99_TARGET_MS, at_one[name + suffix].p99_ms)
            for name in TYPEAHEAD
        ]
        found.append(Target(PAGE + suffix, "p50", PAGE_P50_TARGET_MS, at_one[PAGE + suffix].p50_ms))
    return found


@dataclass
class Report:
    environment: dict[str, Any]
    database: str
    release: str
    texts: dict[str, list[str]]
    probes: list[Probe]
    pages: list[PageBody]
    reference_text: str
    reference_bytes: int
    page_reference_bytes: int
    runs: list[Run]
    targets: list[Target] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for found, entry in zip(self.probes, data["probes"], strict=True):
            entry["median_ms"] = found.median_ms
        for target, entry in zip(self.targets, data["targets"], strict=True):
            entry["holds"] = target.holds
        return data


def print_report(report: Report) -> None:
    env = report.environment
    print_heading("search", env, f"release {report.release}")
    print(
        f"reference: the response to search(text: {report.reference_text!r}) from memory"
        f" ({report.reference_bytes:,} bytes); page reference: {report.page_reference_bytes:,}"
        " bytes"
    )
    print()
    table.header(
        f"{'variant':<30} {'clients':>7} {'texts':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'ratio':>6}  errors"
    )
    previous = None
    for found in report.runs:
        result = found.result
        if previous is not None and result.clients != previous:
            print()
        previous = result.clients
        print(
            f"{result.variant:<30} {result.clients:>7} {found.bodies:>5}"
            f" {result.requests_per_s:>9.1f} {result.p50_ms:>8.2f} {result.p99_ms:>8.2f}"
            f" {table.ratio(result):>6}  {table.errors(result)}"
        )
    print(
        "texts: distinct request bodies cycled through; ratio: throughput / the mean of the"
        " typeahead reference's two runs at the same number of clients"
    )
    for clients in CLIENTS:
        by_name = {
            run.result.variant: run.result for run in report.runs if run.result.clients == clients
        }
        if by_name[PAGE_REFERENCE].requests_per_s:
            print(
                f"(2) / (3b), the page against a reference answering its bytes,"
                f" {clients} client(s):"
                f" {by_name[PAGE].requests_per_s / by_name[PAGE_REFERENCE].requests_per_s:.3f}"
            )
    print()
    print("Targets at 1 client:")
    for target in report.targets:
        verdict = (
            "holds"
            if target.holds
            else f"MISSED by {target.value_ms - target.limit_ms:.2f} ms"
            f" ({target.value_ms / target.limit_ms:.2f}x)"
        )
        print(
            f"  {target.variant:<28} {target.measure} {target.value_ms:7.2f} ms"
            f" <= {target.limit_ms:.0f} ms: {verdict}"
        )
    print()
    print("One at a time (every text once, client-side ms incl. httpx), the slowest texts:")
    for probed in report.probes:
        over = sum(1 for text in probed.probed if text.ms > TYPEAHEAD_P99_TARGET_MS)
        slowest = ", ".join(
            f"{text.text!r} {text.ms:.1f} ms ({text.total_count} hits)" for text in probed.slowest()
        )
        print(
            f"  {probed.variant:<28} median {probed.median_ms:6.2f} ms,"
            f" {over:>2} of {len(probed.probed):>3} over {TYPEAHEAD_P99_TARGET_MS:.0f} ms;"
            f" {slowest}"
        )
