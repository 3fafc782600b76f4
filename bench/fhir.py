"""Benchmark of the FHIR facade against the GraphQL lookup, on the real January 2026 and October
2025 releases: CodeSystem/$lookup, ValueSet/$expand (a search filter, and a page of all codes)
and, as the reference, the GraphQL `code` lookup with every attribute and its meaning. All run in
one process over the app's ASGI interface (httpx's ASGITransport: no sockets, no uvicorn), one
request at a time, each variant in turn within every round; throughput is given per round and
as the median over rounds, and as a ratio to the GraphQL lookup of the same rounds. The
response cache of /graphql is off (HCPCS_RESPONSE_CACHE_MB=0) so that every GraphQL lookup is
executed, as every FHIR request is.

Run from anywhere (the paths come from this file's location):

    .venv/bin/python bench/fhir.py [--db FILE] [--rounds N] [--requests N] [--json OUT]

Without --db, both releases are loaded into a temporary database first. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

REPOSITORY = Path(__file__).resolve().parents[1]
DATA = REPOSITORY.parent / "shared" / "data" / "hcpcs"
sys.path.insert(0, str(REPOSITORY))

from hcpcs_graphql.db.loader import load  # noqa: E402
from hcpcs_graphql.http.app import create_app  # noqa: E402
from hcpcs_graphql.http.fhir.system import SYSTEM, VALUE_SET  # noqa: E402
from hcpcs_graphql.http.settings import Settings  # noqa: E402
from hcpcs_graphql.ingest.sources import find_releases  # noqa: E402

LOOKUP = """
query Lookup($code: String!) {
  code(code: $code, release: "2026-01") {
    code kind longDescription shortDescription
    pricingIndicators { code description } multiplePricingIndicator { code description }
    coverage { code description } betos { code description } typesOfService { code description }
    labCertifications { code description } crossReferences { code } cimReferences mcmReferences
    statute ascPaymentGroup { code description } ascPaymentGroupEffectiveDate
    mogPaymentGroup { code description } mogPaymentPolicyIndicator { code description }
    mogEffectiveDate processingNote { code description } anesthesiaBaseUnits addedDate
    actionEffectiveDate terminationDate action { code description }
    status(on: "2026-02-01") { status }
  }
}
"""
PAGE = """
query Page($after: String) {
  allCodes(release: "2026-01", first: 100, after: $after) {
    edges { node { code } } pageInfo { endCursor }
  }
}
"""
WORDS = ["wheelchair", "cane", "oxygen", "insulin", "catheter", "ambulance", "glucose", "brace"]

Request = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


def variants(codes: list[str]) -> dict[str, Request]:
    def graphql_lookup(client: httpx.AsyncClient, n: int) -> Awaitable[httpx.Response]:
        body = {"query": LOOKUP, "variables": {"code": codes[n % len(codes)]}}
        return client.post("/graphql", json=body)

    def fhir_lookup(client: httpx.AsyncClient, n: int) -> Awaitable[httpx.Response]:
        # The date chooses the release in effect (2026-01) and judges the status, as above.
        params = {"system": SYSTEM, "code": codes[n % len(codes)], "date": "2026-02-01"}
        return client.get("/fhir/CodeSystem/$lookup", params=params)

    def fhir_expand_filter(client: httpx.AsyncClient, n: int) -> Awaitable[httpx.Response]:
        params = {"url": VALUE_SET, "filter": WORDS[n % len(WORDS)], "count": "20",
                  "version": "2026-01"}  # fmt: skip
        return client.get("/fhir/ValueSet/$expand", params=params)

    def fhir_expand_page(client: httpx.AsyncClient, n: int) -> Awaitable[httpx.Response]:
        params = {"url": VALUE_SET, "count": "20", "offset": str((n * 20) % 9000),
                  "version": "2026-01"}  # fmt: skip
        return client.get("/fhir/ValueSet/$expand", params=params)

    return {
        "graphql code lookup (reference)": graphql_lookup,
        "fhir CodeSystem/$lookup": fhir_lookup,
        "fhir ValueSet/$expand filter, count 20": fhir_expand_filter,
        "fhir ValueSet/$expand page, count 20": fhir_expand_page,
    }


async def sample_codes(client: httpx.AsyncClient, pages: int) -> list[str]:
    codes: list[str] = []
    after = None
    for _ in range(pages):
        response = await client.post(
            "/graphql", json={"query": PAGE, "variables": {"after": after}}
        )
        found = response.json()["data"]["allCodes"]
        codes += [edge["node"]["code"] for edge in found["edges"]]
        after = found["pageInfo"]["endCursor"]
    return codes


async def run(db: Path, rounds: int, requests: int) -> dict[str, Any]:
    app = create_app(db, Settings(response_cache_bytes=0))
    results: dict[str, list[float]] = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            codes = await sample_codes(client, 10)
            chosen = variants(codes)
            for name, request in chosen.items():  # warm-up: caches of rows and facets
                for n in range(requests):
                    assert (await request(client, n)).status_code == 200, name
            for round_number in range(rounds):
                for name, request in chosen.items():
                    started = time.perf_counter()
                    for n in range(requests):
                        response = await request(client, n + round_number * requests)
                        assert response.status_code == 200, name
                    results.setdefault(name, []).append(requests / (time.perf_counter() - started))
    reference = statistics.median(next(iter(results.values())))
    return {
        "rounds": rounds,
        "requests_per_round": requests,
        "variants": {
            name: {
                "per_round": [round(value, 1) for value in values],
                "median_per_second": round(statistics.median(values), 1),
                "ratio_to_graphql_lookup": round(statistics.median(values) / reference, 3),
            }
            for name, values in results.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="a database with both releases (else loaded)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200, help="per variant and round")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hcpcs-bench-fhir-") as folder:
        db = arguments.db
        if db is None:
            db = Path(folder) / "hcpcs.db"
            load(db, [*find_releases(DATA / "2026-01_JAN"), *find_releases(DATA / "2025-10_OCT")])
        found = asyncio.run(run(db, arguments.rounds, arguments.requests))
    width = max(len(name) for name in found["variants"])
    print(f"{found['rounds']} rounds of {found['requests_per_round']} requests, one at a time")
    for name, numbers in found["variants"].items():
        print(
            f"{name:<{width}}  {numbers['median_per_second']:>8.1f}/s  "
            f"ratio {numbers['ratio_to_graphql_lookup']:.3f}"
        )
    if arguments.json is not None:
        arguments.json.write_text(json.dumps(found, indent=2) + "\n")


if __name__ == "__main__":
    main()
