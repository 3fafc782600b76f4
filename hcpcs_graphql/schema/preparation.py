"""A prepared operation per document text, operation name, limits and data bounds: parsed,
measured against the limits and validated once, kept in a bounded LRU (schema/prepared.py runs
them). None is kept for a document Strawberry answers itself: one that does not parse or
validate, an operation that is not a query or not found, fragment arguments."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    specified_rules,
)
from graphql import (
    OperationType as CoreOperationType,
)
from graphql.execution.collect_fields import FragmentDetails
from strawberry.schema.schema import validate_document

from hcpcs_graphql.domain.request_limits import Limits
from hcpcs_graphql.schema.limits import check, operation_cost
from hcpcs_graphql.schema.list_bounds import Bounds
from hcpcs_graphql.schema.plan.root import RootSlot
from hcpcs_graphql.schema.variables import Kept, kept

PREPARED = 1024
"""As many as the parser and validation caches keep (schema/schema.py)."""

COUNTS: Counter[str] = Counter()
"""`prepared`: documents parsed, measured and validated here; `run`: operations run from a
prepared one; `direct`: those of them answered without graphql-core's executor (plan/root.py);
`refused`: documents refused by the limits before they were prepared; `strawberry`: operations
sent Strawberry's way. Tests count work by them."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document made ready to run: what graphql-core's executor reads of it, what the limits
    found, and what its runs keep."""

    document: DocumentNode
    operation: OperationDefinitionNode
    """The operation graphql-core's Executor.build would run."""
    fragment_definitions: dict[str, FragmentDefinitionNode]
    """By name, as the executor and a resolve info hold them."""
    fragments: dict[str, FragmentDetails]
    within_limits: bool
    """Within the limits whatever the variables: not measured again."""
    cost: int | None
    """The cost admission weighs, when it does not depend on the variables."""
    variables: Kept
    """Variables coerced for this operation (schema/variables.py)."""
    root: RootSlot
    """Its root field answered without graphql-core's executor when it can be (plan/root.py)."""

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
        root=RootSlot(),
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
