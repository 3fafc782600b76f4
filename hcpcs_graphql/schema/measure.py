"""The walk that measures a GraphQL document for its limits (see schema/limits.py): each
fragment measured once and reused wherever it is spread; a connection counted by its page size
(the smaller of its `first` and `last`, from the literal or the variables)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    SelectionSetNode,
    VariableNode,
)

from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.schema.list_bounds import (
    LIST_ARGUMENTS,
    LIST_ITEMS,
    OTHER_LISTS,
    Bounds,
)
from hcpcs_graphql.services.codes import MAX_CODES
from hcpcs_graphql.services.pagination import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    PAGE_SIZE_ARGUMENTS,
)

_NOT_GIVEN = -(2**31)


class LimitError(GraphQLError):
    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": ErrorCode.QUERY_TOO_LARGE})


@dataclass(frozen=True, slots=True)
class Measure:
    depth: int = 0
    aliases: int = 0
    directives: int = 0
    fields: int = 0
    cost: int = 0

    def __add__(self, other: Measure) -> Measure:
        return Measure(
            max(self.depth, other.depth),
            self.aliases + other.aliases,
            self.directives + other.directives,
            self.fields + other.fields,
            self.cost + other.cost,
        )


MEASURED: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(Measure))
"""What a document is measured by, in the order its limits are checked: each a field of Limits."""


def _named(kind: Any) -> tuple[GraphQLNamedType, bool]:
    """The named type under NonNull and List wrappers, and whether there is a list."""
    is_list = False
    while isinstance(kind, GraphQLNonNull | GraphQLList):
        is_list = is_list or isinstance(kind, GraphQLList)
        kind = kind.of_type
    return kind, is_list


class Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        bounds: Bounds = (),
    ) -> None:
        self.schema = schema
        self.list_items = {**LIST_ITEMS, **dict(bounds)}
        self.fragments = fragments
        self.variables = variables
        self.measured: dict[str, Measure] = {}
        self.open: set[str] = set()
        self.read_variables = False
        """Whether the measure depends on the variables (page sizes, codes looked up)."""

    def _integer(self, node: Any, default: int) -> int:
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            self.read_variables = True
            value = self.variables.get(node.name.value)
            return value if isinstance(value, int) else default
        return default

    def _items(self, parent: str, field: FieldNode, is_list: bool, paginated: bool) -> int:
        arguments = {argument.name.value: argument.value for argument in field.arguments or ()}
        if paginated or any(name in arguments for name in PAGE_SIZE_ARGUMENTS):
            # A page holds at most `first` and at most `last` items (the default when neither
            # is given); beyond the cap the resolver refuses anyway.
            given = [self._integer(arguments.get(name), _NOT_GIVEN) for name in PAGE_SIZE_ARGUMENTS]
            sizes = [size for size in given if size != _NOT_GIVEN]
            return max(0, min(*sizes, MAX_PAGE_SIZE) if sizes else DEFAULT_PAGE_SIZE)
        name = field.name.value
        argument, most = LIST_ARGUMENTS.get(name, ("codes", MAX_CODES))
        if (
            parent == "Query"
            and is_list
            and (name in {"codes", *LIST_ARGUMENTS} or argument in arguments)
        ):
            # The batch lookup, a code table restricted to some entries, claim lines.
            values = arguments.get(argument)
            if isinstance(values, ListValueNode):
                return len(values.values)
            if isinstance(values, VariableNode):
                self.read_variables = True
                value = self.variables.get(values.name.value)
                return len(value) if isinstance(value, list) else most
            return 1
        if field.name.value == "edges":
            return 1  # counted at the connection, by its page size
        if not is_list:
            return 1
        return self.list_items.get((parent, field.name.value), OTHER_LISTS)

    def selection_set(self, selections: SelectionSetNode | None, parent: Any) -> Measure:
        total = Measure()
        if selections is None:
            return total
        for selection in selections.selections:
            directives = len(selection.directives or ())
            if isinstance(selection, FieldNode):
                measure = self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                kind = parent if condition is None else self.schema.get_type(condition.name.value)
                measure = self.selection_set(selection.selection_set, kind)
            elif isinstance(selection, FragmentSpreadNode):
                measure = self.fragment(selection.name.value)
            else:  # pragma: no cover
                continue
            total = total + measure + Measure(directives=directives)
        return total

    def field(self, node: FieldNode, parent: Any) -> Measure:
        own = Measure(depth=1, aliases=1 if node.alias else 0, fields=1)
        if node.selection_set is None:
            return own  # a scalar: no node of its own
        if node.name.value.startswith("__"):
            # Introspection (GraphiQL's asks 15 levels deep): its size is the schema's, so
            # only its fields, aliases and directives count.
            below = self.selection_set(node.selection_set, None)
            return Measure(
                depth=1,
                aliases=own.aliases + below.aliases,
                directives=below.directives,
                fields=1 + below.fields,
            )
        kind: Any = None
        is_list = False
        paginated = False  # a connection: as many items as its page size
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(node.name.value)
            if definition is not None:
                kind, is_list = _named(definition.type)
                paginated = any(name in definition.args for name in PAGE_SIZE_ARGUMENTS)
        items = self._items(getattr(parent, "name", ""), node, is_list, paginated)
        below = self.selection_set(node.selection_set, kind)
        return Measure(
            depth=1 + below.depth,
            aliases=own.aliases + below.aliases,
            directives=below.directives,
            fields=1 + below.fields,
            cost=1 + items * below.cost,
        )

    def fragment(self, name: str) -> Measure:
        found = self.measured.get(name)
        if found is not None:
            return found
        definition = self.fragments.get(name)
        if definition is None:
            return Measure()  # validation reports it
        if name in self.open:
            raise LimitError(f"fragment {name!r} spreads itself")
        self.open.add(name)
        kind = self.schema.get_type(definition.type_condition.name.value)
        measure = self.selection_set(definition.selection_set, kind)
        self.open.discard(name)
        self.measured[name] = measure
        return measure
