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

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any, ClassVar

from cachetools import LRUCache
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    default_field_resolver,
    default_type_resolver,
    parse,
    specified_rules,
)
from graphql import (
    ExecutionResult as CoreResult,
)
from graphql import (
    OperationType as CoreOperationType,
)
from graphql.execution.collect_fields import FragmentDetails
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from hcpcs_graphql.domain.request_limits import Limits
from hcpcs_graphql.schema.admission import admitted
from hcpcs_graphql.schema.answered import answer_extensions
from hcpcs_graphql.schema.direct import DirectResolvers
from hcpcs_graphql.schema.errors import Schema, masked
from hcpcs_graphql.schema.execution import ExecutionContext
from hcpcs_graphql.schema.limits import check, operation_cost
from hcpcs_graphql.schema.list_bounds import Bounds, data_bounds
from hcpcs_graphql.schema.measure import LimitError
from hcpcs_graphql.schema.variables import Kept, coerced, kept
from hcpcs_graphql.services.context import Context

PREPARED = 1024
"""As many as the parser and validation caches keep (schema/schema.py)."""

COUNTS: Counter[str] = Counter()
"""`prepared`: documents parsed, measured and validated here; `run`: operations run from a
prepared one; `refused`: documents refused by the limits before they were prepared;
`strawberry`: operations sent Strawberry's way. Tests count work by them."""


@dataclass(frozen=True, slots=True)
class Prepared:
    document: DocumentNode
    operation: OperationDefinitionNode
    fragment_definitions: dict[str, FragmentDefinitionNode]
    fragments: dict[str, FragmentDetails]
    within_limits: bool
    """Within the limits whatever the variables: not measured again."""
    cost: int | None
    """The cost admission weighs, when it does not depend on the variables."""
    variables: Kept
    """Variables coerced for this operation (schema/variables.py)."""

    @property
    def operation_name(self) -> str | None:
        name = self.operation.name
        return None if name is None else name.value


_Key = tuple[str, str | None, Limits, Bounds]
_CACHE: LRUCache[_Key, Prepared | None] = LRUCache(PREPARED)
"""None: a document Strawberry answers (it does not parse or validate, or is not a query)."""


def prepare(
    schema: GraphQLSchema,
    query: str,
    operation_name: str | None,
    limits: Limits,
    bounds: Bounds,
    variables: dict[str, Any] | None,
) -> Prepared | None:
    key = (query, operation_name, limits, bounds)
    try:
        return _CACHE[key]
    except KeyError:
        pass
    try:
        document = parse(query, max_tokens=limits.tokens)
    except Exception:  # Strawberry reports it, as a GraphQL error
        _CACHE[key] = None
        return None
    operation = _operation(document.definitions, operation_name)
    fragments = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    if (
        operation is None
        or operation.operation is not CoreOperationType.QUERY
        or any(fragment.variable_definitions for fragment in fragments)
    ):
        _CACHE[key] = None
        return None
    # Measured before it is validated, as QueryLimits does. A refusal (LimitError, raised to
    # the caller) may depend on the variables, so it is not kept.
    depends = check(schema, document, variables, operation_name, limits, bounds)
    COUNTS["prepared"] += 1
    if validate_document(schema, document, tuple(specified_rules)):
        _CACHE[key] = None
        return None
    cost, cost_depends = operation_cost(schema, document, variables, operation_name)
    prepared = _CACHE[key] = Prepared(
        document=document,
        operation=operation,
        fragment_definitions={fragment.name.value: fragment for fragment in fragments},
        fragments={fragment.name.value: FragmentDetails(fragment) for fragment in fragments},
        within_limits=not depends,
        cost=None if cost_depends else cost,
        variables=kept(),
    )
    return prepared


def _operation(definitions: Iterable[Any], name: str | None) -> OperationDefinitionNode | None:
    """The operation graphql-core's Executor.build would run; None when it would refuse."""
    found: OperationDefinitionNode | None = None
    for definition in definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if name is None:
            if found is not None:
                return None  # several operations and no name
            found = definition
        elif definition.name is not None and definition.name.value == name:
            found = definition
    return found


class PreparedSchema(Schema):
    prepared: ClassVar[bool] = True
    direct: ClassVar[bool] = True
    """Our resolvers called directly (schema/direct.py); False: through Strawberry's wrapper."""

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
                return await self._run(
                    found, variable_values, context_value, root_value, operation_extensions
                )
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

    async def _run(
        self,
        prepared: Prepared,
        variables: dict[str, Any] | None,
        context: Context,
        root_value: Any,
        operation_extensions: dict[str, Any] | None,
    ) -> ExecutionResult:
        schema = self._schema
        try:
            name = prepared.operation_name
            if not prepared.within_limits:
                bounds = data_bounds(context.catalog)
                check(schema, prepared.document, variables, name, context.limits, bounds)
            gate = context.gate
            if gate is None:
                result = await self._execute(
                    prepared, variables, context, root_value, operation_extensions
                )
            else:
                cost = prepared.cost
                if cost is None:
                    cost, _ = operation_cost(schema, prepared.document, variables, name)
                async with admitted(context, gate, cost):
                    result = await self._execute(
                        prepared, variables, context, root_value, operation_extensions
                    )
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

    async def _execute(
        self,
        prepared: Prepared,
        variables: dict[str, Any] | None,
        context: Context,
        root_value: Any,
        operation_extensions: dict[str, Any] | None,
    ) -> CoreResult:
        """graphql-core's execute from Executor.build on: the variables coerced, then run."""
        schema = self._schema
        values = coerced(
            schema, prepared.operation.variable_definitions or (), variables, prepared.variables
        )
        if isinstance(values, list):
            return CoreResult(None, errors=values)
        executor = ExecutionContext(
            schema,
            prepared.fragment_definitions,
            prepared.fragments,
            root_value,
            context,
            prepared.operation,
            values,
            default_field_resolver,
            default_type_resolver,
            default_field_resolver,
            middleware_manager=self._direct if self.direct else None,
            is_awaitable=optimized_is_awaitable,
            operation_extensions=operation_extensions,
        )
        result = executor.execute_operation()
        if isawaitable(result):
            result = await result
        assert isinstance(result, CoreResult)  # no @defer or @stream: incremental delivery is off
        return result
