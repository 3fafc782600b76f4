"""Shared facts and leaves under the plan: the answers graphql-core gives, a dict of its own in
each answer, nothing kept of an object that did not complete as the plan expects.

A small schema of typed objects, some marked `shared_facts` as the coded values are, runs on the
same execution context, plan on and off."""

from __future__ import annotations

from enum import Enum
from functools import partial
from typing import Any, ClassVar

import pytest
import strawberry
from graphql import GraphQLEnumType, GraphQLError

from hcpcs_graphql.schema.execution import ExecutionContext
from hcpcs_graphql.schema.plan import build
from hcpcs_graphql.schema.plan.cache import _plan
from tests.graphql import planned_answer


@strawberry.enum
class Colour(Enum):
    RED = "red"
    DARK_RED = "dark red"
    GREEN = "green"


@strawberry.type
class Inner:
    code: str
    shared_facts: ClassVar[bool] = True


@strawberry.type
class Fact:
    code: str
    description: str | None
    size: int
    flag: bool
    colour: Colour
    inner: Inner | None
    shared_facts: ClassVar[bool] = True

    @strawberry.field
    def resolved(self) -> str:
        return self.code.lower()


@strawberry.type
class Record:
    fact: Fact | None
    strict: Fact
    facts: list[Fact | None]
    colour: Colour


def fact(code: Any = "A", **changes: Any) -> Fact:
    fields: dict[str, Any] = {
        "code": code,
        "description": f"fact {code}",
        "size": 1,
        "flag": True,
        "colour": Colour.DARK_RED,
        "inner": Inner(code=f"{code}1"),
    }
    return Fact(**{**fields, **changes})


SHARED = fact()
OTHER = fact("B", colour=Colour.GREEN, inner=None)


def record(**changes: Any) -> Record:
    fields: dict[str, Any] = {
        "fact": SHARED,
        "strict": OTHER,
        "facts": [SHARED, None, OTHER, SHARED],
        "colour": Colour.RED,
    }
    return Record(**{**fields, **changes})


CASES: dict[str, Record] = {
    "fine": record(),
    "a null in a non-null leaf": record(fact=fact(code=None)),
    "a null in a non-null leaf of a non-null object": record(strict=fact(size=None)),
    "an int out of range": record(facts=[SHARED, fact(size=2**31)]),
    "an int that is a bool": record(fact=fact(size=True)),
    "a string that is not one": record(fact=fact(description=3.5)),
    "a bool that is an int": record(fact=fact(flag=0)),
    "a value outside the enum": record(fact=fact(colour="purple")),
    "an enum's value, not its member": record(fact=fact(colour="green")),
    "an object of another type below": record(fact=fact(inner=OTHER)),
    "an error value": record(fact=fact(description=ValueError("boom"))),
}

# graphql-core coerces the others (True to 1, 3.5 to "3.5", "green" to GREEN...): so does the plan.
FAILING = {
    "a null in a non-null leaf",
    "a null in a non-null leaf of a non-null object",
    "an int out of range",
    "a value outside the enum",
    "an error value",
}


@strawberry.type
class Query:
    @strawberry.field
    def record(self, case: str) -> Record | None:
        return CASES[case]


schema = strawberry.Schema(query=Query, execution_context_class=ExecutionContext)

QUERY = """
query Case($case: String!) {
  record(case: $case) {
    fact { ...Every }
    strict { code size colour inner { code } }
    facts { ...Every }
    colour
  }
}
fragment Every on Fact { code description size flag colour inner { code } }
"""

RESOLVED = """
query Resolved { record(case: "fine") { fact { code resolved } facts { code resolved } } }
"""


run = partial(planned_answer, schema)


def kept(query: str, operation: str) -> dict[str, list[list[Any]]]:
    """The sources whose completed dicts each object plan of QUERY keeps, by object type."""
    found: dict[str, list[list[Any]]] = {}
    for plan in _plan(schema._schema, query, operation).objects.values():
        if plan.completed:
            sources = [source for source, _ in plan.completed.values()]
            found.setdefault(plan.type_name, []).append(sources)
    return found


@pytest.mark.parametrize("case", CASES)
async def test_shared_facts_as_graphql_core_gives_them(case: str) -> None:
    core = await run(QUERY, {"case": case}, planned=False)
    assert await run(QUERY, {"case": case}, planned=True) == core
    assert await run(QUERY, {"case": case}, planned=True) == core
    assert (case in FAILING) is (core[1] != [])


async def test_only_facts_that_completed_are_kept() -> None:
    for case in CASES:
        await run(QUERY, {"case": case}, planned=True)
    broken = {
        id(source)
        for case in FAILING
        for source in (CASES[case].fact, CASES[case].strict, *CASES[case].facts)
        if source not in (SHARED, OTHER, None)
    }
    assert len(broken) == len(FAILING)
    plans = kept(QUERY, "Case")
    for per_plan in plans.values():
        for sources in per_plan:
            assert not broken & {id(source) for source in sources}
    assert {id(SHARED), id(OTHER)} <= {id(s) for sources in plans["Fact"] for s in sources}


async def test_each_answer_has_dicts_of_its_own() -> None:
    first, _ = await run(QUERY, {"case": "fine"}, planned=True)
    second, _ = await run(QUERY, {"case": "fine"}, planned=True)
    assert first == second
    facts = first["record"]["facts"]
    assert facts[0] is not facts[3]
    assert facts[0]["inner"] is not facts[3]["inner"]
    assert first["record"]["fact"] is not second["record"]["fact"]
    # A caller changes what it was given: the next answer is as before.
    first["record"]["fact"]["code"] = "changed"
    first["record"]["fact"]["inner"]["code"] = "changed"
    facts[0].clear()
    third, _ = await run(QUERY, {"case": "fine"}, planned=True)
    assert third == second
    assert third["record"]["fact"] == {
        "code": "A",
        "description": "fact A",
        "size": 1,
        "flag": True,
        "colour": "DARK_RED",
        "inner": {"code": "A1"},
    }


async def test_a_selection_with_a_resolver_is_not_kept() -> None:
    core = await run(RESOLVED, {}, planned=False)
    assert await run(RESOLVED, {}, planned=True) == core
    assert await run(RESOLVED, {}, planned=True) == core
    assert core == ({"record": {"fact": {"code": "A", "resolved": "a"}, "facts": [
        {"code": "A", "resolved": "a"}, None, {"code": "B", "resolved": "b"},
        {"code": "A", "resolved": "a"},
    ]}}, [])  # fmt: skip
    assert kept(RESOLVED, "Resolved") == {}


async def test_the_kept_dicts_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hcpcs_graphql.schema.plan.shared.COMPLETED_KEPT", 3)
    many = [fact(str(index)) for index in range(10)]
    CASES["many"] = record(facts=many)
    try:
        data, errors = await run(QUERY, {"case": "many"}, planned=True)
    finally:
        del CASES["many"]
    assert errors == []
    assert [item["code"] for item in data["record"]["facts"]] == [str(i) for i in range(10)]
    plans = [sources for sources in kept(QUERY, "Case")["Fact"] if many[-1] in sources]
    assert len(plans) == 1
    assert len(plans[0]) <= 3


def test_an_enum_member_completes_by_its_name_outside_it_by_strawberry() -> None:
    kind = schema._schema.get_type("Colour")
    assert isinstance(kind, GraphQLEnumType)
    coerce = build._coercer(kind)
    assert [coerce(member) for member in Colour] == ["RED", "DARK_RED", "GREEN"]
    assert [coerce(member) for member in Colour] == [kind.coerce_output_value(m) for m in Colour]
    with pytest.raises(GraphQLError, match="Enum 'Colour' cannot represent value") as ours:
        coerce("purple")
    with pytest.raises(GraphQLError) as strawberrys:
        kind.coerce_output_value("purple")
    assert (type(ours.value), str(ours.value)) == (type(strawberrys.value), str(strawberrys.value))
