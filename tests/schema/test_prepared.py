"""The prepared operation (schema/prepared.py) answers what Strawberry's `schema.execute` answers:
the whole result, data, errors (message, path, locations, extensions) and extensions, each
document run both ways. Work is counted: a repeated document is parsed and validated once, and
runs the statements Strawberry's path runs."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
import strawberry.schema.schema as strawberry_schema
from graphql.validation import validate as graphql_validate

from hcpcs_graphql.db.connection import connect_read_only, statement_clock
from hcpcs_graphql.domain.request_limits import Limits
from hcpcs_graphql.schema import preparation as prepared_module
from hcpcs_graphql.schema.preparation import COUNTS
from hcpcs_graphql.schema.prepared import PreparedSchema
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.admission import AdmissionSettings, Gate
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context, make_context

LOOKUP = """query One($code: String!) {
  code(code: $code) { code shortDescription coverage { code description }
    betos { code description category { code description } } }
}"""
PAGE = """query Page($first: Int, $after: String) {
  allCodes(release: "2026-01", first: $first, after: $after) {
    edges { cursor node { code coverage { code } betos { code category { code } } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
FRAGMENTS = """query Codes($codes: [String!]!) {
  codes(codes: $codes, release: "2026-01") { ...Named coverage { ...Described } }
}
fragment Named on Code { code shortDescription }
fragment Described on Coverage { code description }"""
TWO_OPERATIONS = """query A { releases { id } }
query B($code: String!) { code(code: $code) { code release { id } } }"""
DIRECTIVES = """query D($code: String!, $more: Boolean!) {
  code(code: $code) { code longDescription @include(if: $more) }
}"""
FACETS = "{ allCodes(first: 0) { facets { betos { code count } } } }"
ALIASES = "{ " + " ".join(f"a{n}: releases {{ id }}" for n in range(20)) + " }"

Case = tuple[str, dict[str, Any] | None, str | None]
CASES: dict[str, Case] = {
    "a lookup": (LOOKUP, {"code": "A9597"}, None),
    "a code that does not exist": (LOOKUP, {"code": "ZZZZZ"}, None),
    "a bad variable": (LOOKUP, {"code": 5}, None),
    "a missing variable": (LOOKUP, {}, None),
    "an unknown variable type's value": (PAGE, {"first": "ten"}, None),
    "a page": (PAGE, {"first": 3}, None),
    "a page too large for its limit": (PAGE, {"first": 5000}, None),
    "a bad cursor": (PAGE, {"first": 2, "after": "not-a-cursor"}, None),
    "fragments": (FRAGMENTS, {"codes": ["A9597", "E0100", "NOPE"]}, None),
    "the first of two operations": (TWO_OPERATIONS, None, "A"),
    "the second of two operations": (TWO_OPERATIONS, {"code": "E0100"}, "B"),
    "two operations without a name": (TWO_OPERATIONS, None, None),
    "an operation that is not there": (TWO_OPERATIONS, None, "C"),
    "directives": (DIRECTIVES, {"code": "E0100", "more": False}, None),
    "a limit refusal (aliases)": (ALIASES, None, None),
    "a syntax error": ("{ code(", None, None),
    "a validation error": ("{ cod }", None, None),
}


@contextmanager
def path(prepared: bool) -> Iterator[None]:
    before = PreparedSchema.prepared
    PreparedSchema.prepared = prepared
    try:
        yield
    finally:
        PreparedSchema.prepared = before


def whole(result: Any) -> Any:
    """The result as a client sees it, an internal error's random reference set aside."""
    errors = []
    for error in result.errors or ():
        extensions = dict(error.extensions or {})
        if "reference" in extensions:
            extensions["reference"] = "..."
        message = error.message
        if extensions.get("code") == "INTERNAL_SERVER_ERROR":
            message = "..."
        errors.append((message, error.path, error.locations, extensions))
    return result.data, errors, result.extensions


async def both(
    new_context: Callable[[], Context], query: str, variables: Any, name: str | None
) -> tuple[Any, Any]:
    found = []
    for prepared in (True, False, True):  # the first run prepares, the last reuses
        with path(prepared):
            try:
                result = await schema.execute(
                    query,
                    variable_values=variables,
                    context_value=new_context(),
                    operation_name=name,
                )
            except Exception as error:  # the view answers it (an operation not in the document)
                found.append(repr(error))
                continue
        found.append(whole(result))
    assert found[0] == found[2]
    return found[0], found[1]


STRAWBERRY_ANSWERS = {
    "two operations without a name",
    "an operation that is not there",
    "a syntax error",
    "a validation error",
}
REFUSED = {"a limit refusal (aliases)"}


@pytest.mark.parametrize("case", list(CASES))
async def test_the_same_result_both_ways(
    connection: aiosqlite.Connection, catalog: Catalog, case: str
) -> None:
    query, variables, name = CASES[case]
    before = COUNTS.copy()
    fast, slow = await both(lambda: make_context(connection, catalog), query, variables, name)
    assert fast == slow
    way = "strawberry" if case in STRAWBERRY_ANSWERS else "refused" if case in REFUSED else "run"
    # Two runs with the prepared operation on (and the one off, always Strawberry's).
    expected = {"run": 0, "refused": 0, "strawberry": 1}
    expected[way] += 2
    assert {key: COUNTS[key] - before[key] for key in expected} == expected


async def test_a_variable_dependent_limit_refusal(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    # Cost 1 + first * 5: within 100 at first: 10, refused at first: 50, the same document.
    def small() -> Context:
        return make_context(connection, catalog, limits=Limits(cost=100))

    for first in (10, 50, 10):
        fast, slow = await both(small, PAGE, {"first": first}, None)
        assert fast == slow
    assert (await both(small, PAGE, {"first": 50}, None))[0][1][0][3] == {"code": "QUERY_TOO_LARGE"}


async def test_a_stale_release_warning_and_the_answering_release(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    def later() -> Context:
        return make_context(connection, catalog, today=datetime.date(2026, 11, 30))

    fast, slow = await both(later, LOOKUP, {"code": "A9597"}, None)
    assert fast == slow
    assert set(fast[2]) == {"releases", "warnings"}


async def test_overloaded_both_ways(connection: aiosqlite.Connection, catalog: Catalog) -> None:
    gate = Gate(AdmissionSettings(heavy_cost=400, heavy_max=1, heavy_queue=0))
    gate.running = 1  # one heavy operation holds the only slot
    contexts: list[Context] = []

    def gated() -> Context:
        contexts.append(make_context(connection, catalog, gate=gate))
        return contexts[-1]

    fast, slow = await both(gated, PAGE, {"first": 100}, None)
    assert fast == slow
    assert fast[1][0][3]["code"] == "OVERLOADED"
    assert [context.overloaded for context in contexts] == [True, True, True]
    light, light_slow = await both(gated, LOOKUP, {"code": "A9597"}, None)
    assert light == light_slow
    assert light[1] == []


async def test_a_statement_stopped_by_its_limit(real_db: Path) -> None:
    limited = await connect_read_only(real_db)
    try:
        catalog = await Catalog.read(limited)
        statement_clock(limited).checks = 1  # stopped at its first check: steps, not seconds

        def uncached() -> Context:  # no facets cached from the run before
            return make_context(limited, cold(catalog))

        fast, slow = await both(uncached, FACETS, None, None)
    finally:
        await limited.close()
    assert fast == slow
    assert fast[1][0][3] == {"code": "STATEMENT_TIMEOUT"}


def vars_of(catalog: Catalog) -> dict[str, Any]:
    return {
        "releases": catalog.releases,
        "code_values": catalog.code_values,
        "vocabulary": catalog.vocabulary,
        "most_referrers": catalog.most_referrers,
    }


async def test_an_internal_error(real_db: Path) -> None:
    closed = await connect_read_only(real_db)
    catalog = await Catalog.read(closed)
    await closed.close()  # every statement now fails inside the server
    fast, slow = await both(lambda: make_context(closed, catalog), LOOKUP, {"code": "A9597"}, None)
    assert fast == slow
    assert fast[1][0][3] == {"code": "INTERNAL_SERVER_ERROR", "reference": "..."}


async def test_a_repeated_document_is_parsed_and_validated_once(
    connection: aiosqlite.Connection, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    validations = 0
    validate = graphql_validate  # as strawberry.schema.schema imports it

    def counted(*arguments: Any) -> Any:
        nonlocal validations
        validations += 1
        return validate(*arguments)

    monkeypatch.setattr(strawberry_schema, "validate", counted)
    query = LOOKUP + "\n# test_a_repeated_document_is_parsed_and_validated_once"  # a new text
    before = COUNTS.copy()
    for code in itertools.islice(itertools.cycle(["A9597", "E0100", "J1100"]), 6):
        result = await schema.execute(
            query, variable_values={"code": code}, context_value=make_context(connection, catalog)
        )
        assert result.errors is None
    assert validations == 1
    assert (COUNTS["prepared"] - before["prepared"], COUNTS["run"] - before["run"]) == (1, 6)
    assert COUNTS["strawberry"] == before["strawberry"]


async def test_no_more_statements_than_strawberry(
    connection: aiosqlite.Connection, catalog: Catalog, statements: list[str]
) -> None:
    counts = {}
    for prepared in (True, False):
        for size in (2, 30):
            codes = ["A9597", "E0100", "J1100", *[f"A{n:04d}" for n in range(4000, 4100)]]
            statements.clear()
            with path(prepared):
                result = await schema.execute(
                    FRAGMENTS,
                    variable_values={"codes": codes[:size]},
                    context_value=make_context(connection, cold(catalog)),
                )
            assert result.errors is None
            counts[prepared, size] = len(statements)
    # One batch whatever the number of codes (no N+1), and the same statements both ways.
    assert counts[True, 2] == counts[True, 30] == counts[False, 2] == counts[False, 30]


def cold(catalog: Catalog) -> Catalog:
    return Catalog(**vars_of(catalog))


def test_the_cache_is_bounded() -> None:
    assert prepared_module._CACHE.maxsize == prepared_module.PREPARED
