"""Heavy operations are admitted by their cost, a bounded number at once; a refused one is
answered 503 with Retry-After and the code OVERLOADED. Counted, never timed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiosqlite

from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.admission import RETRY_SECONDS, AdmissionSettings, Gate
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import make_context
from tests.conftest import app_client

PAGE = """
query Page($first: Int!) {
  allCodes(release: "2026-01", first: $first) {
    edges { node { code coverage { code } betos { code category { code } } } }
  }
}"""
"""Cost 1 + first * (1 + 4): heavy at 100 codes with the settings below."""
LOOKUP = """
query Lookup($code: String!) { code(code: $code, release: "2026-01") { code coverage { code } } }
"""
SETTINGS = AdmissionSettings(heavy_cost=400, heavy_max=1, heavy_queue=4)


async def test_heavy_pages_wait_their_turn_lookups_do_not(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    gate = Gate(SETTINGS)

    async def run(query: str, variables: dict[str, object]) -> None:
        context = make_context(connection, catalog, gate=gate)
        result = await schema.execute(query, variable_values=variables, context_value=context)
        assert result.errors is None

    await asyncio.gather(
        *(run(PAGE, {"first": 100}) for _ in range(3)),
        *(run(LOOKUP, {"code": "A9597"}) for _ in range(5)),
        run(PAGE, {"first": 10}),  # cost 51: light
    )
    assert (gate.admitted, gate.queued, gate.refused, gate.running) == (3, 2, 0, 0)


async def test_refused_past_the_queue_with_503_and_retry_after(real_db: Path) -> None:
    async with app_client(real_db) as client:
        app = client._transport.app  # type: ignore[attr-defined]
        gate = Gate(AdmissionSettings(heavy_cost=400, heavy_max=1, heavy_queue=0))
        gate.running = 1  # one heavy operation holds the only slot
        app.state.gate = gate
        variables = {"first": 100}
        refused = await client.post("/graphql", json={"query": PAGE, "variables": variables})
        lookup = await client.post(
            "/graphql", json={"query": LOOKUP, "variables": {"code": "A9597"}}
        )
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == str(RETRY_SECONDS)
    assert refused.json() == {
        "data": None,
        "errors": [
            {
                "message": "the server is running as many heavy queries as it can; retry after "
                f"{RETRY_SECONDS} s",
                "extensions": {"code": "OVERLOADED", "retryAfter": RETRY_SECONDS},
            }
        ],
    }
    assert lookup.status_code == 200
    assert lookup.json()["data"] == {
        "code": {"code": "A9597", "coverage": {"code": "C"}},
    }
    assert (gate.admitted, gate.refused) == (0, 1)
