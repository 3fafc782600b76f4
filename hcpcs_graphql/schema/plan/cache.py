"""One plan per schema, document text and operation name, kept in a bounded cache.

A plan is filled as the first run goes: the root fields graphql-core collected, then one object
plan per group of field nodes and object type, the first time that run completes one. The next
run of the same document takes them as they are. Field collection depends on the variables only
through directives (@include/@skip, @defer/@stream) and fragment arguments, so a document that has
any runs on graphql-core's own path, whole."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from graphql import (
    DirectiveNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    Node,
    OperationDefinitionNode,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet

from hcpcs_graphql.schema.plan.build import FieldPlan, ObjectPlan

PLANS = 1024
"""As many as the parser and validation caches keep (schema/schema.py)."""


class Plan:
    __slots__ = ("objects", "plannable", "root")

    def __init__(self) -> None:
        self.plannable: bool | None = None
        self.root: GroupedFieldSet | None = None
        # Keyed by the identity of a field group this plan holds (the root's or an object
        # plan's): the plan keeps every group alive, so no identity is reused while it lives.
        self.objects: dict[tuple[int, str], ObjectPlan] = {}

    def root_fields(self, collected: GroupedFieldSet) -> GroupedFieldSet:
        if self.root is None:
            self.root = collected
        return self.root

    def object_plan(
        self, executor: Any, schema: GraphQLSchema, kind: GraphQLObjectType,
        details: FieldDetailsList,
    ) -> ObjectPlan:  # fmt: skip
        key = (id(details), kind.name)
        found = self.objects.get(key)
        if found is None:
            grouped, _defers, _forbidden = executor.collect_subfields(kind, details)
            fields = tuple(
                FieldPlan(name, group, schema.get_field(kind, group[0].node.name.value))
                for name, group in grouped.items()
            )
            found = self.objects[key] = ObjectPlan(kind, fields)
        return found


def plan_of(
    schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Iterable[Node]
) -> Plan | None:
    if operation.loc is None:
        return None
    name = None if operation.name is None else operation.name.value
    plan = _plan(schema, operation.loc.source.body, name)
    if plan.plannable is None:
        plan.plannable = not any(
            _varies(node) for root in (operation, *fragments) for node in _walk(root)
        )
    return plan if plan.plannable else None


@lru_cache(maxsize=PLANS)
def _plan(schema: GraphQLSchema, text: str, operation_name: str | None) -> Plan:
    # The schema is part of the key: a plan holds its types and fields.
    return Plan()


def _varies(node: Node) -> bool:
    if isinstance(node, DirectiveNode):
        return True
    return isinstance(node, FragmentSpreadNode) and bool(getattr(node, "arguments", None))


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for key in node.keys:
        value = getattr(node, key, None)
        children = value if isinstance(value, tuple | list) else (value,)
        for child in children:
            if isinstance(child, Node):
                yield from _walk(child)
