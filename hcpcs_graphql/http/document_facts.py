"""What the HTTP layer needs to know of a GraphQL request, read from its parsed document and its
variables (never from the text): the operation's name, and whether its answer is fixed by the
releases it names (which releases those are), or may change when a release is loaded or as days
pass."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    GraphQLField,
    GraphQLObjectType,
    OperationDefinitionNode,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableNode,
    Visitor,
    parse,
    value_from_ast_untyped,
    visit,
)
from graphql.error import GraphQLError

from hcpcs_graphql.schema.schema import schema

graphql_schema = schema._schema
assert graphql_schema.query_type is not None
Query: GraphQLObjectType = graphql_schema.query_type

# Root fields that always name their releases in arguments of their own.
_RELEASES_NAMED = {"changes": ("from", "to"), "reconcile": ("from", "to")}
_RELEASE = ("release",)
# Fields whose answer reads every loaded release: loading one more changes it.
_EVERY_RELEASE = frozenset({"releases", "history"})
# Arguments of the date a status is judged on: today's when missing or null.
_DATE_ARGUMENTS = ("on", "statusOn")
_DATED = frozenset([*_RELEASE, *(name for names in _RELEASES_NAMED.values() for name in names),
                    *_DATE_ARGUMENTS])  # fmt: skip
"""The arguments whose values the facts read: the releases named, the dates."""
MAX_TOKENS = 2000


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    operation: str | None
    """The name of the operation to run, as the document spells it; None when anonymous or
    when the request's operation name names no operation of the document."""
    releases: frozenset[str] | None
    """The releases the answer is fixed by: every field names its release, nothing reads every
    release or is judged on today's date. None when the answer may change without them."""


@functools.lru_cache(maxsize=1024)
def _parsed(query: str) -> DocumentNode | None:
    try:
        return parse(query, max_tokens=MAX_TOKENS)
    except (GraphQLError, RecursionError):
        return None


@functools.lru_cache(maxsize=1024)
def variables_named(query: str) -> frozenset[str] | None:
    """The variables the document names (defined or read); None when it does not parse."""
    document = _parsed(query)
    if document is None:
        return None
    walk = _Variables()
    visit(document, walk)
    return frozenset(walk.names)


@functools.lru_cache(maxsize=1024)
def scalar_variables(query: str) -> frozenset[str]:
    """The variables the document uses only as the whole value of arguments that name no
    release and no date: the facts read such a variable's value only to look for a status
    filter in it, which a scalar value never holds. A request's facts are the same whatever
    scalars they hold (a lookup's code): caching.py leaves them out of the facts' key."""
    document = _parsed(query)
    if document is None:
        return frozenset()
    walk = _Arguments()
    visit(document, walk)
    return frozenset(walk.whole - walk.read)


class _Arguments(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.whole: set[str] = set()
        """Variables given as the whole value of an argument that names no release or date."""
        self.read: set[str] = set()
        """Variables used anywhere else."""

    def enter_argument(self, node: ArgumentNode, *_: object) -> None:
        if isinstance(node.value, VariableNode) and node.name.value not in _DATED:
            self.whole.add(node.value.name.value)
        else:
            walk = _Variables()
            visit(node.value, walk)
            self.read |= walk.names


class _Variables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: object) -> None:
        self.names.add(node.name.value)


@functools.lru_cache(maxsize=4096)
def remembered_facts(
    query: str, variables: str | bytes, operation_name: str | None
) -> DocumentFacts:
    """document_facts, by the variables' JSON text: a request asked again (the answer store's
    hits, revalidations) costs a lookup instead of a walk of its document (about 0.3 ms)."""
    found = json.loads(variables)
    return document_facts(query, found if isinstance(found, dict) else None, operation_name)


def document_facts(
    query: str, variables: Mapping[str, object] | None, operation_name: str | None
) -> DocumentFacts:
    document = _parsed(query)
    if document is None:
        return DocumentFacts(None, None)
    operations = [
        definition
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
        and (
            operation_name is None or (definition.name and definition.name.value == operation_name)
        )
    ]
    if len(operations) != 1:
        return DocumentFacts(None, None)
    operation = operations[0]
    name = operation.name.value if operation.name else None
    if operation.operation != OperationType.QUERY:
        return DocumentFacts(name, None)
    try:
        return DocumentFacts(name, _pinned(query, operation, dict(variables or {})))
    except RecursionError:  # variables nested past Python's stack: nothing is pinned
        return DocumentFacts(name, None)


def _pinned(
    query: str, operation: OperationDefinitionNode, variables: dict[str, object]
) -> frozenset[str] | None:
    for selection in operation.selection_set.selections:
        if not isinstance(selection, FieldNode):
            return None  # fragments at the root: don't guess
        field = selection.name.value
        if field not in _RELEASES_NAMED and not _has_argument(Query, field, _RELEASE[0]):
            return None  # the newest release, every release, or the program (code tables)
    named: set[str] = set()
    for node, definition in _fields(query):
        releases = _releases_read(node, definition, variables)
        if releases is None:
            return None
        named |= releases
    return frozenset(named)


def _has_argument(parent: GraphQLObjectType, field: str, argument: str) -> bool:
    definition = parent.fields.get(field)
    return definition is not None and argument in definition.args


@functools.lru_cache(maxsize=1024)
def _fields(query: str) -> tuple[tuple[FieldNode, GraphQLField | None], ...]:
    """Each field of the document with its definition, walked once per document: graphql-core's
    visitors keep their own bound methods (Visitor.enter_leave_map), a reference cycle left for
    the collector by each walk."""
    document = _parsed(query)
    assert document is not None
    walk = _Fields()
    visit(document, TypeInfoVisitor(walk.type_info, walk))
    return tuple(walk.found)


class _Fields(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.type_info = TypeInfo(graphql_schema)
        self.found: list[tuple[FieldNode, GraphQLField | None]] = []

    def enter_field(self, node: FieldNode, *_: object) -> None:
        self.found.append((node, self.type_info.get_field_def()))


def _releases_read(
    node: FieldNode, definition: GraphQLField | None, variables: dict[str, object]
) -> set[str] | None:
    """The releases a field names; None when its answer may change without them: a `release`
    argument not given (the newest release), a field that reads every release, or one that
    judges a status on today's date."""
    field = node.name.value
    if definition is None or field in _EVERY_RELEASE or field.startswith("__"):
        return None
    named: set[str] = set()
    names = _RELEASES_NAMED.get(field, _RELEASE)
    if names[0] in definition.args:
        releases = _arguments(node, names, variables)
        if releases is None:
            return None
        named = releases
    for argument in _DATE_ARGUMENTS:
        if argument in definition.args and _value(node, argument, variables) is None:
            return None
    if any(
        _undated_status(_value(node, argument.name.value, variables))
        for argument in node.arguments or ()
    ):
        return None
    return named


def _arguments(
    field: FieldNode, names: tuple[str, ...], variables: dict[str, object]
) -> set[str] | None:
    """The release ids FIELD names in the arguments NAMES; None unless each names one."""
    found = [_value(field, name, variables) for name in names]
    if not all(isinstance(value, str) for value in found):
        return None
    return {str(value) for value in found}


def _value(field: FieldNode, name: str, variables: dict[str, object]) -> object:
    for argument in field.arguments or ():
        if argument.name.value == name:
            node: ValueNode = argument.value
            return value_from_ast_untyped(node, variables)
    return None


def _undated_status(value: object) -> bool:
    """Whether an argument's value holds a status filter without its date (judged on today)."""
    if isinstance(value, dict):
        status = value.get("status")
        if isinstance(status, dict) and status.get("on") is None:
            return True
        return any(_undated_status(item) for item in value.values())
    if isinstance(value, list):
        return any(_undated_status(item) for item in value)
    return False
