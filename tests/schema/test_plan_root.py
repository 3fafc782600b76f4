"""A document of one root field answered from its plan (schema/plan/root.py) answers, to the
byte, what graphql-core's executor answers: data, nulls, errors (message, path, locations,
extensions) and extensions, on the real releases. What it answers is counted (`direct`): the
lookups whose code object the plan keeps a template of, and nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import aiosqlite
import orjson
import pytest
from strawberry.http import process_result
from strawberry.types import ExecutionResult

from hcpcs_graphql.db.connection import connect_read_only
from hcpcs_graphql.schema.plan import shared
from hcpcs_graphql.schema.preparation import COUNTS
from hcpcs_graphql.schema.prepared import PreparedSchema
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import make_context
from tests.conftest import cold

LOOKUP = """query($code: String!) {
  code(code: $code, release: "2026-01") { code shortDescription coverage { code description } }
}"""
"""bench/cache.py's (b)."""
DEFAULT_RELEASE = "query($code: String!) { code(code: $code) { code betos { code } } }"
ALIASED = """query($code: String!) { found: code(code: $code) { code c: coverage { code } } }"""
RELEASE = """query($code: String!, $release: String) {
  code(code: $code, release: $release) { code shortDescription }
}"""
AS_OF = """query($code: String!, $on: Date) { code(code: $code, asOf: $on) { code } }"""
LITERALS = """{ code(code: " e0100", asOf: "2025-12-31") { code shortDescription } }"""
IN_A_LIST = """query($more: String!) { codes(codes: ["A9597", $more]) { code } }"""
LIST = """query($codes: [String!]!) { codes(codes: $codes) { code pricingIndicators { code } } }"""
LIVE = """query($code: String!) { code(code: $code) { code status { status } } }"""
TWO = """query($code: String!) { code(code: $code) { code } releases { id } }"""
CODES = ["A9597", "E0100", "J9035", "G0008", "L8000", "LT", "ZZZZZ", " j9035 ", "a9597"]

Case = tuple[str, dict[str, Any], bool]
CASES: dict[str, Case] = {
    # (document, variables, answered directly once its objects are planned)
    **{f"a lookup of {code!r}": (LOOKUP, {"code": code, "nonce": 1}, True) for code in CODES},
    "the default release": (DEFAULT_RELEASE, {"code": "E0100"}, True),
    "aliases": (ALIASED, {"code": "A9597"}, True),
    "another release": (RELEASE, {"code": "A9597", "release": "2025-10"}, True),
    "a release not loaded": (RELEASE, {"code": "A9597", "release": "1999-01"}, False),
    "a release that is not a release": (RELEASE, {"code": "A9597", "release": "x"}, False),
    "a release left out": (RELEASE, {"code": "A9597"}, True),
    "a release null": (RELEASE, {"code": "A9597", "release": None}, True),
    "a date": (AS_OF, {"code": "A9597", "on": "2025-11-01"}, True),
    "a date that is not one": (AS_OF, {"code": "A9597", "on": "soon"}, False),
    "literals": (LITERALS, {}, True),
    "a variable in a literal list": (IN_A_LIST, {"more": "e0100"}, True),
    "a list": (LIST, {"codes": ["A9597", "NOPE", "e0100", "LT"]}, True),
    "an empty list": (LIST, {"codes": []}, True),
    "too many codes": (LIST, {"codes": ["A9597"] * 101}, False),
    "a variable of the wrong type": (LOOKUP, {"code": 7}, False),
    "a missing variable": (LOOKUP, {}, False),
    "a live field": (LIVE, {"code": "A9597"}, False),
    "two root fields": (TWO, {"code": "A9597"}, False),
}


@contextmanager
def direct_root(on: bool) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PreparedSchema, "direct_root", on)
        yield


def sent(result: ExecutionResult) -> bytes:
    """The body the view sends (graphql_view.py: Strawberry's process_result, orjson)."""
    return orjson.dumps(process_result(result))


async def answers(catalog: Catalog, connection: aiosqlite.Connection, case: Case) -> list[bytes]:
    query, variables, _ = case
    found = []
    for on in (False, True, True):  # graphql-core's path (which plans it), then twice direct
        with direct_root(on):
            context = make_context(connection, catalog)
            found.append(sent(await schema.execute(query, variables, context_value=context)))
    return found


@pytest.mark.parametrize("case", list(CASES))
async def test_the_same_bytes_as_graphql_core(
    connection: aiosqlite.Connection, catalog: Catalog, case: str
) -> None:
    before = COUNTS["direct"]
    core, first, again = await answers(catalog, connection, CASES[case])
    assert first == core
    assert again == core
    assert COUNTS["direct"] - before == (2 if CASES[case][2] else 0)


async def test_a_cold_catalog_waits_for_its_rows_then_answers_directly(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    with direct_root(False):
        core = [
            await answers(cold(catalog), connection, (LOOKUP, {"code": c}, True)) for c in CODES
        ]
    # A new catalog: rows read again (each first lookup waits for the database), new code
    # objects with no template yet: the first run of a code hands it to graphql-core, which
    # keeps its template, and the next is direct; a null needs no template.
    fresh = cold(catalog)
    before = COUNTS["direct"]
    for code, expected in zip(CODES, core, strict=True):
        for _ in range(2):
            context = make_context(connection, fresh)
            found = await schema.execute(LOOKUP, {"code": code}, context_value=context)
            assert sent(found) == expected[0]
    # Each second run; each first of a code looked up before (in another case) or missing.
    seen = [code.strip().upper() for code in CODES]
    first = sum(code == "ZZZZZ" or code in seen[:index] for index, code in enumerate(seen))
    assert COUNTS["direct"] - before == len(CODES) + first


async def test_forgotten_templates_are_made_again(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    expected = await answers(catalog, connection, (LOOKUP, {"code": "J9035"}, True))
    for plan in list(shared._ALL.plans):
        plan.templates.clear()
    before = COUNTS["direct"]
    assert await answers(catalog, connection, (LOOKUP, {"code": "J9035"}, True)) == expected
    # The direct run that finds no template hands the lookup to graphql-core, which keeps one.
    assert COUNTS["direct"] - before == 2


async def test_an_error_of_the_database_is_graphql_cores(catalog: Catalog, real_db: Any) -> None:
    connection = await connect_read_only(real_db)
    await connection.close()  # every statement now fails
    found = [
        orjson.loads(body)
        for body in await answers(cold(catalog), connection, (LOOKUP, {"code": "A9597"}, True))
    ]
    for answer in found:  # each internal error has a reference of its own, at random
        (error,) = answer["errors"]
        reference = error["extensions"].pop("reference")
        error["message"] = error["message"].replace(reference, "...")
    assert found[0] == found[1] == found[2]
    assert found[0]["data"] == {"code": None}


async def test_the_resolver_is_given_what_graphql_core_gives_it(
    connection: aiosqlite.Connection, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    given: list[Any] = []
    resolvers = schema._direct.resolvers
    field = schema._schema.query_type.fields["code"]  # type: ignore[union-attr]
    direct = resolvers[field.resolve]

    def recording(source: Any, info: Any, **arguments: Any) -> Any:
        given.append((source, info, arguments))
        return direct(source, info, **arguments)

    monkeypatch.setitem(resolvers, field.resolve, recording)
    query = "# a document of its own: its root call is made with the recording resolver\n" + LOOKUP
    before = COUNTS["direct"]
    for on in (False, True, True):
        with direct_root(on):
            context = make_context(connection, catalog)
            await schema.execute(
                query,
                {"code": "E0100", "nonce": 3},
                context_value=context,
                operation_extensions={"persistedQuery": None},
            )
            assert given[-1][1].context is context
    assert COUNTS["direct"] - before == 2  # graphql-core's (which plans it), then direct
    seen = [
        (source, arguments, type(info), {**info._asdict(), "async_helpers": None, "context": None})
        for source, info, arguments in given
    ]
    assert seen[0] == seen[1] == seen[2]
    assert seen[0][3]["variable_values"] == {"code": "E0100"}
    assert seen[0][3]["operation_extensions"] == {"persistedQuery": None}
