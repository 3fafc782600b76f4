"""Hostile values for every argument of every root field, sent to the real server: what
schemathesis does not generate (it draws values of the right shape). Lone surrogates, NUL, huge
integers (past Python's int_max_str_digits), numbers where strings go, deep nesting of every
input object (through its own fields) and of plain JSON, invalid UTF-8 in the body, odd
Content-Type, Accept and If-None-Match headers, GET and POST. The values are written as JSON
text, so that what no Python value can be (a 5,000-digit integer, a lone surrogate) is sent as
it is.

No answer may be a 5xx, a non-JSON answer (but GraphiQL's page), an INTERNAL_SERVER_ERROR or an
error without a code, or an answer with errors that a cache may keep; the server's log must
have no traceback. CI runs CASES cases, derandomized (the same every run); `scripts/fuzz` runs
more (HCPCS_FUZZ_CASES)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    get_named_type,
)
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from hcpcs_graphql.schema.schema import schema
from tests.http.answers import graphql_errors
from tests.serving import running

CASES = int(os.environ.get("HCPCS_FUZZ_CASES", "800"))
"""About 25 s on the CI machine; scripts/fuzz sends more."""
GRAPHQL = schema._schema
assert GRAPHQL.query_type is not None
QUERY: GraphQLObjectType = GRAPHQL.query_type
FIELDS = sorted(QUERY.fields)
KNOWN = ["2026-01", "2025-10", "2026-01-01", "A9597", "j9035", "LT", "C", "I1E", "ACTIVE"]
STRINGS = [
    '"\\ud800"',
    '"A\\udfff"',
    '"\\udbff\\udbff"',
    '"a\\u0000b"',
    '"\\u0000"',
    '"\\ud83d\\ude00"',
    '""',
    '" "',
    '"%"',
    '"_"',
    '"*"',
    '"\\"; drop table code; --"',
    '"' + "A" * 20_000 + '"',
    '"\\u202e\\ufeff"',
]
NUMBERS = ["0", "-1", "2147483648", "-2147483649", "1e999", "1.5", "-0", "1" * 400, "9" * 5000]
DEPTHS = [10, 40, 100, 500, 3000]


def deep_json(depth: int, array: bool) -> str:
    return ("[" * depth + "]" * depth) if array else ('{"a":' * depth + "1" + "}" * depth)


HOSTILE = st.one_of(
    st.sampled_from(STRINGS),
    st.sampled_from(NUMBERS),
    st.sampled_from(["null", "true", "[]", "{}", "[null]", '{"":null}']),
    st.builds(deep_json, st.sampled_from(DEPTHS), st.booleans()),
    st.text(max_size=30).map(json.dumps),
    st.sampled_from(KNOWN).map(json.dumps),
)


def _recursive_fields(kind: GraphQLInputObjectType) -> list[tuple[str, bool]]:
    """The fields of KIND that hold KIND again (directly, or as a list)."""
    found: list[tuple[str, bool]] = []
    for name, field in kind.fields.items():
        inner = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if get_named_type(inner) is kind:
            found.append((name, isinstance(inner, GraphQLList)))
    return found


@st.composite
def nested(draw: st.DrawFn, kind: GraphQLInputObjectType) -> str:
    """KIND nested many levels through one of its own fields."""
    name, is_list = draw(st.sampled_from(_recursive_fields(kind)))
    depth = draw(st.sampled_from(DEPTHS))
    leaf = draw(value(kind, 1))
    opening = f'{{"{name}":[' if is_list else f'{{"{name}":'
    closing = "]}" if is_list else "}"
    return opening * depth + leaf + closing * depth


def value(kind: GraphQLInputType, budget: int) -> st.SearchStrategy[str]:
    """JSON text for a value of KIND: of its shape, or hostile."""
    if isinstance(kind, GraphQLNonNull):
        return value(kind.of_type, budget)
    if isinstance(kind, GraphQLList):
        items = st.lists(value(kind.of_type, budget - 1), max_size=4).map(
            lambda found: "[" + ",".join(found) + "]"
        )
        many = st.sampled_from([1000, 8000]).map(
            lambda count: "[" + ",".join(['"A9597"'] * count) + "]"
        )
        return st.one_of(items, many, HOSTILE) if budget > 0 else HOSTILE
    if isinstance(kind, GraphQLInputObjectType):
        if budget <= 0:
            return HOSTILE
        fields = st.dictionaries(
            st.sampled_from(sorted(kind.fields)),
            st.deferred(
                lambda: st.one_of(
                    *[value(kind.fields[n].type, budget - 1) for n in sorted(kind.fields)]
                )
            ),
            max_size=3,
        ).map(lambda found: "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in found.items()) + "}")
        options = [fields, HOSTILE]
        if _recursive_fields(kind):
            options.append(nested(kind))
        return st.one_of(*options)
    if isinstance(kind, GraphQLEnumType):
        return st.one_of(st.sampled_from(sorted(kind.values)).map(json.dumps), HOSTILE)
    return HOSTILE


def selection(kind: GraphQLNamedType) -> str:
    return " { __typename }" if isinstance(kind, GraphQLObjectType) else ""


@st.composite
def requests(draw: st.DrawFn) -> dict[str, object]:
    """A request to one root field with hostile values for some of its arguments."""
    name = draw(st.sampled_from(FIELDS))
    field = QUERY.fields[name]
    chosen = draw(st.sets(st.sampled_from(sorted(field.args)))) if field.args else set()
    # Required arguments are always given: leaving them out is a validation error, not news.
    chosen |= {n for n, a in field.args.items() if isinstance(a.type, GraphQLNonNull)}
    names = sorted(chosen)
    declared = ", ".join(f"${n}: {field.args[n].type}" for n in names)
    arguments = ", ".join(f"{n}: ${n}" for n in names)
    query = (
        f"query{f'({declared})' if declared else ''} {{ {name}"
        f"{f'({arguments})' if arguments else ''}{selection(get_named_type(field.type))} }}"
    )
    variables = {n: draw(value(field.args[n].type, 3)) for n in names}
    return {
        "query": query,
        "variables": "{" + ",".join(f"{json.dumps(n)}:{v}" for n, v in variables.items()) + "}",
        "method": draw(st.sampled_from(["POST", "POST", "GET"])),
        "content_type": draw(
            st.sampled_from(
                [
                    "application/json",
                    "application/json",
                    "application/json; charset=utf-8",
                    "application/json; charset=latin-1",
                    "text/plain",
                    "",
                ]
            )
        ),
        "accept": draw(
            st.sampled_from(
                [
                    "",
                    "*/*",
                    "application/json",
                    "application/graphql-response+json",
                    "application/json;q=0, application/graphql-response+json;q=0.1",
                    "image/png",
                ]
            )
        ),
        "if_none_match": draw(st.sampled_from(["", '"x"', "*", 'W/"', '"' + "f" * 2000 + '"'])),
        "broken_utf8": draw(
            st.sampled_from([None, None, None, b"\xff", b"\xc0\xaf", b"\xed\xa0\x80"])
        ),
        "position": draw(st.floats(0, 1)),
    }


def send(client: httpx.Client, request: dict[str, object]) -> httpx.Response:
    query, variables = str(request["query"]), str(request["variables"])
    headers = {
        name: str(request[key])
        for name, key in (
            ("content-type", "content_type"),
            ("accept", "accept"),
            ("if-none-match", "if_none_match"),
        )
        if request[key]
    }
    params = {"query": query, "variables": variables}
    # httpx sends no URL past 64 KiB: a longer one goes as a POST (the URL limit has its tests).
    if request["method"] == "GET" and len(urlencode(params)) < 60_000:
        return client.get("/graphql", params=params, headers=headers)
    body = b'{"query":%s,"variables":%s}' % (json.dumps(query).encode(), variables.encode())
    broken = request["broken_utf8"]
    if isinstance(broken, bytes):
        at = int(len(body) * float(str(request["position"])))
        body = body[:at] + broken + body[at:]
    return client.post("/graphql", content=body, headers=headers)


def check(response: httpx.Response) -> None:
    assert response.status_code < 500, f"HTTP {response.status_code}: {response.text[:300]}"
    if response.headers.get("content-type", "").startswith("text/html"):
        return  # GraphiQL, for a GET that accepts nothing else
    errors = graphql_errors(response)
    for error in errors:
        assert error["extensions"]["code"] != "INTERNAL_SERVER_ERROR", error
    if errors:
        assert response.headers.get("cache-control", "no-store") == "no-store", response.headers
        assert "etag" not in response.headers, response.headers


@pytest.fixture(scope="module")
def server_log(
    real_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))
    log = tmp_path_factory.mktemp("log") / "server.log"
    try:
        with running(real_db, log) as url:
            yield url, log
    finally:
        set_hypothesis_home_dir(None)


# A failing case is reported with its request, whose repr may be long.
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
def test_hostile_values_break_nothing(server_log: tuple[str, Path]) -> None:
    url, log = server_log
    sent = 0
    with httpx.Client(base_url=url, timeout=30) as client:

        @settings(
            max_examples=CASES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(request=requests())
        def hostile(request: dict[str, object]) -> None:
            nonlocal sent
            sent += 1
            try:
                check(send(client, request))
            except AssertionError as error:
                raise AssertionError(
                    f"{error}\nrequest: {json.dumps(request, default=repr)[:2000]}"
                ) from None

        hostile()
    print(f"hostile values: {sent} cases")
    assert sent >= CASES
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]
