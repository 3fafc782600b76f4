"""Variables coerced here (schema/variables.py) are what graphql-core's get_variable_values
gives: the same coerced values and sources, the same errors; flat ones without it, counted."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse
from graphql.execution.values import VariableValues, get_variable_values

from hcpcs_graphql.schema import variables
from hcpcs_graphql.schema.schema import schema

GRAPHQL = schema._schema
FLAT = (
    "$code: String!, $release: String, $first: Int, $id: ID, $more: Boolean!,"
    " $codes: [String!]!, $some: [String], $rows: [Int!]"
)
GIVEN = {"code": "A", "release": None, "first": -3, "id": "x", "more": False, "codes": [],
         "some": [None, "C"], "rows": None}  # fmt: skip
MISSING = object()
# Each case: the values that differ from GIVEN (MISSING: left out), and whether they are flat.
CASES: dict[str, tuple[dict[str, Any], bool]] = {
    "flat": ({"nonce": 5, "codes": ["A", "B"], "rows": [1, 2**31 - 1]}, True),
    "a default or no value": ({"release": MISSING, "first": MISSING}, False),
    "a null where none may be": ({"code": None}, False),
    "an int for a String": ({"code": 5}, False),
    "an int for an ID": ({"id": 7}, False),
    "a bool for an Int": ({"first": True}, False),
    "an Int out of range": ({"first": 2**31}, False),
    "a float for an Int": ({"first": 1.0}, False),
    "a single value for a list": ({"codes": "A"}, False),
    "a null item where none may be": ({"codes": [None]}, False),
    "an item of another type": ({"rows": ["1"]}, False),
}


def definitions(text: str) -> Any:
    operation = parse(f"query({text}) {{ releases {{ id }} }}").definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation.variable_definitions


def facts(found: VariableValues | list[Any]) -> Any:
    if isinstance(found, list):
        return [error.message for error in found]
    sources = {
        name: (source.signature.name, str(source.signature.type), source.value)
        for name, source in found.sources.items()
    }
    return sources, found.coerced


def coerced_twice(text: str, given: dict[str, Any]) -> dict[str, int]:
    nodes = definitions(text)
    expected = facts(get_variable_values(GRAPHQL, nodes, given, max_errors=50))
    kept = variables.kept()
    before = variables.COUNTS.copy()
    for _ in range(2):  # coerced, then kept (or flat again)
        assert facts(variables.coerced(GRAPHQL, nodes, given, kept)) == expected
    return {name: variables.COUNTS[name] - before[name] for name in ("flat", "coerced")}


@pytest.mark.parametrize("case", list(CASES))
def test_what_graphql_core_gives(case: str) -> None:
    changes, flat = CASES[case]
    given = {name: value for name, value in {**GIVEN, **changes}.items() if value is not MISSING}
    counts = coerced_twice(FLAT, given)
    assert counts == ({"flat": 2, "coerced": 0} if flat else {"flat": 0, "coerced": 2})


def test_a_type_that_is_not_flat_is_graphql_cores() -> None:
    # A Date (a custom scalar): every variable of the operation is coerced by graphql-core,
    # and kept when the values are JSON scalars.
    assert coerced_twice(f"{FLAT}, $on: Date", {**GIVEN, "rows": 5, "on": "2026-01-01"}) == {
        "flat": 0,
        "coerced": 2,  # a list among the values: not kept
    }
    # A single value for a list is graphql-core's list of one; the values are JSON scalars.
    flat_values = {"code": "A", "more": True, "codes": "A", "on": "2026-01-01"}
    assert coerced_twice(f"{FLAT}, $on: Date", flat_values) == {"flat": 0, "coerced": 1}


def test_a_list_is_copied() -> None:
    codes = ["A9597"]
    found = variables.coerced(
        GRAPHQL, definitions(FLAT), {**GIVEN, "codes": codes}, variables.kept()
    )
    assert not isinstance(found, list)
    assert found.coerced["codes"] == codes
    assert found.coerced["codes"] is not codes


def test_values_the_document_does_not_define_are_not_part_of_the_key() -> None:
    nodes = definitions("$on: Date")
    kept = variables.kept()
    before = variables.COUNTS["coerced"]
    for nonce in range(3):
        found = variables.coerced(GRAPHQL, nodes, {"on": "2026-01-01", "nonce": nonce}, kept)
        assert not isinstance(found, list)
    assert variables.COUNTS["coerced"] - before == 1
