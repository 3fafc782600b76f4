"""Every connection field of the schema pages both ways (Relay) and refuses the cursors of
another query. The fields come from the schema itself, so a new connection cannot escape: the
test fails until it knows how to reach it."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, get_named_type

from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.pagination import MAX_PAGE_SIZE
from tests.graphql import errors, execute

SELECTION = """{
  totalCount
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor }
}"""
ARGUMENTS = "first: $first, after: $after, last: $last, before: $before"
HEADER = "query Page($first: Int, $after: String, $last: Int, $before: String)"
REVIEWED = '["J9035", "J0759", "A2001", "J1572", "J9020", "A4466", "A4297", "A0022", "99213"]'
# The root fields, each with a set of a few codes at least, so every case below has a window.
ROOT = {
    "Query.allCodes": f'allCodes(release: "2026-01", {ARGUMENTS})',
    "Query.search": f'search(text: "wheelchair", release: "2026-01", {ARGUMENTS})',
    "Query.changes": f'changes(from: "2025-10", to: "2026-01", {ARGUMENTS})',
    "ChargemasterReview.entries": (
        f'reconcile(codes: {REVIEWED}, from: "2025-10", to: "2026-01") {{ entries({ARGUMENTS})'
    ),
}


def connection_fields() -> list[str]:
    found = []
    for name, kind in schema._schema.type_map.items():
        if isinstance(kind, GraphQLObjectType) and not name.startswith("__"):
            found += [
                f"{name}.{field}"
                for field, definition in kind.fields.items()
                if get_named_type(definition.type).name.endswith("Connection")
            ]
    return sorted(found)


def root_list_of(kind: str) -> str | None:
    """The root field that lists every value of this coded type, if there is one."""
    query = schema._schema.query_type
    assert query is not None
    for name, definition in query.fields.items():
        if get_named_type(definition.type).name == kind and "codes" in definition.args:
            return str(name)
    return None


async def entry_with_codes(context: Context, listing: str) -> str:
    found = await execute(context, f'{{ {listing} {{ code codes(release: "2026-01", first: 0) '
                          "{ totalCount } } }")  # fmt: skip
    return str(next(e["code"] for e in found[listing] if e["codes"]["totalCount"] >= 4))


def code_field_of(kind: str) -> tuple[str, bool]:
    """The field of `Code` that holds a value of this coded type, and whether it is a list."""
    code = schema._schema.type_map["Code"]
    assert isinstance(code, GraphQLObjectType)
    for name, definition in code.fields.items():
        if get_named_type(definition.type).name == kind:
            inner = definition.type.of_type if isinstance(definition.type, GraphQLNonNull) else (
                definition.type
            )  # fmt: skip
            return name, isinstance(inner, GraphQLList)
    raise AssertionError(f"no field of Code holds a {kind}: teach this test how to reach it")


@cache
def _carrier_query(field: str) -> str:
    return f"""query Carriers($after: String) {{
  allCodes(release: "2026-01", first: 100, after: $after) {{
    pageInfo {{ endCursor hasNextPage }} edges {{ node {{ code {field} {{ code }} }} }}
  }}
}}"""


async def carrier(context: Context, field: str, is_list: bool) -> str:
    """A code whose `field` has a value that a few codes carry."""
    after = None
    while True:
        found = (await execute(context, _carrier_query(field), after=after))["allCodes"]
        for edge in found["edges"]:
            value = edge["node"][field]
            if value:
                return str(edge["node"]["code"])
        if not found["pageInfo"]["hasNextPage"]:
            # The MOG fields: no code of the release carries one. Their `codes` is the one
            # resolver every coded value shares (CodedValue), which the other types test.
            pytest.skip(f"no code of 2026-01 has a {field}")
        after = found["pageInfo"]["endCursor"]


async def reach(context: Context, coordinate: str) -> Callable[..., Any]:
    """A function that runs the connection with the paging arguments given."""
    kind, field = coordinate.split(".")
    if coordinate in ROOT:
        opening = ROOT[coordinate]
        closing = " }" if coordinate == "ChargemasterReview.entries" else ""
        query = f"{HEADER} {{ {opening} {SELECTION}{closing} }}"

        def pick(data: Any) -> Any:
            top = data[next(iter(data))]
            return top.get("entries", top)
    elif (listing := root_list_of(kind)) is not None:
        value = await entry_with_codes(context, listing)
        query = (
            f'{HEADER} {{ {listing}(codes: ["{value}"]) {{ {field}(release: "2026-01", '
            f"{ARGUMENTS}) {SELECTION} }} }}"
        )

        def pick(data: Any) -> Any:
            return data[listing][0][field]
    else:
        holder, is_list = code_field_of(kind)
        code = await carrier(context, holder, is_list)
        query = (
            f'{HEADER} {{ code(code: "{code}", release: "2026-01") '
            f"{{ {holder} {{ {field}({ARGUMENTS}) {SELECTION} }} }} }}"
        )

        def pick(data: Any) -> Any:
            value = data["code"][holder]
            return (value[0] if is_list else value)[field]

    async def run(**paging: Any) -> Any:
        return pick(await execute(context, query, **paging))

    async def refused(**paging: Any) -> list[tuple[str, Any]]:
        return await errors(context, query, **paging)

    run.refused = refused  # type: ignore[attr-defined]
    run.query = query  # type: ignore[attr-defined]
    return run


def info(has_previous: bool, has_next: bool, cursors: list[str]) -> dict[str, Any]:
    return {
        "hasNextPage": has_next,
        "hasPreviousPage": has_previous,
        "startCursor": cursors[0] if cursors else None,
        "endCursor": cursors[-1] if cursors else None,
    }


def page(total: int, has_previous: bool, has_next: bool, cursors: list[str]) -> dict[str, Any]:
    return {
        "totalCount": total,
        "pageInfo": info(has_previous, has_next, cursors),
        "edges": [{"cursor": cursor} for cursor in cursors],
    }


CONNECTIONS = connection_fields()


def test_every_connection_field_takes_the_four_paging_arguments() -> None:
    assert len(CONNECTIONS) >= 16
    for coordinate in CONNECTIONS:
        kind, field = coordinate.split(".")
        holder = schema._schema.type_map[kind]
        assert isinstance(holder, GraphQLObjectType)
        definition = holder.fields[field]
        assert {"first", "after", "last", "before"} <= set(definition.args), coordinate


@pytest.mark.parametrize("coordinate", CONNECTIONS)
async def test_paging_both_ways(context: Context, coordinate: str) -> None:
    run = await reach(context, coordinate)
    every = await run(first=MAX_PAGE_SIZE)
    total = every["totalCount"]
    cursors = [edge["cursor"] for edge in every["edges"]]
    assert len(cursors) >= 4, f"{coordinate}: pick a set of 4 codes at least"
    more = total > MAX_PAGE_SIZE
    assert every == page(total, False, more, cursors)
    # Forward: after the first, two of them.
    assert await run(first=2, after=cursors[0]) == page(total, True, True, cursors[1:3])
    # Backward: the two before the fourth, then the one before those.
    assert await run(last=2, before=cursors[3]) == page(total, True, True, cursors[1:3])
    assert await run(last=2, before=cursors[1]) == page(total, False, True, cursors[:1])
    # Between two cursors, by either end.
    between = {"after": cursors[0], "before": cursors[3]}
    assert await run(first=10, **between) == page(total, True, False, cursors[1:3])
    assert await run(last=10, **between) == page(total, False, True, cursors[1:3])
    assert await run(first=1, **between) == page(total, True, True, cursors[1:2])
    assert await run(last=1, **between) == page(total, True, True, cursors[2:3])
    # `last` alone: the end of the set.
    if not more:
        assert await run(last=2) == page(total, True, False, cursors[-2:])
        assert await run(last=total + 5) == page(total, False, False, cursors)
    assert await run(last=0, before=cursors[2]) == page(total, True, True, [])


@pytest.mark.parametrize("coordinate", CONNECTIONS)
async def test_cursors_of_another_query_are_refused(context: Context, coordinate: str) -> None:
    run = await reach(context, coordinate)
    other = "Query.search" if coordinate == "Query.allCodes" else "Query.allCodes"
    foreign = (await (await reach(context, other))(first=3))["edges"][1]["cursor"]
    message = (
        "`{}` is a cursor of another query (another field, filter, text, order or release): "
        "page with the cursors of this one, or start again without a cursor"
    )
    for name in ("after", "before"):
        assert await run.refused(**{name: foreign, "first": 2}) == [  # type: ignore[attr-defined]
            (message.format(name), {"code": "BAD_CURSOR"})
        ]


@pytest.mark.parametrize("coordinate", CONNECTIONS)
@pytest.mark.parametrize(
    ("size", "message"),
    [
        (
            MAX_PAGE_SIZE + 1,
            f"`last` may be at most {MAX_PAGE_SIZE}; {MAX_PAGE_SIZE + 1} was given",
        ),
        (-1, "`last` must be 0 or more; -1 was given"),
    ],
)
async def test_last_out_of_range(
    context: Context, coordinate: str, size: int, message: str
) -> None:
    run = await reach(context, coordinate)
    assert await run.refused(last=size) == [(message, {"code": "BAD_PAGE"})]  # type: ignore[attr-defined]


ALL_CODES = """
query Page($release: String, $filter: CodeFilter, $after: String, $before: String) {
  allCodes(release: $release, filter: $filter, first: 2, after: $after, before: $before) {
    edges { cursor }
  }
}
"""
SEARCH = """
query Page($text: String!, $after: String) {
  search(text: $text, release: "2026-01", first: 2, after: $after) { edges { cursor } }
}
"""
ANOTHER = (
    "`after` is a cursor of another query (another field, filter, text, order or release): "
    "page with the cursors of this one, or start again without a cursor"
)


async def test_a_cursor_belongs_to_its_release_filter_and_text(context: Context) -> None:
    january = {"release": "2026-01", "filter": {"coverage": {"eq": "C"}}}
    [_, edge] = (await execute(context, ALL_CODES, **january))["allCodes"]["edges"]
    after = edge["cursor"]
    assert await execute(context, ALL_CODES, **january, after=after) is not None
    refused = [(ANOTHER, {"code": "BAD_CURSOR"})]
    assert await errors(context, ALL_CODES, **{**january, "release": "2025-10"}, after=after) == (
        refused
    )
    other_filter = {"coverage": {"eq": "M"}}
    assert await errors(
        context, ALL_CODES, release="2026-01", filter=other_filter, after=after
    ) == (refused)
    [_, found] = (await execute(context, SEARCH, text="wheelchair"))["search"]["edges"]
    assert await execute(context, SEARCH, text="wheelchair", after=found["cursor"]) is not None
    assert await errors(context, SEARCH, text="walker", after=found["cursor"]) == refused
