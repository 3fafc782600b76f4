"""An operation's variables coerced as graphql-core coerces them, with less work where the
answer is known.

Coercion (graphql-core's get_variable_values) walks every variable definition and value. Two
shortcuts give what it gives:

- Flat variables: when every variable the operation defines is a String, ID, Boolean or Int (or
  a list of them), nullable or not, and each value given is of the Python type that such a
  scalar takes as it is (`str` for String and ID, `bool`, an `int` in range for Int, a `list`
  of them), its coerced value is the value itself (a copy of a list), with the same sources.
  Anything else (a value missing, so a default may apply; a null where none may be; a value of
  another type) is graphql-core's, with its errors.
- Kept variables: the same document with the same flat values of the variables it defines (a
  hot code looked up again) gives the same values, so they are kept per prepared operation,
  keyed by each defined variable's name, type and value (values it does not define, such as a
  client's nonce, are not read by the coercion, so not part of the key). Only values of the
  JSON scalars are keyed (the type is part of the key: True == 1 in Python, not in GraphQL),
  and only a success is kept: errors are graphql-core's, every time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Any

from cachetools import LRUCache
from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLBoolean,
    GraphQLError,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    GraphQLString,
    VariableDefinitionNode,
)
from graphql.execution.get_variable_signature import (
    GraphQLVariableSignature,
    get_variable_signature,
)
from graphql.execution.values import VariableValues, VariableValueSource, get_variable_values

KEPT = 64
"""Coerced variables kept per prepared operation."""
MAX_COERCION_ERRORS = 50
"""graphql-core's default, which Strawberry's execute keeps."""
_FLAT = frozenset({str, int, float, bool, type(None)})
_OWN = ((GraphQLString, str), (GraphQLID, str), (GraphQLBoolean, bool), (GraphQLInt, int))
"""The scalars whose coercion gives a value of this Python type back as it is."""

COUNTS: Counter[str] = Counter()
"""`coerced`: variables coerced by graphql-core; `flat`: coerced here, as flat variables (the
rest were kept). Tests count it."""


class _Flat:
    """A variable definition of a flat type: what its values must be to be their own coercion."""

    __slots__ = ("item_nullable", "kind", "listed", "name", "nullable", "signature")

    def __init__(self, signature: GraphQLVariableSignature, kind: type, listed: bool) -> None:
        self.signature = signature
        self.name = signature.name
        self.kind = kind
        self.listed = listed
        outer = signature.type
        self.nullable = not isinstance(outer, GraphQLNonNull)
        inner = outer.of_type if isinstance(outer, GraphQLNonNull) else outer
        self.item_nullable = isinstance(inner, GraphQLList) and not isinstance(
            inner.of_type, GraphQLNonNull
        )

    def own(self, value: Any) -> bool:
        if type(value) is int:  # not a bool: its own type
            return self.kind is int and GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT
        return type(value) is self.kind


def _flat(signature: GraphQLVariableSignature) -> _Flat | None:
    kind = signature.type
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    listed = isinstance(kind, GraphQLList)
    if listed:
        kind = kind.of_type  # type: ignore[union-attr]
        if isinstance(kind, GraphQLNonNull):
            kind = kind.of_type
    own = next((python for leaf, python in _OWN if leaf is kind), None)
    return None if own is None else _Flat(signature, own, listed)


class Kept:
    """Per prepared operation: its flat variable definitions, once found, and the variables
    kept."""

    __slots__ = ("flat", "values")

    def __init__(self) -> None:
        self.values: LRUCache[tuple[tuple[str, type, Any], ...], VariableValues] = LRUCache(KEPT)
        self.flat: tuple[_Flat, ...] | None = None
        """None until looked at; empty when a definition is not flat."""

    def definitions(
        self, schema: GraphQLSchema, definitions: Collection[VariableDefinitionNode]
    ) -> tuple[_Flat, ...]:
        if self.flat is None:
            found: list[_Flat] = []
            for definition in definitions:
                signature = get_variable_signature(schema, definition)
                flat = None if isinstance(signature, GraphQLError) else _flat(signature)
                if flat is None:
                    found = []
                    break
                found.append(flat)
            self.flat = tuple(found)
        return self.flat


def kept() -> Kept:
    return Kept()


def coerced(
    schema: GraphQLSchema,
    definitions: Collection[VariableDefinitionNode],
    variables: dict[str, Any] | None,
    cache: Kept,
) -> VariableValues | list[GraphQLError]:
    inputs = variables or {}
    flat = cache.definitions(schema, definitions)
    if flat:
        found = _flat_values(flat, inputs)
        if found is not None:
            COUNTS["flat"] += 1
            return found
    key = None
    defined = [definition.variable.name.value for definition in definitions]
    given = [(name, inputs[name]) for name in defined if name in inputs]
    if all(type(value) in _FLAT for _, value in given):
        key = tuple((name, type(value), value) for name, value in given)
        found = cache.values.get(key)
        if found is not None:
            return found
    COUNTS["coerced"] += 1
    result = get_variable_values(schema, definitions, inputs, max_errors=MAX_COERCION_ERRORS)
    if key is not None and not isinstance(result, list):
        cache.values[key] = result
    return result


def _flat_values(flat: tuple[_Flat, ...], inputs: dict[str, Any]) -> VariableValues | None:
    """What get_variable_values gives, when each value is its own coercion; else None."""
    sources: dict[str, VariableValueSource] = {}
    values: dict[str, Any] = {}
    for variable in flat:
        name = variable.name
        if name not in inputs:
            return None  # a default, or no value: graphql-core's
        value = inputs[name]
        if value is None:
            if not variable.nullable:
                return None
        elif not variable.listed:
            if not variable.own(value):
                return None
        else:
            if type(value) is not list:
                return None  # graphql-core takes a single value as a list of one
            for item in value:
                if item is None:
                    if not variable.item_nullable:
                        return None
                elif not variable.own(item):
                    return None
            value = list(value)
        sources[name] = VariableValueSource(variable.signature, inputs[name])
        values[name] = value
    return VariableValues(sources, values)
