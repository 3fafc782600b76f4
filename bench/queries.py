"""The code lookups the serve, plan and nginx benches send: a single code, and 100 real codes
with every nested field, chosen from the database; and the one-request check of an answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite
import httpx
from paths import BenchError
from processes import Server
from releases import read_release

from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import make_context
from tests.fragments import every_code_field

XREF_CODES = 20
CODES = 100

SINGLE_QUERY = """query Code($code: String!) {
  code(code: $code) { code shortDescription coverage { code description } }
}"""

# One code with nested coverage and BETOS (bench/plan.py, page_profile.py, request_profile.py).
ONE_QUERY = """query One($code: String!) {
  code(code: $code) { code shortDescription coverage { code description }
    betos { code description category { code description } } }
}"""
ONE_CODE = "A9597"


# Every field of Code and of the types nested in it (bench/search.py's page uses it too).
EVERY_CODE_FIELD = every_code_field(
    target="code shortDescription",
    release="id effectiveDate loadedAt codeCount procedureCount modifierCount",
)


CODES_QUERY = (
    """query Codes($codes: [String!]!) {
  codes(codes: $codes) { ...EveryCodeField }
}"""
    + EVERY_CODE_FIELD
)


@dataclass
class Codes:
    release: str
    every: list[str]
    """Every code of the newest release, in order: the single-code lookups cycle through it."""
    hundred: list[str]
    """100 codes spread over the release, 20 of them with cross-references."""


def choose_codes(db: Path) -> Codes:
    with read_release(db) as (connection, release):
        rows = connection.execute(
            "select code, xref1 is not null from code where release_id = ? order by code",
            (release,),
        ).fetchall()
    every = [code for code, _ in rows]
    with_xref = [code for code, has in rows if has]
    without = [code for code, has in rows if not has]
    if len(with_xref) < XREF_CODES or len(without) < CODES - XREF_CODES:
        raise BenchError(f"{db}: too few codes for a {CODES}-code query with cross-references")
    hundred = spread(with_xref, XREF_CODES) + spread(without, CODES - XREF_CODES)
    return Codes(release, every, sorted(hundred))


def spread(items: Sequence[str], count: int) -> list[str]:
    """COUNT items evenly spaced over ITEMS."""
    return [items[index * len(items) // count] for index in range(count)]


def single_body(code: str) -> dict[str, Any]:
    return {"query": SINGLE_QUERY, "variables": {"code": code}}


def codes_body(codes: Codes) -> dict[str, Any]:
    return {"query": CODES_QUERY, "variables": {"codes": codes.hundred}}


def check_response(server: Server, body: dict[str, Any], expected: bytes | None) -> bytes:
    """One request: it must answer 200 without GraphQL errors (and with EXPECTED when given)."""
    response = httpx.post(f"{server.url}/graphql", json=body, timeout=30.0)
    if response.status_code != 200:
        raise BenchError(f"{server.name} answered {response.status_code}: {response.text[:300]}")
    if "errors" in response.json():
        raise BenchError(f"{server.name} answered errors: {response.text[:300]}")
    if expected is not None and response.content != expected:
        raise BenchError(f"{server.name} answered something else than the 100-code response")
    return response.content


async def execute_in_process(
    connection: aiosqlite.Connection, catalog: Catalog, query: str, variables: dict[str, Any]
) -> Any:
    """The data of QUERY executed in process, without HTTP, as the server executes it."""
    result = await schema.execute(
        query, variable_values=variables, context_value=make_context(connection, catalog)
    )
    if result.errors or result.data is None:
        raise BenchError(f"the query failed in process: {result.errors}")
    return result.data
