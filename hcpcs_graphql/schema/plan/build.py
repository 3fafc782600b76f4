"""What a plan records of a selection: per field, how to complete it without graphql-core.

A plain field is one Strawberry resolves by reading an attribute: no resolver of ours, no
arguments, no extension or permission. Its completion is fixed by its type (a leaf to coerce, an
object whose selection has its own plan, or a list of either, each nullable or not), so the plan
records it once. Every other field is left to graphql-core's `execute_field`."""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField


def _nullable(kind: GraphQLOutputType) -> tuple[GraphQLOutputType, bool]:
    if isinstance(kind, GraphQLNonNull):
        return kind.of_type, False
    return kind, True


class FieldPlan:
    """One response key of a selection: its field nodes and, for a plain field, its completion."""

    __slots__ = (
        "attribute",
        "coerce",
        "details",
        "item_nullable",
        "item_type",
        "leaf",
        "listed",
        "name",
        "nullable",
        "object_type",
        "return_type",
        "sub",
    )

    def __init__(self, name: str, details: FieldDetailsList, field: GraphQLField | None) -> None:
        self.name = name
        self.details = details
        self.return_type: GraphQLOutputType | None = None if field is None else field.type
        self.attribute: str | None = None
        self.leaf: Any = None
        self.coerce: Any = None
        """A single leaf's `coerce_output_value`."""
        self.object_type: GraphQLObjectType | None = None
        self.sub: ObjectPlan | None = None
        self.listed = False
        self.nullable = True
        self.item_type: GraphQLOutputType | None = None
        self.item_nullable = True
        if field is not None and _is_plain(field, details):
            self._complete_as(_python_name(field), field.type)

    def _complete_as(self, attribute: str, kind: GraphQLOutputType) -> None:
        inner, self.nullable = _nullable(kind)
        if isinstance(inner, GraphQLList):
            self.listed = True
            self.item_type = inner.of_type
            inner, self.item_nullable = _nullable(inner.of_type)
        if is_leaf_type(inner):
            self.leaf = inner
            if not self.listed:
                self.coerce = inner.coerce_output_value
        elif isinstance(inner, GraphQLObjectType):
            self.object_type = inner
        else:  # an interface or a union: graphql-core resolves the runtime type
            return
        self.attribute = attribute


class ObjectPlan:
    """The fields collected for one object type under one group of field nodes."""

    __slots__ = ("fields", "kind", "type_name")

    def __init__(self, kind: GraphQLObjectType, fields: tuple[FieldPlan, ...]) -> None:
        self.kind = kind
        self.type_name = kind.name
        self.fields = fields


def _definition(field: GraphQLField) -> Any:
    return (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)


def _python_name(field: GraphQLField) -> str:
    definition: StrawberryField = _definition(field)
    return definition.python_name


def _is_plain(field: GraphQLField, details: FieldDetailsList) -> bool:
    definition = _definition(field)
    return (
        isinstance(definition, StrawberryField)
        and definition.base_resolver is None
        and not definition.extensions
        and not definition.permission_classes
        and not field.args
        and all(detail.fragment_variable_values is None for detail in details)
    )
