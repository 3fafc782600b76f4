"""Limits on what one request may ask for, checked before validation and execution.

One walk over the document, in time linear in its size: each fragment is measured once and its
measures are reused wherever it is spread (a document whose fragments each spread the next one
twice asks for 2^n fields, but costs n steps to measure); a fragment that spreads itself is
rejected. Measures: depth of fields, aliases and directives (counted as expanded), and cost: the
nodes (objects) the response would hold, multiplying through lists and through each
connection's page size (the smaller of its `first` and `last`, from the literal or the
variables; lists without one by the most items they can hold). Tokens are limited by the parser."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from cachetools import LRUCache
from graphql import (
    FragmentDefinitionNode,
    GraphQLSchema,
    OperationDefinitionNode,
)
from strawberry.extensions import SchemaExtension

from hcpcs_graphql.domain.request_limits import Limits
from hcpcs_graphql.schema.list_bounds import (
    Bounds,
    data_bounds,
)
from hcpcs_graphql.schema.measure import MEASURED, LimitError, Measure, Walk
from hcpcs_graphql.services.context import Context

DEFAULT_LIMITS = Limits()


def _operations(document: Any, name: str | None) -> Iterator[OperationDefinitionNode]:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            name is None or (definition.name is not None and definition.name.value == name)
        ):
            yield definition


def check(
    schema: GraphQLSchema,
    document: Any,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
    limits: Limits,
    bounds: Bounds = (),
) -> bool:
    """Raise a LimitError when the operation asks for more than the limits allow; else tell
    whether the verdict depends on the variables."""
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    walk = Walk(schema, fragments, variables or {}, bounds)
    for name in fragments:  # a cycle is rejected even in a fragment no operation uses
        walk.fragment(name)
    for operation in _operations(document, operation_name):
        root = schema.get_root_type(operation.operation)
        measure = walk.selection_set(operation.selection_set, root)
        measure = measure + Measure(directives=len(operation.directives or ()))
        for what in MEASURED:
            found, limit = getattr(measure, what), getattr(limits, what)
            if found > limit:
                raise LimitError(
                    f"the query's {what} is {found:,}; at most {limit:,} is allowed"
                    + (" (cost: the objects the response would hold)" if what == "cost" else "")
                )
    return walk.read_variables


class QueryLimits(SchemaExtension):
    """Checks the request's limits (its context's) once the document is parsed, before it is
    validated."""

    @property
    def limits(self) -> Limits:
        context = self.execution_context.context
        return context.limits if isinstance(context, Context) else DEFAULT_LIMITS

    @property
    def bounds(self) -> Bounds:
        context = self.execution_context.context
        return data_bounds(context.catalog if isinstance(context, Context) else None)

    passed: ClassVar[LRUCache[tuple[Limits, Bounds, str, str | None], bool]] = LRUCache(1024)
    """Documents within the limits whatever their variables: not measured again."""

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self.limits.tokens
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        bounds = self.bounds
        key = (self.limits, bounds, context.query or "", context.operation_name)
        if context.graphql_document is not None and not self.passed.get(key):
            depends = check(
                context.schema._schema,
                context.graphql_document,
                context.variables,
                context.operation_name,
                self.limits,
                bounds,
            )
            if not depends:
                self.passed[key] = True
        yield


def operation_cost(
    schema: GraphQLSchema,
    document: Any,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
) -> tuple[int, bool]:
    """The cost of the operations run (the objects the response would hold), and whether it
    depends on the variables. For admission (schema/admission.py), after check() passed."""
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    walk = Walk(schema, fragments, variables or {})
    cost = 0
    for operation in _operations(document, operation_name):
        root = schema.get_root_type(operation.operation)
        cost = max(cost, walk.selection_set(operation.selection_set, root).cost)
    return cost, walk.read_variables
