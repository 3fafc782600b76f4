"""A document of one root field answered from its plan, without graphql-core's executor.

graphql-core's execution of a single-code lookup whose code object's answer the plan already
keeps (a template with no live field, kept.py) still sets up an executor and its incremental
executor, collects the root fields, builds a resolve info and an awaitable check per field and
the result. Once the plan holds the root field's object plan, `RootCall` does what is left: the
root field's arguments, its resolver of ours (schema/direct.py), and a copy of the template of
the object (or of each object of a list) it returns.

Only what cannot go wrong is answered here: the plan's template of this very object (kept after
it completed under this selection, so it is of the field's type), or a null where the field is
nullable. Anything else (an error in the arguments or the resolver, an object the plan keeps no
template of, a template with live fields, a null where none may be) gives UNPLANNED before any
answer is made, and the caller runs the operation on graphql-core's path from the start, which
reports the error (our resolvers read, they change nothing but the request's ordered sets of
releases and warnings, which a second run leaves as they were)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from enum import Enum
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLField,
    GraphQLFieldResolver,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfoHelpers,
    GraphQLSchema,
    OperationDefinitionNode,
    VariableNode,
)
from graphql.execution.values import VariableValues, get_argument_values
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import (
    _OperationContextAwareGraphQLResolveInfo as ResolveInfo,  # what its resolvers are given
)

from hcpcs_graphql.schema.plan.build import ObjectPlan, is_shared, nullable
from hcpcs_graphql.schema.plan.cache import Plan, plan_of
from hcpcs_graphql.schema.plan.kept import UNPLANNED
from hcpcs_graphql.schema.plan.shared import copied


def _untracked(values: Sequence[Any]) -> None:
    # No executor waits for tracked work here: a resolver that asks for it fails on this path
    # and runs again on graphql-core's.
    raise RuntimeError("no executor tracks asynchronous work on the direct root path")


def _gather(values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]:
    return gather_with_cancel(*values)


_HELPERS = GraphQLResolveInfoHelpers(gather=_gather, track=_untracked)


_CONSTANT = (str, int, float, bool, type(None), Enum)
"""What an argument's literal or default coerces to that a call cannot change."""


class Arguments:
    """A field's arguments as get_argument_values gives them, from what is known once (each
    literal and default coerced, each variable's name) and the variables' coerced values;
    get_argument_values itself when a variable has no value (a default may apply), a null is
    given where none may be (its error) or a literal is not a constant."""

    __slots__ = ("constants", "field", "node", "variables")

    def __init__(self, field: GraphQLField, node: FieldNode) -> None:
        self.field, self.node = field, node
        given = {argument.name.value: argument.value for argument in node.arguments or ()}
        self.variables: list[tuple[str, str, bool]] = []
        self.constants: dict[str, Any] | None = {}
        for name, argument in field.args.items():
            out = argument.out_name or name
            value = given.get(name)
            if isinstance(value, VariableNode):
                required = isinstance(argument.type, GraphQLNonNull)
                self.variables.append((out, value.name.value, required))
                continue
            try:  # this argument alone, without variables
                found = get_argument_values(GraphQLField(field.type, {name: argument}), node)
            except Exception:  # a literal that holds a variable (or is refused): every call
                self.constants = None
                return
            if out in found:
                if not isinstance(found[out], _CONSTANT):
                    self.constants = None
                    return
                self.constants[out] = found[out]

    def values(self, variables: VariableValues) -> dict[str, Any]:
        constants = self.constants
        if constants is None:
            return get_argument_values(self.field, self.node, variables)
        found = dict(constants)
        coerced = variables.coerced
        for out, name, required in self.variables:
            value = coerced.get(name, Undefined)
            if value is Undefined or (value is None and required):
                return get_argument_values(self.field, self.node, variables)
            found[out] = value
        return found


class RootCall:
    """The one root field of a planned operation, answered from its object plan's templates."""

    __slots__ = (
        "arguments",
        "field",
        "item_nullable",
        "key",
        "listed",
        "nodes",
        "nullable",
        "path",
        "query_type",
        "resolve",
        "sub",
    )

    def __init__(
        self,
        key: str,
        nodes: list[Any],
        query_type: GraphQLObjectType,
        resolve: GraphQLFieldResolver,
        sub: ObjectPlan,
    ) -> None:
        self.key = key
        self.nodes = nodes
        self.query_type = query_type
        self.field = query_type.fields[nodes[0].name.value]
        self.arguments = Arguments(self.field, nodes[0])
        self.resolve = resolve
        self.sub = sub
        self.path = Path(None, key, query_type.name)
        inner, self.nullable = nullable(self.field.type)
        self.listed = isinstance(inner, GraphQLList)
        self.item_nullable = self.listed and nullable(inner.of_type)[1]  # type: ignore[union-attr]

    def start(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        operation: OperationDefinitionNode,
        variables: VariableValues,
        context: Any,
        root_value: Any,
        extensions: dict[str, Any] | None,
        is_awaitable: Callable[[Any], bool],
    ) -> Any:
        """The resolver's value, or an awaitable of it; UNPLANNED when it fails."""
        field = self.field
        try:
            arguments = self.arguments.values(variables)
            # The resolve info Strawberry's execution context builds (build_resolve_info): the
            # coerced variables as a plain dict, the request's extensions.
            info = ResolveInfo(
                self.nodes[0].name.value,
                self.nodes,
                field.type,
                self.query_type,
                self.path,
                schema,
                fragments,
                root_value,
                operation,
                variables.coerced,
                context,
                is_awaitable,
                None,
                _HELPERS,
                extensions,  # type: ignore[arg-type]  # None when the request has none, as there
            )
            return self.resolve(root_value, info, **arguments)
        except Exception:  # graphql-core's path reports it
            return UNPLANNED

    def finish(self, value: Any) -> dict[str, Any] | Any:
        """The operation's data, or UNPLANNED."""
        if value is None:
            return {self.key: None} if self.nullable else UNPLANNED
        sub = self.sub
        done = copied(sub, sub.templates, value, listed=self.listed, nulls=self.item_nullable)
        return UNPLANNED if done is None else {self.key: done}


def root_call(
    schema: GraphQLSchema,
    plan: Plan,
    resolvers: Mapping[GraphQLFieldResolver, GraphQLFieldResolver],
) -> RootCall | bool | None:
    """The plan's root call; False when the operation can never have one (not one root field,
    not a resolver of ours that is called directly, not an object of a shared type, maybe in a
    list), None when it may once a run has planned its object (a template with no live field)."""
    root, query_type = plan.root, schema.query_type
    if root is None or query_type is None:
        return None
    if len(root) != 1:
        return False
    ((key, details),) = root.items()
    field = query_type.fields.get(details[0].node.name.value)
    resolve = None if field is None or field.resolve is None else resolvers.get(field.resolve)
    if field is None or resolve is None:
        return False
    inner, _ = nullable(field.type)
    if isinstance(inner, GraphQLList):
        inner, _ = nullable(inner.of_type)
    if not isinstance(inner, GraphQLObjectType) or not is_shared(inner):
        return False
    sub = plan.objects.get((id(details), inner.name))
    if sub is None or sub.live is None:
        return None
    if not sub.keeps or sub.live:
        return False
    return RootCall(key, [detail.node for detail in details], query_type, resolve, sub)


class RootSlot:
    """A prepared operation's root call, looked for until it is known (`root_call`)."""

    __slots__ = ("call", "plan")

    def __init__(self) -> None:
        self.call: RootCall | bool | None = None
        self.plan: Plan | None = None
        """The plan the call was found in: a plan dropped from its cache is looked for again."""

    def found(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: Iterable[FragmentDefinitionNode],
        resolvers: Mapping[GraphQLFieldResolver, GraphQLFieldResolver],
    ) -> RootCall | None:
        call = self.call
        if call is False:
            return None
        plan = plan_of(schema, operation, fragments)
        if plan is None:
            self.call = False
            return None
        if plan is not self.plan or call is None:
            self.plan, self.call = plan, root_call(schema, plan, resolvers)
        return self.call if isinstance(self.call, RootCall) else None
