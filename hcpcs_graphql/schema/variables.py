"""An operation's variables coerced by graphql-core, kept for an identical repeat.

Coercion (graphql-core's get_variable_values) walks every variable definition and value; the
same document with the same flat variables (a hot code looked up again) gives the same values,
so they are kept per prepared operation, keyed by each variable's name, type and value. Only
values of the JSON scalars are keyed (the type is part of the key: True == 1 in Python, not in
GraphQL), and only a success is kept: errors are graphql-core's, every time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Any

from cachetools import LRUCache
from graphql import GraphQLError, GraphQLSchema, VariableDefinitionNode
from graphql.execution.values import VariableValues, get_variable_values

KEPT = 64
"""Coerced variables kept per prepared operation."""
MAX_COERCION_ERRORS = 50
"""graphql-core's default, which Strawberry's execute keeps."""
_FLAT = frozenset({str, int, float, bool, type(None)})

COUNTS: Counter[str] = Counter()
"""`coerced`: variables coerced by graphql-core (the rest were kept). Tests count it."""

Kept = LRUCache[tuple[tuple[str, type, Any], ...], VariableValues]


def kept() -> Kept:
    return LRUCache(KEPT)


def coerced(
    schema: GraphQLSchema,
    definitions: Collection[VariableDefinitionNode],
    variables: dict[str, Any] | None,
    cache: Kept,
) -> VariableValues | list[GraphQLError]:
    inputs = variables or {}
    key = None
    if all(type(value) in _FLAT for value in inputs.values()):
        key = tuple((name, type(value), value) for name, value in inputs.items())
        found = cache.get(key)
        if found is not None:
            return found
    COUNTS["coerced"] += 1
    result = get_variable_values(schema, definitions, inputs, max_errors=MAX_COERCION_ERRORS)
    if key is not None and not isinstance(result, list):
        cache[key] = result
    return result
