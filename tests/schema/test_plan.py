"""The execution plan (schema/plan/) answers exactly what graphql-core's own path answers.

Every root field of the schema, with every field below it selected (built from the schema's
types, so a new field is covered the day it is added), runs three times: on graphql-core's path,
on the plan as it is built, and on the plan once cached; data and errors must be equal. Then
documents with errors, directives, aliases, fragments and new variables."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    GraphQLField,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
)

from hcpcs_graphql.domain.request_limits import Limits
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.global_ids import code_id
from tests.graphql import planned_result

GRAPHQL = schema._schema
DEPTH = 3
"""Object levels selected below a root field: Code, its cross-references, their targets."""

# The arguments each root field runs with; a root field missing here fails the test.
ARGUMENTS: dict[str, dict[str, Any]] = {
    "code": {"code": "A9597"},
    "node": {"id": code_id("2026-01", "E0100")},
    "nodes": {"ids": [code_id("2026-01", "A9597"), code_id("2025-10", "ZZZZZ")]},
    "codes": {"codes": ["A9597", "E0100", "zzzzz", "LT"]},
    "allCodes": {"filter": {"hasCrossReferences": True}, "first": 10},
    "search": {"text": "wheelchair", "first": 10},
    "checkClaimLines": {
        "lines": [
            {"code": "A9597", "dateOfService": "2026-02-01", "modifiers": ["LT"]},
            {"code": "ZZZZZ", "dateOfService": "2026-02-01", "modifiers": []},
        ]
    },
    "reconcile": {"codes": ["A9597", "E0100", "ZZZZZ"], "from": "2025-10", "to": "2026-01"},
    "changes": {"from": "2025-10", "to": "2026-01", "first": 10},
}


@pytest.fixture
def roomy(context: Context) -> Context:
    """The context with limits wide enough for every field at once."""
    context.limits = Limits(tokens=100_000, fields=100_000, cost=10_000_000)
    return context


def _required(field: GraphQLField) -> bool:
    return any(
        isinstance(argument.type, GraphQLNonNull) and argument.default_value is None
        for argument in field.args.values()
    )


def selection(kind: GraphQLNamedType, depth: int) -> str:
    """Every field of KIND without a required argument, objects DEPTH levels down."""
    if is_abstract_type(kind):
        possible = GRAPHQL.get_possible_types(kind)
        spreads = " ".join(f"... on {each.name} {selection(each, depth)}" for each in possible)
        return f"{{ __typename {spreads} }}"
    assert isinstance(kind, GraphQLObjectType)
    fields = []
    for name, field in kind.fields.items():
        inner = get_named_type(field.type)
        if _required(field):
            continue
        if is_leaf_type(inner):
            fields.append(name)
        elif depth > 0:
            fields.append(f"{name} {selection(inner, depth - 1)}")
    return f"{{ {' '.join(fields) or '__typename'} }}"


def root_document(name: str) -> tuple[str, dict[str, Any]]:
    field = GRAPHQL.query_type.fields[name]  # type: ignore[union-attr]
    values = ARGUMENTS.get(name, {})
    declared = [f"${key}: {field.args[key].type}" for key in values]
    passed = [f"{key}: ${key}" for key in values]
    variables = f"({', '.join(declared)})" if declared else ""
    arguments = f"({', '.join(passed)})" if passed else ""
    inner = get_named_type(field.type)
    below = "" if is_leaf_type(inner) else selection(inner, DEPTH)
    return f"query Every{variables} {{ {name}{arguments} {below} }}", values


def answer(result: Any) -> tuple[Any, Any]:
    errors = [
        (error.message, error.path, error.locations, error.extensions)
        for error in result.errors or ()
    ]
    return result.data, errors


async def run(
    context: Context, query: str, variables: dict[str, Any], *, planned: bool
) -> tuple[Any, Any]:
    return answer(await planned_result(schema, query, variables, planned=planned, context=context))


async def same(context: Context, query: str, variables: dict[str, Any]) -> tuple[Any, Any]:
    core = await run(context, query, variables, planned=False)
    assert await run(context, query, variables, planned=True) == core  # the plan built
    assert await run(context, query, variables, planned=True) == core  # the plan cached
    return core


def test_every_root_field_with_arguments_is_covered() -> None:
    query_type = GRAPHQL.query_type
    assert query_type is not None
    needing = {name for name, field in query_type.fields.items() if _required(field)}
    assert needing <= ARGUMENTS.keys()


@pytest.mark.parametrize("name", sorted(GRAPHQL.query_type.fields))  # type: ignore[union-attr]
async def test_every_field_of_every_root_field(roomy: Context, name: str) -> None:
    query, variables = root_document(name)
    data, errors = await same(roomy, query, variables)
    assert errors == []
    assert data[name] is not None


async def test_new_variables_on_a_cached_plan(roomy: Context) -> None:
    query, _ = root_document("codes")
    await same(roomy, query, {"codes": ["A9597"]})
    data, errors = await same(roomy, query, {"codes": ["E0100", "G0008", "nope"]})
    assert errors == []
    assert [code and code["code"] for code in data["codes"]] == ["E0100", "G0008", None]


ERRORS = {
    # a client error of a resolver (an unknown release), beside an answered field
    'query Bad($release: String) { code(code: "A9597", release: $release) { code } '
    "releases { id } }": {"release": "1999-01"},
    # a bad argument value (graphql-core refuses the variable)
    "query Bad($first: Int) { allCodes(first: $first) { totalCount } }": {"first": "many"},
    # a resolver error under a non-null root field: the whole data is null
    'query Bad($from: String!) { changes(from: $from, to: "2026-01") { totalCount } }': {
        "from": "1999-01"
    },
}


@pytest.mark.parametrize("query", ERRORS)
async def test_errors(context: Context, query: str) -> None:
    _, errors = await same(context, query, ERRORS[query])
    assert errors


SHAPES = """
query Shapes($code: String!, $with: Boolean!, $without: Boolean!) {
  first: code(code: $code) { ...Named coverage @include(if: $with) { code } }
  second: code(code: $code) { name: shortDescription betos @skip(if: $without) { code } }
  node(id: "Q29kZToyMDI2LTAxOkE5NTk3") { id ... on Code { ...Named } }
}
fragment Named on Code { code shortDescription kind pricingIndicators { code } }
"""

ALIASES = """
query Aliases($codes: [String!]!) {
  codes(codes: $codes) {
    c: code code ...More same: code
    betos { c: code code category { description } }
    crossReferences { target { ...More } }
  }
}
fragment More on Code { code longDescription betos { code description } }
"""


@pytest.mark.parametrize("include", [True, False])
async def test_directives_fragments_and_aliases(context: Context, include: bool) -> None:
    variables = {"code": "A9597", "with": include, "without": not include}
    data, errors = await same(context, SHAPES, variables)
    assert errors == []
    assert ("coverage" in data["first"]) is include
    data, errors = await same(context, ALIASES, {"codes": ["A4206", "E0100"]})
    assert errors == []
