"""The one way the tests run a GraphQL operation on the schema, in process."""

from __future__ import annotations

from typing import Any

from strawberry.types import ExecutionResult

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
