"""The one way the tests run a GraphQL operation on the schema, in process."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import ExecutionResult

from hcpcs_graphql.schema.execution import ExecutionContext
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.context import Context


async def execute_result(context: Context, query: str, **variables: Any) -> ExecutionResult:
    """The whole result, errors and extensions included, for a test that looks at them."""
    return await schema.execute(query, variable_values=variables, context_value=context)


async def execute(context: Context, query: str, **variables: Any) -> Any:
    """The data of an operation that must succeed."""
    result = await execute_result(context, query, **variables)
    assert result.errors is None
    assert result.data is not None
    return result.data


async def execute_with_extensions(
    context: Context, query: str, **variables: Any
) -> tuple[Any, Any]:
    """The data and the extensions of an operation that must succeed."""
    result = await execute_result(context, query, **variables)
    assert result.errors is None
    return result.data, result.extensions


async def errors(context: Context, query: str, **variables: Any) -> list[tuple[str, Any]]:
    """The message and extensions of each error, none when the operation succeeds."""
    result = await execute_result(context, query, **variables)
    return [(error.message, error.extensions) for error in result.errors or []]


async def failure(context: Context, query: str, **variables: Any) -> list[tuple[str, Any]]:
    """The errors of an operation refused as a whole (no data at all)."""
    result = await execute_result(context, query, **variables)
    assert result.data is None
    assert result.errors
    return [(error.message, error.extensions) for error in result.errors]


async def planned_result(
    on: strawberry.Schema,
    query: str,
    variables: dict[str, Any],
    *,
    planned: bool,
    context: Context | None = None,
) -> ExecutionResult:
    """The whole result on schema ON, with the execution plan on or off (graphql-core's path)."""
    ExecutionContext.planned = planned
    try:
        return await on.execute(query, variable_values=variables, context_value=context)
    finally:
        ExecutionContext.planned = True


async def planned_answer(
    on: strawberry.Schema, query: str, variables: dict[str, Any], *, planned: bool
) -> tuple[Any, list[tuple[Any, ...]]]:
    """The data and the errors (message, path, locations), in an order that does not depend on
    which path ran, of QUERY on schema ON with the execution plan on or off."""
    result = await planned_result(on, query, variables, planned=planned)
    errors = [(e.message, e.path, e.locations) for e in result.errors or ()]
    return result.data, sorted(errors, key=repr)
