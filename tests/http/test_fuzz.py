"""Property-based fuzzing of the real server: schemathesis generates GraphQL documents from the
schema the server publishes (valid ones, and ones whose arguments break their types) for every
root field, with a fixed seed and a fixed number of cases, and sends each to `hcpcs serve`. No
answer may be a fault of the server; rejecting bad input with a GraphQL error is correct, so
schemathesis' own GraphQL checks (which count any `errors` entry with a path as a server error)
are replaced by one that reads our error codes."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis import Case, CheckContext, GenerationMode, Response

from tests.http.answers import graphql_errors
from tests.serving import running

SEED = 1
CASES = int(os.environ.get("HCPCS_SCHEMATHESIS_CASES", "1000"))
"""About 25 s on the CI machine; scripts/fuzz sends more."""
FAULTS = {"INTERNAL_SERVER_ERROR"}
# Random strings rarely name a release or a code, and the request stops at UNKNOWN_RELEASE: more
# than half of the string arguments are drawn from values the database holds instead.
KNOWN = [
    "2026-01",
    "2025-10",
    "2026-01-01",
    "A9597",
    "j9035",
    "LT",
    "J9O35",
    "I1E",
    "D1D",
    "C",
    "57",
    "pet tumor",
    "wheelchair",
    "a",
    "b2Zmc2V0OjE=",
]
CONFIG = schemathesis.Config.from_dict(
    {
        "dictionaries": {"known": {"values": KNOWN}},
        "generation": {"dictionaries": {"string": {"dictionary": "known", "probability": 0.6}}},
    }
)


@pytest.fixture(scope="module")
def server(real_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Hypothesis keeps its state (example database, caches) in ./.hypothesis: not in the
    # repository. (schemathesis' Python API keeps none; its command line uses ./.schemathesis.)
    set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))
    try:
        with running(real_db) as url:
            yield url
    finally:
        set_hypothesis_home_dir(None)


def no_server_fault(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """The answer is a GraphQL answer: not a 5xx, a JSON object with `data` or `errors`, each
    error with a message and a code, and no code of a fault of ours."""
    for error in graphql_errors(response):
        assert error["extensions"]["code"] not in FAULTS, error
    return None


def fuzz(url: str, cases: int) -> int:
    """Send CASES generated cases to the server at URL; the number sent."""
    schema = schemathesis.graphql.from_url(f"{url}/graphql", config=CONFIG)
    strategy = schema.as_strategy(GenerationMode.POSITIVE) | schema.as_strategy(
        GenerationMode.NEGATIVE
    )
    sent = 0

    # Shrinking a failure would send thousands more requests: the failing case is reported as
    # it was found, with the command that sends it again.
    @seed(SEED)
    @settings(
        max_examples=cases,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: Case[Any]) -> None:
        nonlocal sent
        sent += 1
        case.call_and_validate(base_url=url, checks=[no_server_fault], timeout=15)

    check()
    return sent


def test_no_server_fault_in_generated_requests(server: str) -> None:
    started = time.monotonic()
    sent = fuzz(server, CASES)
    print(f"fuzz: {sent} cases in {time.monotonic() - started:.1f} s")
    assert sent >= CASES
