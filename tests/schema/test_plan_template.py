"""A code's template under the plan (schema/plan/kept.py): its plain fields completed once per
code object, its live fields (a resolver of ours, arguments) on every answer; each answer with
dicts and lists of its own; bounded; nothing kept of an object that met anything unexpected."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

import pytest
import strawberry

from hcpcs_graphql.schema.execution import ExecutionContext
from hcpcs_graphql.schema.plan.build import ObjectPlan
from hcpcs_graphql.schema.plan.cache import _plan
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.context import Context, make_context
from tests.fragments import EVERY_CODE_FIELD

PAGE = (
    """query Page($codes: [String!]!, $on: Date) {
  codes(codes: $codes) {
    ...EveryCodeField id status(on: $on) { status on } today: status { status on }
    isNotOtherwiseClassified
  }
}"""
    + EVERY_CODE_FIELD
)
CODES = ["A9597", "E0100", "J1817", "LT"]


async def run(context: Context, query: str, *, planned: bool = True, **variables: Any) -> Any:
    ExecutionContext.planned = planned
    try:
        result = await schema.execute(query, variable_values=variables, context_value=context)
    finally:
        ExecutionContext.planned = True
    assert result.errors is None
    return result.data


def code_plans(query: str, operation: str) -> list[ObjectPlan]:
    return [
        plan
        for plan in _plan(schema._schema, query, operation).objects.values()
        if plan.type_name == "Code" and plan.templates
    ]


async def test_the_live_fields_run_on_every_answer(context: Context) -> None:
    later = make_context(
        context.connection, context.catalog, today=datetime.date(1900, 1, 1)
    )  # the same catalog: the same code objects, the same templates
    answers: dict[tuple[str, datetime.date], Any] = {}
    for _ in range(2):
        for on in ("1900-01-01", "2026-02-01"):
            for ctx in (context, later):
                data = await run(ctx, PAGE, codes=CODES, on=on)
                assert data == await run(ctx, PAGE, planned=False, codes=CODES, on=on)
                answers.setdefault((on, ctx.today), data)
                assert answers[on, ctx.today] == data
    first = answers["1900-01-01", context.today]["codes"][0]
    assert first["status"] == {"status": "NOT_YET_EFFECTIVE", "on": "1900-01-01"}
    assert first["today"] == {"status": "ACTIVE", "on": context.today.isoformat()}
    assert answers["2026-02-01", later.today]["codes"][0]["status"]["status"] == "ACTIVE"
    assert answers["2026-02-01", later.today]["codes"][0]["today"]["on"] == "1900-01-01"
    (plan,) = code_plans(PAGE, "Page")
    # Derived from the fields: those with a resolver of ours or below one are live.
    assert plan.live is not None
    assert {field.name for field in plan.live} == {
        "id",
        "status",
        "today",
        "isNotOtherwiseClassified",
        "crossReferences",
    }
    assert {source.code for source, _ in plan.templates.values()} == set(CODES)


async def test_a_caller_changing_its_answer_does_not_change_the_next(context: Context) -> None:
    first = await run(context, PAGE, codes=CODES, on="2026-02-01")
    second = await run(context, PAGE, codes=CODES, on="2026-02-01")
    assert first == second
    code = first["codes"][0]
    assert code is not second["codes"][0]
    code["code"] = "changed"
    code["pricingIndicators"].append({"code": "changed"})
    code["pricingIndicators"][0]["code"] = "changed"
    code["cimReferences"].append("changed")
    code["release"]["id"] = "changed"
    code["status"]["status"] = "changed"
    for value in code.values():
        if isinstance(value, dict):
            value.clear()
    assert await run(context, PAGE, codes=CODES, on="2026-02-01") == second


async def test_the_templates_are_bounded(context: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hcpcs_graphql.schema.plan.shared.TEMPLATES_KEPT", 3)
    codes = ["A4206", "A4207", "A4208", "A4209", "A4210", *CODES]
    data = await run(context, PAGE, codes=codes, on=None)
    assert data == await run(context, PAGE, codes=codes, on=None)
    assert data == await run(context, PAGE, planned=False, codes=codes, on=None)
    assert len([code for code in data["codes"] if code]) > 3
    (plan,) = code_plans(PAGE, "Page")
    assert 0 < len(plan.templates) <= 3


# A small schema: a shared type with a live field, and values the plan does not expect.


@strawberry.type
class Fact:
    code: str
    size: int
    tags: list[str]
    shared_facts: ClassVar[bool] = True

    @strawberry.field
    def lowered(self, info: strawberry.Info) -> str:
        return f"{self.code.lower()} {info.context['n']}"


SOURCES = {
    "fine": Fact(code="A", size=1, tags=["x"]),
    "null leaf": Fact(code=None, size=1, tags=[]),  # type: ignore[arg-type]
    "big int": Fact(code="C", size=2**31, tags=[]),
    "null tag": Fact(code="D", size=1, tags=[None]),  # type: ignore[list-item]
}


@strawberry.type
class Query:
    @strawberry.field
    def fact(self, case: str) -> Fact | None:
        return SOURCES[case]


small = strawberry.Schema(query=Query, execution_context_class=ExecutionContext)
SMALL = "query Small($case: String!) { fact(case: $case) { code size tags lowered } }"


async def small_run(case: str, n: int, *, planned: bool) -> Any:
    ExecutionContext.planned = planned
    try:
        result = await small.execute(SMALL, variable_values={"case": case}, context_value={"n": n})
    finally:
        ExecutionContext.planned = True
    return result.data, sorted((e.message, e.path) for e in result.errors or ())


@pytest.mark.parametrize("case", SOURCES)
async def test_nothing_is_kept_of_a_source_that_met_anything_unexpected(case: str) -> None:
    for n in (1, 2, 1):
        core = await small_run(case, n, planned=False)
        assert await small_run(case, n, planned=True) == core
    plans = [p for p in _plan(small._schema, SMALL, "Small").objects.values() if p.templates]
    kept = {id(source) for plan in plans for source, _ in plan.templates.values()}
    assert (id(SOURCES[case]) in kept) is (case == "fine")
    if case == "fine":
        assert core == ({"fact": {"code": "A", "size": 1, "tags": ["x"], "lowered": "a 1"}}, [])


async def test_all_plans_templates_are_bounded_together(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hcpcs_graphql.schema.plan.shared.TEMPLATES_TOTAL", 4)
    codes = ["A4206", "A4207", "A4208", "A4209", "A4210", "A4211", *CODES]
    for index in range(3):  # three documents, so three plans
        query = PAGE.replace("query Page", f"query Page{index}")
        data = await run(context, query, codes=codes, on=None)
        assert data == await run(context, query, planned=False, codes=codes, on=None)
        assert data == await run(context, query, codes=codes, on=None)
    total = sum(
        len(plan.templates)
        for index in range(3)
        for plan in code_plans(PAGE.replace("query Page", f"query Page{index}"), f"Page{index}")
    )
    assert total < 2 * 4
