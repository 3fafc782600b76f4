"""Lets heavy operations run a few at a time (services/admission.py), by the cost the limits
compute; a refused one gets the error code OVERLOADED and no data, and the app answers it 503
with Retry-After."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import ClassVar

from cachetools import LRUCache
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.schema.limits import operation_cost
from hcpcs_graphql.services.admission import RETRY_SECONDS, Overloaded
from hcpcs_graphql.services.context import Context


class OverloadedError(GraphQLError):
    def __init__(self) -> None:
        super().__init__(
            f"the server is running as many heavy queries as it can; retry after {RETRY_SECONDS} s",
            extensions={"code": ErrorCode.OVERLOADED, "retryAfter": RETRY_SECONDS},
        )


class HeavyAdmission(SchemaExtension):
    costs: ClassVar[LRUCache[tuple[str, str | None], int]] = LRUCache(1024)
    """Costs of documents that do not depend on their variables."""

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        gate = context.gate if isinstance(context, Context) else None
        if gate is None or execution.graphql_document is None:
            yield
            return
        key = (execution.query or "", execution.operation_name)
        cost = self.costs.get(key)
        if cost is None:
            cost, depends = operation_cost(
                execution.schema._schema,
                execution.graphql_document,
                execution.variables,
                execution.operation_name,
            )
            if not depends:
                self.costs[key] = cost
        try:
            async with gate.admit(cost):
                yield
        except Overloaded:
            context.overloaded = True
            raise OverloadedError() from None
