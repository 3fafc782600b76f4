"""Limits on a request, each at the limit and one past it, checked before execution."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from graphql import get_introspection_query

from hcpcs_graphql.domain.request_limits import Limits
from hcpcs_graphql.schema import measure as measure_module
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context, make_context
from tests.conftest import app_client
from tests.graphql import errors


def aliases(count: int) -> str:
    return "{ " + " ".join(f'a{n}: code(code: "A9597") {{ code }}' for n in range(count)) + " }"


def directives(count: int) -> str:
    fields = " ".join("code @include(if: true)" for _ in range(count))
    return '{ code(code: "A9597") { ' + fields + " } }"


def depth(levels: int) -> str:
    # code is 1 level; each crossReferences { target { ... } } adds 2.
    inner = "code"
    for _ in range((levels - 2) // 2):
        inner = f"crossReferences {{ target {{ {inner} }} }}"
    if levels % 2:
        inner = f"crossReferences {{ code target {{ {inner} }} }}"
        inner = inner.replace("target { crossReferences", "target { crossReferences", 1)
    return f'{{ code(code: "A4466") {{ {inner} }} }}'


def fan_out(levels: int) -> str:
    fragments = [f"fragment F{n} on Code {{ ...F{n + 1} ...F{n + 1} }}" for n in range(levels)]
    fragments.append(f"fragment F{levels} on Code {{ code }}")
    return '{ code(code: "A9597") { ...F0 } } ' + " ".join(fragments)


def tokens(count: int) -> str:
    # { codes ( codes : [ ... ] ) { code } } and the end of the document: twelve tokens, and
    # one per code.
    return "{ codes(codes: [" + " ".join(['"A9597"'] * (count - 12)) + "]) { code } }"


TOO_LARGE = {"code": "QUERY_TOO_LARGE"}
PARSE_FAILED = {"code": "GRAPHQL_PARSE_FAILED"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (aliases(15), []),
        (aliases(16), [("the query's aliases is 16; at most 15 is allowed", TOO_LARGE)]),
        (directives(50), []),
        (directives(51), [("the query's directives is 51; at most 50 is allowed", TOO_LARGE)]),
        (depth(10), []),
        (depth(12), [("the query's depth is 12; at most 10 is allowed", TOO_LARGE)]),
        # Parsed: then refused by the resolver for more than 100 codes.
        (
            tokens(2000),
            [
                (
                    "codes takes at most 100 codes per request; 1988 were given",
                    {"code": "TOO_MANY_CODES"},
                )
            ],
        ),
    ],
)
async def test_limit(context: Context, query: str, expected: list[tuple[str, Any]]) -> None:
    assert await errors(context, query) == expected


async def test_tokens_past_the_limit(context: Context) -> None:
    assert await errors(context, tokens(2001)) == [
        (
            "Syntax Error: Document contains more than 2000 tokens. Parsing aborted.",
            {"code": "GRAPHQL_PARSE_FAILED"},
        )
    ]


PAGE = "query($first: Int) { allCodes(first: $first) { edges { node { code } } } }"
BROWSE = "query($first: Int) { betosCodes { codes(first: $first) { edges { node { code } } } } }"


async def test_cost_counts_page_sizes_from_variables(context: Context) -> None:
    assert await errors(context, PAGE, first=100) == []
    # Objects: 1 + the 107 BETOS codes x (the connection + first x (edge, node)).
    assert await errors(context, BROWSE, first=22) == []
    assert await errors(context, BROWSE, first=23) == [
        (
            "the query's cost is 5,030; at most 5,000 is allowed"
            " (cost: the objects the response would hold)",
            TOO_LARGE,
        )
    ]


BACKWARD = "query($last: Int) { betosCodes { codes(last: $last) { edges { node { code } } } } }"
BOTH = (
    "query($first: Int, $last: Int) "
    "{ betosCodes { codes(first: $first, last: $last) { edges { node { code } } } } }"
)


async def test_cost_counts_last_as_first(context: Context) -> None:
    too_large = [
        (
            "the query's cost is 5,030; at most 5,000 is allowed"
            " (cost: the objects the response would hold)",
            TOO_LARGE,
        )
    ]
    assert await errors(context, BACKWARD, last=22) == []
    assert await errors(context, BACKWARD, last=23) == too_large
    # Both: the page holds at most the smaller.
    assert await errors(context, BOTH, first=100, last=22) == []
    assert await errors(context, BOTH, first=23, last=100) == too_large


async def test_fragment_fan_out_is_measured_in_linear_time(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Counted, not timed: the selection sets the checker visits.
    visits = 0
    measure = measure_module.Walk.selection_set

    def counted(walk: Any, *arguments: Any) -> Any:
        nonlocal visits
        visits += 1
        return measure(walk, *arguments)

    monkeypatch.setattr(measure_module.Walk, "selection_set", counted)
    found = await errors(context, fan_out(30))
    assert found == [("the query's fields is 1,073,741,825; at most 2,000 is allowed", TOO_LARGE)]
    # Each of the 31 fragments once, however often it is spread (2**30 times for the last),
    # then the operation's selection and code's.
    assert visits == 31 + 2


async def test_fragment_cycles_are_rejected(context: Context) -> None:
    query = '{ code(code: "A9597") { ...A } } fragment A on Code { code ...B }'
    query += " fragment B on Code { ...A }"
    assert await errors(context, query) == [("fragment 'A' spreads itself", TOO_LARGE)]


async def test_graphiql_introspection_passes(context: Context) -> None:
    query = get_introspection_query(descriptions=True, input_value_deprecation=True)
    result = await schema.execute(query, context_value=context)
    assert result.errors is None


CONFIGURED = Limits(depth=4, aliases=3, directives=2, tokens=60, fields=20, cost=51)
DEPTH_5 = '{ code(code: "A9597") { history { records { release { id } } } } }'


def page(size: int) -> str:
    # The connection, and an edge and a node for each code: 1 + 2 * size.
    return f"{{ allCodes(first: {size}) {{ edges {{ node {{ code }} }} }} }}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (aliases(3), []),
        (aliases(4), [("the query's aliases is 4; at most 3 is allowed", TOO_LARGE)]),
        (directives(2), []),
        (directives(3), [("the query's directives is 3; at most 2 is allowed", TOO_LARGE)]),
        (depth(4), []),
        (DEPTH_5, [("the query's depth is 5; at most 4 is allowed", TOO_LARGE)]),
        (tokens(60), []),
        (
            tokens(61),
            [
                (
                    "Syntax Error: Document contains more than 60 tokens. Parsing aborted.",
                    PARSE_FAILED,
                )
            ],
        ),
        (page(25), []),
        (
            page(26),
            [
                (
                    "the query's cost is 53; at most 51 is allowed (cost: the objects the "
                    "response would hold)",
                    TOO_LARGE,
                )
            ],
        ),
    ],
)
async def test_configured_limits(
    connection: aiosqlite.Connection,
    catalog: Catalog,
    query: str,
    expected: list[tuple[str, Any]],
) -> None:
    context = make_context(connection, catalog, limits=CONFIGURED)
    assert await errors(context, query) == expected


async def test_limits_come_from_the_environment(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HCPCS_MAX_ALIASES", "3")
    async with app_client(real_db) as client:
        within = await client.post("/graphql", json={"query": aliases(3)})
        past = await client.post("/graphql", json={"query": aliases(4)})
    assert within.json().get("errors") is None
    assert past.json()["errors"] == [
        {
            "message": "the query's aliases is 4; at most 3 is allowed",
            "extensions": {"code": "QUERY_TOO_LARGE"},
        }
    ]
