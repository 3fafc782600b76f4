"""The execution context of the schema: graphql-core's, running a cached plan where it can.

graphql-core resolves every field alike: it collects the fields of each selection, builds a
resolve info, reads the arguments, calls the resolver, checks for an awaitable and completes the
value. A list of 100 codes with every nested field has about 4,500 fields, nearly all of them read
from an attribute. The plan (schema/plan/) keeps, per document and operation, the fields
graphql-core collected and how each plain field completes, so a repeated document runs them
directly; every resolver of ours still runs through graphql-core's `execute_field`.

`ExecutionContext.planned = False` runs graphql-core's own path (the equivalence test and
bench/plan.py compare the two)."""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Sequence
from typing import Any, ClassVar

from graphql import GraphQLObjectType, GraphQLResolveInfoHelpers
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from hcpcs_graphql.schema.plan.cache import plan_of
from hcpcs_graphql.schema.plan.run import PlanRunner


class ExecutionContext(PlanRunner, StrawberryGraphQLCoreExecutionContext):
    planned: ClassVar[bool] = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # graphql-core keeps the executor's own bound methods (Executor.__init__): a reference
        # cycle holding the whole request (context, loaders, results) until a full collection.
        # The same helpers, through a weak reference: the execution's frames hold the executor
        # for as long as a resolver can call them.
        executor = weakref.ref(self)

        def track(values: Sequence[Any]) -> None:
            alive = executor()
            if alive is not None:
                alive.track_async_work(values)

        self.async_helpers = GraphQLResolveInfoHelpers(gather=_gather, track=track)

    def execute_root_grouped_field_set(
        self,
        root_type: GraphQLObjectType,
        root_value: Any,
        grouped_field_set: GroupedFieldSet,
        serially: bool,
        position_context: Any,
    ) -> Any:
        middleware = self.middleware_manager
        # Middleware (a schema extension's `resolve` hook) must see every field: no plan.
        if self.planned and (middleware is None or not middleware.middlewares):
            self.plan = plan_of(self.schema, self.operation, self.fragment_definitions.values())
            if self.plan is not None:
                grouped_field_set = self.plan.root_fields(grouped_field_set)
        return super().execute_root_grouped_field_set(
            root_type, root_value, grouped_field_set, serially, position_context
        )

    def collect_and_execute_subfields(
        self,
        return_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        plan = self.plan
        if plan is None:
            return super().collect_and_execute_subfields(
                return_type, field_details_list, path, result, position_context
            )
        sub = plan.object_plan(self, self.schema, return_type, field_details_list)
        return self.run_object(sub, result, path, position_context)


def _gather(values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]:
    return gather_with_cancel(*values)  # Executor.gather_async_work, which reads nothing of it
