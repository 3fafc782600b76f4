"""What the prepared path does not do for a lookup the row cache answers, counted: no DataLoader
built (services/loaders.py builds each on first use), no coroutine left to await
(schema/direct.py runs our resolvers directly, at once), the variables coerced once for an
identical repeat (schema/variables.py). The answers are Strawberry's (test_prepared.py)."""

from __future__ import annotations

import aiosqlite

from hcpcs_graphql.schema import direct, variables
from hcpcs_graphql.schema.prepared import PreparedSchema
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context, make_context
from tests.conftest import cold

SHORT = "query Short($code: String!) { code(code: $code) { code coverage { code } } }"


async def lookup(context: Context, code: str = "A9597") -> object:
    result = await schema.execute(SHORT, variable_values={"code": code}, context_value=context)
    assert result.errors is None
    return result.data


async def test_a_cached_row_needs_no_loader_and_no_wait(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    uncached = cold(catalog)
    first = make_context(connection, uncached)
    before = direct.COUNTS["suspended"]
    answer = await lookup(first)
    # The row is read once through the code loader, the resolver waiting for it.
    assert (first.loaders.created, direct.COUNTS["suspended"] - before) == (["code"], 1)
    again = make_context(connection, uncached)
    assert await lookup(again) == answer
    assert (again.loaders.created, direct.COUNTS["suspended"] - before) == ([], 1)


async def test_a_missing_code_waits_and_answers_null(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    context = make_context(connection, cold(catalog))
    assert await lookup(context, "NOPE9") == {"code": None}
    assert context.loaders.created == ["code"]


async def test_identical_variables_are_coerced_once(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    before = variables.COUNTS["coerced"]
    for code in ("A9597", "A9597", "E0100", "A9597"):
        await lookup(make_context(connection, catalog), code)
    assert variables.COUNTS["coerced"] - before <= 2  # A9597 and E0100, unless kept before
    # A value of another type is coerced (and refused) again, every time: graphql-core's error.
    for _ in range(2):
        result = await schema.execute(
            SHORT, variable_values={"code": 5}, context_value=make_context(connection, catalog)
        )
        assert result.errors is not None
        assert result.errors[0].message == (
            "Variable '$code' has invalid value: String cannot represent a non string value: 5"
        )


async def test_strawberry_s_wrapper_when_direct_is_off(
    connection: aiosqlite.Connection, catalog: Catalog
) -> None:
    answer = await lookup(make_context(connection, catalog))
    PreparedSchema.direct = False
    try:
        assert await lookup(make_context(connection, catalog)) == answer
    finally:
        PreparedSchema.direct = True
