"""The cost model's bounds of the lists that grow with the data (a code's history, the codes
that cross-reference it) come from the catalog, so that more releases never under-count."""

from __future__ import annotations

import dataclasses

import aiosqlite
from graphql import parse

from hcpcs_graphql.domain.request_limits import Limits
from hcpcs_graphql.schema.limits import check
from hcpcs_graphql.schema.list_bounds import data_bounds
from hcpcs_graphql.schema.measure import LimitError
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import make_context
from hcpcs_graphql.services.pagination import DEFAULT_PAGE_SIZE

HISTORY = """
query History($code: String!) {
  code(code: $code) { history { records { release { id } } } }
}
"""
REFERRERS = """
query Referrers($code: String!) {
  code(code: $code) { referencedBy { release { id } } }
}
"""


def more_releases(catalog: Catalog, count: int) -> Catalog:
    """The catalog with `count` releases: copies of its newest under other ids."""
    newest = catalog.releases[0]
    releases = tuple(dataclasses.replace(newest, id=f"2030-{n:03}") for n in range(count))
    return Catalog(releases=releases, code_values=catalog.code_values, most_referrers=7)


def cost(document: str, bounds: tuple[tuple[tuple[str, str], int], ...]) -> int:
    """The least cost limit the document passes (the cost model's measure of it)."""
    parsed = parse(document)
    for limit in range(1, 1000):
        try:
            check(schema._schema, parsed, {"code": "J9035"}, None, Limits(cost=limit), bounds)
        except LimitError:
            continue
        return limit
    raise AssertionError("costs more than 1000")


async def test_the_bounds_are_the_catalog_s(catalog: Catalog) -> None:
    assert data_bounds(catalog) == (
        (("Code", "referencedBy"), catalog.most_referrers),
        (("CodeHistory", "records"), len(catalog.releases)),
        (("Query", "releases"), len(catalog.releases)),
    )
    assert catalog.most_referrers == 2  # the 2025-10 and 2026-01 releases


async def test_more_releases_cost_more(catalog: Catalog) -> None:
    # code, history, records, and a release a record.
    assert cost(HISTORY, data_bounds(catalog)) == 3 + len(catalog.releases)
    assert cost(HISTORY, data_bounds(more_releases(catalog, 40))) == 3 + 40
    assert cost(REFERRERS, data_bounds(catalog)) == 2 + 2
    assert cost(REFERRERS, data_bounds(more_releases(catalog, 40))) == 2 + 7


async def test_a_request_is_measured_by_its_catalog(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    limits = Limits(cost=3 + len(catalog.releases))
    for served, refused in ((catalog, False), (more_releases(catalog, 40), True)):
        context = make_context(connection, served, limits=limits)
        result = await schema.execute(
            HISTORY, variable_values={"code": "J9035"}, context_value=context
        )
        codes = [error.extensions["code"] for error in result.errors or () if error.extensions]
        assert codes == (["QUERY_TOO_LARGE"] if refused else []), served.releases[0].id


def test_a_connection_without_first_costs_its_default_page() -> None:
    # A code table's `codes` was counted as one code when `first` was left out.
    asked = "{ actionCodes { codes%s { edges { node { release { id } } } } } }"
    default = cost(asked % "", ())
    assert default == cost(asked % f"(first: {DEFAULT_PAGE_SIZE})", ())
    assert default > cost(asked % "(first: 1)", ())
