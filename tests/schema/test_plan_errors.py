"""Nulls and errors under plain fields: the plan gives what graphql-core gives.

Our own types cannot hold a null in a non-null field, so a small schema of typed objects holding
wrong values runs on the same execution context, plan on and off."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

import pytest
import strawberry
from graphql import parse

from hcpcs_graphql.schema.execution import ExecutionContext
from hcpcs_graphql.schema.plan.cache import plan_of
from tests.graphql import planned_answer


@strawberry.type
class Leaf:
    value: str
    maybe: str | None
    count: int

    @strawberry.field
    def broken(self) -> str:
        raise ValueError("broken leaf")

    @strawberry.field
    async def late(self) -> str | None:
        await asyncio.sleep(0)
        if self.value == "late":
            raise ValueError("late leaf")
        return self.value


@strawberry.type
class Branch:
    leaf: Leaf
    optional: Leaf | None
    leaves: list[Leaf]
    holes: list[Leaf | None]
    names: list[str]


class Wrong:
    """Not a Leaf: graphql-core refuses it where a Leaf is expected."""

    value = "wrong"


def leaf(value: Any = "v", maybe: Any = None, count: Any = 1) -> Leaf:
    return Leaf(value=value, maybe=maybe, count=count)


def branch(**changes: Any) -> Branch:
    fields: dict[str, Any] = {
        "leaf": leaf(),
        "optional": leaf("o"),
        "leaves": [leaf("a"), leaf("b")],
        "holes": [leaf("c"), None],
        "names": ["x", "y"],
    }
    return Branch(**{**fields, **changes})


CASES: dict[str, Branch] = {
    "fine": branch(),
    "null leaf value": branch(leaf=leaf(value=None)),
    "null in a non-null list": branch(leaves=[leaf(), None]),
    "null list item leaf": branch(names=["x", None]),
    "a leaf that does not serialise": branch(optional=leaf(count="many")),
    "a list item that does not serialise": branch(leaves=[leaf(), leaf(count=[1])]),
    "an object of another type": branch(optional=Wrong()),
    "a list that is not a list": branch(names="xy"),
    "an async error under a list": branch(leaves=[leaf("late"), leaf()]),
    "a null under a nullable item": branch(holes=[leaf(value=None), leaf()]),
}


@strawberry.type
class Query:
    @strawberry.field
    def branch(self, case: str) -> Branch | None:
        return CASES[case]

    @strawberry.field
    def strict(self, case: str) -> Branch:
        return CASES[case]


schema = strawberry.Schema(query=Query, execution_context_class=ExecutionContext)

QUERY = """
query Case($case: String!) {
  branch(case: $case) { ...All }
  strict(case: $case) { leaf { value } }
  again: branch(case: $case) { optional { late maybe } holes { value late } }
}
fragment All on Branch {
  leaf { value maybe count late }
  optional { value count }
  leaves { value count late }
  holes { value maybe }
  names
}
"""

BROKEN = 'query Broken { branch(case: "fine") { leaf { value broken } optional { broken } } }'


run = partial(planned_answer, schema)


@pytest.mark.parametrize("case", CASES)
async def test_nulls_and_errors_as_graphql_core_gives_them(case: str) -> None:
    core = await run(QUERY, {"case": case}, planned=False)
    assert await run(QUERY, {"case": case}, planned=True) == core
    assert await run(QUERY, {"case": case}, planned=True) == core
    assert (case == "fine") is (core[1] == [])


async def test_a_resolver_error_below_plain_fields() -> None:
    core = await run(BROKEN, {}, planned=False)
    assert core[1]
    assert await run(BROKEN, {}, planned=True) == core


def test_a_document_with_directives_runs_on_graphql_core() -> None:
    planned = parse('query A { branch(case: "x") { names } }').definitions[0]
    directed = parse('query B($x: Boolean!) { branch(case: "x") { names @skip(if: $x) } }')
    assert plan_of(schema._schema, planned, []) is not None  # type: ignore[arg-type]
    assert plan_of(schema._schema, directed.definitions[0], []) is None  # type: ignore[arg-type]
