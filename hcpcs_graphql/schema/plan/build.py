"""What a plan records of a selection: per field, how to complete it without graphql-core.

A plain field is one Strawberry resolves by reading an attribute: no resolver of ours, no
arguments, no extension or permission. Its completion is fixed by its type (a leaf to coerce, an
object whose selection has its own plan, or a list of either, each nullable or not), so the plan
records it once. Every other field is left to graphql-core's `execute_field`.

A leaf completes as graphql-core's `complete_leaf_value` would, only faster where the answer is
known: a `str` of a String or ID, a `bool` of a Boolean and an `int` in range of an Int are their
own output; an enum member's name comes from a dict built once (Strawberry's enum type scans its
values for each). Anything else goes to the type's own `coerce_output_value`.

An object type whose Python class says `shared_facts = True` has instances built once (per value
of a release: coded values, releases; per row: codes, their cross-references) and never changed:
what its plain fields complete to is the same every time under the same selection, so its object
plan keeps it (shared.py): the whole dict when every field is kept, else a template of the kept
fields, and the live ones (resolvers of ours, arguments) are completed on every run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from strawberry.schema.schema_converter import CustomGraphQLEnumType, GraphQLCoreConverter
from strawberry.types.field import StrawberryField

SHARED_FACTS = "shared_facts"
"""The class attribute that marks a type's instances as shared, immutable facts (see above)."""
_SAME = ((GraphQLString, str), (GraphQLID, str), (GraphQLBoolean, bool))
"""The leaf types whose `coerce_output_value` returns a value of this Python type unchanged."""


def nullable(kind: GraphQLOutputType) -> tuple[GraphQLOutputType, bool]:
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
        "same",
        "sub",
    )

    def __init__(self, name: str, details: FieldDetailsList, field: GraphQLField | None) -> None:
        self.name = name
        self.details = details
        self.return_type: GraphQLOutputType | None = None if field is None else field.type
        self.attribute: str | None = None
        self.leaf: Any = None
        self.coerce: Any = None
        """A single leaf's `coerce_output_value` (or a faster one that answers the same)."""
        self.same: type | None = None
        """A single leaf's Python type whose values are their own output."""
        self.object_type: GraphQLObjectType | None = None
        self.sub: ObjectPlan | None = None
        self.listed = False
        self.nullable = True
        self.item_type: GraphQLOutputType | None = None
        self.item_nullable = True
        if field is not None and _is_plain(field, details):
            self._complete_as(_python_name(field), field.type)

    def _complete_as(self, attribute: str, kind: GraphQLOutputType) -> None:
        inner, self.nullable = nullable(kind)
        if isinstance(inner, GraphQLList):
            self.listed = True
            self.item_type = inner.of_type
            inner, self.item_nullable = nullable(inner.of_type)
        if is_leaf_type(inner):
            self.leaf = inner
            if not self.listed:
                self.coerce = _coercer(inner)
                self.same = next((same for leaf, same in _SAME if leaf is inner), None)
        elif isinstance(inner, GraphQLObjectType):
            self.object_type = inner
        else:  # an interface or a union: graphql-core resolves the runtime type
            return
        self.attribute = attribute


class ObjectPlan:
    """The fields collected for one object type under one group of field nodes."""

    __slots__ = (
        "__weakref__",
        "completed",
        "fields",
        "keeps",
        "kind",
        "live",
        "nested",
        "shared",
        "templates",
        "type_name",
    )

    def __init__(self, kind: GraphQLObjectType, fields: tuple[FieldPlan, ...]) -> None:
        self.kind = kind
        self.type_name = kind.name
        self.fields = fields
        self.keeps = is_shared(kind)
        """Whether what is completed of a source's kept fields may be kept (a shared type)."""
        self.live: tuple[FieldPlan, ...] | None = None
        """The fields completed on every run, set by the runner before the first (it needs the
        plans below): all of them unless the plan keeps; else those that run a resolver of
        ours or take arguments (anything that may read the request: its context, today, its
        variables) and the objects whose own plans have live fields or are not of a shared
        type. The others, kept: leaves, lists of leaves, and shared objects all of whose
        fields are kept, below them too."""
        self.nested: tuple[tuple[str, bool, ObjectPlan | None], ...] = ()
        """The kept keys that may hold dicts or lists, each with whether it is a list and the
        plan of its objects (None: leaves), set with `live`: each answer gets copies of them."""
        self.shared = False
        """Whether a completed dict may be kept whole: a plan that keeps and has no live field."""
        self.completed: dict[int, tuple[Any, dict[str, Any]]] = {}
        """A shared plan's completed dicts (shared.py)."""
        self.templates: dict[int, tuple[Any, dict[str, Any]]] = {}
        """The templates of a plan that keeps and has live fields (shared.py): its kept fields
        completed, a None in place of each live field."""


def is_shared(kind: GraphQLObjectType) -> bool:
    definition = (kind.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    origin = getattr(definition, "origin", None)
    return getattr(origin, SHARED_FACTS, False) is True


def _coercer(kind: Any) -> Callable[[Any], Any]:
    if kind is GraphQLInt:
        return _int_coercer(kind.coerce_output_value)
    if isinstance(kind, CustomGraphQLEnumType):
        return _enum_coercer(kind)
    coerce: Callable[[Any], Any] = kind.coerce_output_value
    return coerce


def _int_coercer(coerce: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def coerce_int(value: Any) -> Any:
        if type(value) is int and GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT:
            return value
        return coerce(value)

    return coerce_int


def _enum_coercer(kind: CustomGraphQLEnumType) -> Callable[[Any], Any]:
    """Strawberry's enum coercion (the name of the first value whose value equals the member's),
    looked up in a dict; whatever is not a member of the enum goes to Strawberry."""
    members: Any = kind.wrapped_cls
    names: dict[Any, str] = {}
    for member in members:
        for name, value in kind.values.items():
            if member.value == value.value:
                names[member] = name
                break
    coerce = kind.coerce_output_value

    def coerce_enum(value: Any) -> Any:
        if type(value) is members:
            found = names.get(value)
            if found is not None:
                return found
        return coerce(value)

    return coerce_enum


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
