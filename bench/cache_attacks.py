"""bench/cache.py's (e): single-code lookups at 32 clients while one connection sends an attack
query in a loop (a fragment fan-out, a deeply nested JSON body, `first: 100000`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import httpx
import table
from lookups import LOOKUP_CODE, RELEASE, Nonces, write_post_script
from processes import Server
from wrk import WARM_UP_S, LoadResult, load_result, run_beside, run_wrk_command, wrk_arguments

ATTACK_CLIENTS = 32
ATTACK_ALONE_S = 2
ATTACK_LEAD_S = 0.5
"""Seconds the attacking wrk runs before the measured wrk starts (and runs longer after)."""
BASELINE = "(e) no attack"


def fan_out_document(levels: int = 30) -> str:
    fragments = " ".join(
        f"fragment F{level} on Code {{ ...F{level + 1} ...F{level + 1} }}"
        for level in range(levels)
    )
    return (
        f'{{ code(code:"{LOOKUP_CODE}") {{ ...F0 }} }} {fragments}'
        f" fragment F{levels} on Code {{ code }}"
    )


FIRST_QUERY = (
    f'{{ allCodes(first: 100000, release: "{RELEASE}") {{ edges {{ node {{ code }} }} }} }}'
)


ATTACKS: dict[str, bytes] = {
    "fragment fan-out, 30 levels": json.dumps({"query": fan_out_document()}).encode(),
    "JSON body nested 30,000 levels": b"[" * 30_000 + b"]" * 30_000,
    "first: 100000": json.dumps({"query": FIRST_QUERY}).encode(),
}


@dataclass
class AttackRun:
    attack: str
    body_bytes: int
    status: int
    """The status the attack gets, one request alone."""
    answer: str
    """The start of that answer."""
    alone: LoadResult
    """The attack in a loop on one connection, with nothing else going on."""
    during: LoadResult
    """The attack in a loop on one connection, during the 32-client lookups."""
    lookups: LoadResult
    """The 32-client lookups during the attack."""


@dataclass
class Lookups:
    """(b)'s requests: the URL and the script that sends them."""

    url: str
    script: Path

    def run(self, seconds: float, nonces: Nonces) -> dict[str, float]:
        """The lookups at ATTACK_CLIENTS clients for SECONDS, under a nonce of their own."""
        arguments = wrk_arguments(self.url, self.script, ATTACK_CLIENTS, seconds, [], nonces.take())
        return run_wrk_command(arguments, seconds)


def attack_run(
    name: str,
    body: bytes,
    work: Path,
    index: int,
    hcpcs: Server,
    lookups: Lookups,
    duration: int,
    nonces: Nonces,
) -> AttackRun:
    script = write_post_script(work, f"attack-{index}", body)
    answer = httpx.post(
        f"{hcpcs.url}/graphql",
        content=body,
        headers={"content-type": "application/json"},
        timeout=30.0,
    )
    url = f"{hcpcs.url}/graphql"
    alone = run_wrk_command(wrk_arguments(url, script, 1, ATTACK_ALONE_S, []), ATTACK_ALONE_S)
    attack_seconds = duration + 2 * ATTACK_LEAD_S
    measured, during = run_beside(
        wrk_arguments(url, script, 1, attack_seconds, []),
        attack_seconds,
        ATTACK_LEAD_S,
        lambda: lookups.run(duration, nonces),
    )
    found = AttackRun(
        attack=name,
        body_bytes=len(body),
        status=answer.status_code,
        answer=answer.text[:160],
        alone=load_result(f"attack alone: {name}", 1, alone),
        during=load_result(f"attack: {name}", 1, during),
        lookups=load_result(f"(e) lookups, attack: {name}", ATTACK_CLIENTS, measured),
    )
    table.under_load(
        name,
        30,
        found.lookups,
        f"; attack p50 {found.during.p50_ms:.2f} ms ({found.during.requests} sent),"
        f" alone {found.alone.p50_ms:.2f} ms",
    )
    return found


def measure_attacks(
    work: Path, hcpcs: Server, lookups: Lookups, duration: int, nonces: Nonces
) -> tuple[LoadResult, list[AttackRun]]:
    """(e): the lookups alone at ATTACK_CLIENTS clients, then during each attack."""
    lookups.run(WARM_UP_S, nonces)
    baseline = load_result(BASELINE, ATTACK_CLIENTS, lookups.run(duration, nonces))
    table.under_load("no attack", 30, baseline)
    attacks = [
        attack_run(name, body, work, index, hcpcs, lookups, duration, nonces)
        for index, (name, body) in enumerate(ATTACKS.items())
    ]
    return baseline, attacks
