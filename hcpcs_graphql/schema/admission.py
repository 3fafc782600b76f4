"""Lets heavy operations run a few at a time (services/admission.py), by the cost the limits
compute; a refused one gets the error code OVERLOADED and no data, and the app answers it 503
with Retry-After."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from cachetools import LRUCache
from graphql import GraphQLError, GraphQLSchema
from strawberry.extensions import SchemaExtension

from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.schema.limits import operation_cost
from hcpcs_graphql.services.admission import RETRY_SECONDS, Gate, Overloaded
from hcpcs_graphql.services.context import Context


class OverloadedError(GraphQLError):
    def __init__(self) -> None:
        super().__init__(
            f"the server is running as many heavy queries as it can; retry after {RETRY_SECONDS} s",
            extensions={"code": ErrorCode.OVERLOADED, "retryAfter": RETRY_SECONDS},
        )


COSTS: LRUCache[tuple[str, str | None], int] = LRUCache(1024)
"""Costs of documents that do not depend on their variables."""


def admission_cost(
    schema: GraphQLSchema,
    query: str,
    document: Any,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
) -> int:
    key = (query, operation_name)
    cost = COSTS.get(key)
    if cost is None:
        cost, depends = operation_cost(schema, document, variables, operation_name)
        if not depends:
            COSTS[key] = cost
    return cost


@asynccontextmanager
async def admitted(context: Context, gate: Gate, cost: int) -> AsyncIterator[None]:
    """The operation's turn at the gate (the extension's and the prepared operation's)."""
    try:
        async with gate.admit(cost):
            yield
    except Overloaded:
        context.overloaded = True
        raise OverloadedError() from None


class HeavyAdmission(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        gate = context.gate if isinstance(context, Context) else None
        if gate is None or execution.graphql_document is None:
            yield
            return
        cost = admission_cost(
            execution.schema._schema,
            execution.query or "",
            execution.graphql_document,
            execution.variables,
            execution.operation_name,
        )
        async with admitted(context, gate, cost):
            yield
