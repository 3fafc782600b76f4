"""bench/cache.py's results: each run, its targets, and the report printed at the end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import table
from cache_attacks import ATTACK_CLIENTS, AttackRun
from runner import print_heading
from wrk import LoadResult

CACHED = "(a) GET, same lookup (store)"
DISTINCT = "(b) GET, distinct (no cache)"
NOT_MODIFIED = "(c) GET, If-None-Match: 304"
REFERENCE = "(d) reference: bytes of (a)"

# Targets: throughput as a share of the reference's at the same number of clients, and latency.
RATIO_TARGETS = {CACHED: 0.50, DISTINCT: 0.15, NOT_MODIFIED: 0.50}


ATTACK_P99_TARGET_MS = 500.0


REJECTION_P50_TARGET_MS = 50.0


@dataclass
class Run:
    result: LoadResult
    store_hits: int | None = None
    """Response-store lookups during the run (warm-up excluded) that found an answer."""
    store_misses: int | None = None


@dataclass
class Target:
    what: str
    holds: bool
    detail: str


@dataclass
class Report:
    environment: dict[str, Any]
    database: str
    codes: int
    cached_path: str
    response_bytes: int
    etag: str
    cache_control: str
    runs: list[Run]
    attack_baseline: LoadResult
    attacks: list[AttackRun]
    targets: list[Target]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def targets(runs: Sequence[Run], attacks: Sequence[AttackRun]) -> list[Target]:
    found = []
    for run in runs:
        limit = RATIO_TARGETS.get(run.result.variant)
        ratio = run.result.ratio_to_reference
        if limit is None or ratio is None:
            continue
        found.append(
            Target(
                f"{run.result.variant}, {run.result.clients} clients: req/s >= {limit:.0%} of"
                " the reference",
                ratio >= limit,
                f"{ratio:.1%}",
            )
        )
    for attack in attacks:
        found.append(
            Target(
                f"(e) {attack.attack}: lookups p99 <= {ATTACK_P99_TARGET_MS:.0f} ms",
                attack.lookups.p99_ms <= ATTACK_P99_TARGET_MS,
                f"{attack.lookups.p99_ms:.1f} ms",
            )
        )
        found.append(
            Target(
                f"(e) {attack.attack}: its rejection p50 <= {REJECTION_P50_TARGET_MS:.0f} ms",
                attack.during.p50_ms <= REJECTION_P50_TARGET_MS,
                f"{attack.during.p50_ms:.1f} ms under load, {attack.alone.p50_ms:.2f} ms alone",
            )
        )
    return found


def print_report(report: Report) -> None:
    env = report.environment
    print_heading("cache", env, f"{env['duration_s']} s a run", f"stack {env['stack']}")
    print(
        f"(a)'s answer: {report.response_bytes} bytes, Cache-Control {report.cache_control!r};"
        f" (b) cycles through {report.codes} codes"
    )
    print()
    table.header(
        f"{'variant':<32} {'clients':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}"
        f"  {'store hit/miss':>15}  errors"
    )
    for item in report.runs:
        result = item.result
        store = "" if item.store_hits is None else f"{item.store_hits}/{item.store_misses}"
        print(
            f"{result.variant:<32} {result.clients:>7} {result.requests_per_s:>9.1f}"
            f" {result.p50_ms:>8.2f} {result.p99_ms:>8.2f} {table.ratio(result):>6}"
            f"  {store:>15}  {table.errors(result)}"
        )
    print("ratio: req/s / the reference's req/s at the same number of clients")
    print()
    table.header(
        f"{'(e) attack (1 connection)':<32} {'lookups req/s':>13} {'p50 ms':>8} {'p99 ms':>8}"
        f"  {'attack p50 ms':>13} {'sent':>6} {'alone p50':>9}  answer"
    )
    base = report.attack_baseline
    print(
        f"{'none':<32} {base.requests_per_s:>13.1f} {base.p50_ms:>8.2f} {base.p99_ms:>8.2f}"
        f"  {'':>13} {'':>6} {'':>9}  {table.errors(base)}"
    )
    for attack in report.attacks:
        lookups = attack.lookups
        print(
            f"{attack.attack:<32} {lookups.requests_per_s:>13.1f} {lookups.p50_ms:>8.2f}"
            f" {lookups.p99_ms:>8.2f}  {attack.during.p50_ms:>13.2f} {attack.during.requests:>6}"
            f" {attack.alone.p50_ms:>9.2f}  {attack.status} {attack.answer[:70]!r}"
        )
    print(
        f"lookups: (b)'s requests at {ATTACK_CLIENTS} clients; attack p50: the attack's own"
        " latency during them; alone: with nothing else going on"
    )
    print()
    print("Targets:")
    for target in report.targets:
        verdict = "holds" if target.holds else "MISSED"
        print(f"  {verdict:<6} {target.what}: {target.detail}")
