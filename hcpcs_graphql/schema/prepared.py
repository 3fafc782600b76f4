"""A prepared operation per document text, operation name, limits and data bounds: parsed,
measured against the limits and validated once, kept in a bounded LRU. A repeated document runs
with its new variables straight into graphql-core's executor (ours, with the plan), with what
the schema's extensions do per request done directly: the limits again only when the verdict
depends on the variables (`first:`, codes looked up), the admission gate by the cost, errors
logged and coded (Schema.process_errors) then masked (InternalErrors), the answering releases
in `extensions` (AnsweringReleases); our resolvers are called directly (schema/direct.py) and
the variables of an identical repeat are coerced once (schema/variables.py). Strawberry's
per-request set-up (an extension runner, six extension instances and their hooks, the parser
and validation caches hashing the document) does not run.

Whatever the fast path does not cover goes Strawberry's way, whole: a document that does not
parse, validate or stay within the limits (Strawberry answers it, with the same error), an
operation that is not a query or not found, fragment arguments, a context that is not ours, a
schema with custom directives or resolve middleware. `PreparedSchema.prepared = False` sends
everything Strawberry's way (tests/schema/test_prepared.py compares the two)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any, ClassVar

from graphql import (
    ExecutionResult as CoreResult,
)
from graphql import (
    GraphQLError,
    default_field_resolver,
    default_type_resolver,
)
from strawberry.execution import optimized_is_awaitable
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from hcpcs_graphql.schema.admission import admitted
from hcpcs_graphql.schema.answered import answer_extensions
from hcpcs_graphql.schema.direct import DirectResolvers
from hcpcs_graphql.schema.errors import Schema, masked
from hcpcs_graphql.schema.execution import ExecutionContext
from hcpcs_graphql.schema.limits import check, operation_cost
from hcpcs_graphql.schema.list_bounds import data_bounds
from hcpcs_graphql.schema.measure import LimitError
from hcpcs_graphql.schema.plan.kept import UNPLANNED
from hcpcs_graphql.schema.preparation import COUNTS, Prepared, prepare
from hcpcs_graphql.schema.variables import coerced
from hcpcs_graphql.services.context import Context


@dataclass(frozen=True, slots=True)
class Request:
    """A prepared operation to run, and what this request gives it."""

    prepared: Prepared
    variables: dict[str, Any] | None
    context: Context
    root_value: Any
    extensions: dict[str, Any] | None


class PreparedSchema(Schema):
    prepared: ClassVar[bool] = True
    direct: ClassVar[bool] = True
    """Our resolvers called directly (schema/direct.py); False: through Strawberry's wrapper."""
    direct_root: ClassVar[bool] = True
    """A document of one root field answered from its plan when it can be (plan/root.py);
    False: through graphql-core's executor, always."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The fast path does our extensions' work itself; a directive or a `resolve` hook
        # would need Strawberry's runner, incremental delivery its results.
        self._preparable = (
            not self.directives
            and not self.config.enable_experimental_incremental_execution
            and not any(extension._implements_resolve() for extension in self.get_extensions())
        )
        self._direct = DirectResolvers(self._schema, self.schema_converter)

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        if (
            self.prepared
            and self._preparable
            and query
            and isinstance(context_value, Context)
            and (allowed_operation_types is None or OperationType.QUERY in allowed_operation_types)
        ):
            try:
                found = prepare(
                    self._schema,
                    query,
                    operation_name,
                    context_value.limits,
                    data_bounds(context_value.catalog),
                    variable_values,
                )
            except LimitError as error:
                COUNTS["refused"] += 1
                return self._refused(error, context_value)
            except Exception:  # e.g. a RecursionError measuring it: Strawberry answers it
                found = None
            if found is not None:
                COUNTS["run"] += 1
                request = Request(
                    found, variable_values, context_value, root_value, operation_extensions
                )
                return await self._run(request)
        COUNTS["strawberry"] += 1
        return await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )

    async def _run(self, request: Request) -> ExecutionResult:
        schema, prepared, context = self._schema, request.prepared, request.context
        try:
            name, variables = prepared.operation_name, request.variables
            if not prepared.within_limits:
                bounds = data_bounds(context.catalog)
                check(schema, prepared.document, variables, name, context.limits, bounds)
            gate, cost = context.gate, prepared.cost
            if gate is not None and cost is None:
                cost, _ = operation_cost(schema, prepared.document, variables, name)
            # A light operation passes the gate at once: no turn to take.
            if gate is None or cost is None or not gate.is_heavy(cost):
                result = await self._execute(request)
            else:
                async with admitted(context, gate, cost):
                    result = await self._execute(request)
        except Exception as exception:  # as Strawberry's execute: a refusal
            error = (
                exception
                if isinstance(exception, GraphQLError)
                else GraphQLError(str(exception), original_error=exception)
            )
            return self._refused(error, context)
        errors = result.errors
        if errors:
            self._process_errors(errors)
            errors = masked(errors)  # InternalErrors, once the operation is over
        return ExecutionResult(
            data=result.data, errors=errors, extensions=answer_extensions(context)
        )

    def _refused(self, error: GraphQLError, context: Context) -> ExecutionResult:
        """What Strawberry's execute answers when a hook raises: not masked."""
        self._process_errors([error])
        return ExecutionResult(data=None, errors=[error], extensions=answer_extensions(context))

    async def _execute(self, request: Request) -> CoreResult:
        """graphql-core's execute from Executor.build on: the variables coerced, then run (its
        one root field straight from the plan when it can be: plan/root.py)."""
        schema, prepared, context = self._schema, request.prepared, request.context
        operation, fragments = prepared.operation, prepared.fragment_definitions
        values = coerced(
            schema, operation.variable_definitions or (), request.variables, prepared.variables
        )
        if isinstance(values, list):
            return CoreResult(None, errors=values)
        call = None
        if self.direct and self.direct_root and ExecutionContext.planned:
            call = prepared.root.found(
                schema, operation, fragments.values(), self._direct.resolvers
            )
        if call is not None:
            value = call.start(
                schema, fragments, operation, values, context, request.root_value,
                request.extensions, optimized_is_awaitable,
            )  # fmt: skip
            if value is not UNPLANNED and optimized_is_awaitable(value):
                try:
                    value = await value
                except Exception:  # graphql-core's path reports it
                    value = UNPLANNED
            data = UNPLANNED if value is UNPLANNED else call.finish(value)
            if data is not UNPLANNED:
                COUNTS["direct"] += 1
                return CoreResult(data, None)
        executor = ExecutionContext(
            schema,
            fragments,
            prepared.fragments,
            request.root_value,
            context,
            operation,
            values,
            default_field_resolver,
            default_type_resolver,
            default_field_resolver,
            middleware_manager=self._direct if self.direct else None,
            is_awaitable=optimized_is_awaitable,
            operation_extensions=request.extensions,
        )
        result = executor.execute_operation()
        if isawaitable(result):
            result = await result
        assert isinstance(result, CoreResult)  # no @defer or @stream: incremental delivery is off
        return result
