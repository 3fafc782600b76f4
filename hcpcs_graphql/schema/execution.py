"""A faster path for the plain fields of a result.

graphql-core resolves every field alike: it builds a resolve info, reads the arguments, calls
the resolver, checks for an awaitable and completes the value. For a field that Strawberry
resolves by reading an attribute (no resolver of ours, no arguments), all of that comes down to
reading the attribute, then serialising a scalar, or executing the sub-selection of an object,
or doing either for each item of a list. A list of 100 codes with every nested field has about
4,500 fields, nearly all of them such: this path reads them directly, and leaves the rest (and
every null in a non-null field, every serialisation error) to graphql-core. It took a third off
executing such a list (22.8 ms to 14.4 ms, median, side by side in one process).

One difference remains: an error raised below a shortcut object field (none of our types can
raise one, their fields are typed) nulls the nearest ancestor that graphql-core completed, not
the shortcut field itself."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, cast

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

_FALLBACK = object()
"""What a shortcut returns when graphql-core must complete the field itself."""


def _nullable(kind: GraphQLOutputType) -> tuple[GraphQLOutputType, bool]:
    if isinstance(kind, GraphQLNonNull):
        return kind.of_type, False
    return kind, True


class _Shortcut:
    """How to complete a plain field: its attribute and what its type asks for."""

    def __init__(self, name: str, kind: GraphQLOutputType) -> None:
        self.name = name
        self.kind, self.nullable = _nullable(kind)
        self.item: GraphQLOutputType | None = None
        self.item_nullable = False
        if isinstance(self.kind, GraphQLList):
            self.item, self.item_nullable = _nullable(self.kind.of_type)

    @classmethod
    def of(cls, field: GraphQLField) -> _Shortcut | None:
        definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if (
            not isinstance(definition, StrawberryField)
            or definition.base_resolver is not None
            or definition.extensions
            or definition.permission_classes
            or field.args
        ):
            return None
        shortcut = cls(definition.python_name, field.type)
        leaf = shortcut.item if shortcut.item is not None else shortcut.kind
        if not isinstance(leaf, GraphQLScalarType | GraphQLObjectType):
            return None
        return shortcut


_shortcuts: dict[int, _Shortcut | None] = {}


def _shortcut(field: GraphQLField) -> _Shortcut | None:
    key = id(field)
    if key not in _shortcuts:
        _shortcuts[key] = _Shortcut.of(field)
    return _shortcuts[key]


class ExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any = None,
    ) -> Any:
        node = field_details_list[0].node
        middleware = self.middleware_manager
        # Middleware (a schema extension's `resolve` hook) must see every field: no shortcut.
        if not node.directives and (middleware is None or not middleware.middlewares):
            field = self.schema.get_field(parent_type, node.name.value)
            shortcut = None if field is None else _shortcut(field)
            if shortcut is not None:
                value = getattr(source, shortcut.name)
                if value is None:
                    if shortcut.nullable:
                        return None
                else:
                    completed = self._complete(
                        shortcut, value, field_details_list, path, position_context
                    )
                    if completed is not _FALLBACK:
                        return completed
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def _complete(
        self,
        shortcut: _Shortcut,
        value: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        if shortcut.item is None:
            return self._complete_one(
                shortcut.kind, value, field_details_list, path, position_context
            )
        if not isinstance(value, list):
            return _FALLBACK
        completed: list[Any] = []
        for index, item in enumerate(value):
            if item is None:
                if not shortcut.item_nullable:
                    return _FALLBACK
                completed.append(None)
                continue
            done = self._complete_one(
                shortcut.item, item, field_details_list, path.add_key(index, None),
                position_context,
            )  # fmt: skip
            if done is _FALLBACK:
                return _FALLBACK
            completed.append(done)
        if any(self.is_awaitable(item) for item in completed):
            return _gather(completed, self.is_awaitable)
        return completed

    def _complete_one(
        self,
        kind: GraphQLOutputType,
        value: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        if isinstance(kind, GraphQLScalarType):
            try:
                return kind.serialize(value)
            except Exception:  # graphql-core reports it with its path
                return _FALLBACK
        if not isinstance(kind, GraphQLObjectType):
            return _FALLBACK
        # Strawberry's is_type_of is an isinstance check that never reads the info.
        if kind.is_type_of is not None and not kind.is_type_of(value, cast("Any", None)):
            return _FALLBACK
        return self.collect_and_execute_subfields(
            kind, field_details_list, path, value, position_context
        )


async def _gather(items: list[Any], is_awaitable: Callable[[Any], bool]) -> list[Any]:
    waiting = [index for index, item in enumerate(items) if is_awaitable(item)]
    done = await asyncio.gather(*(items[index] for index in waiting))
    for index, item in zip(waiting, done, strict=True):
        items[index] = item
    return items
