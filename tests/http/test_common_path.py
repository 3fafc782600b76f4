"""The GraphQL view's common path (graphql_view.py: one operation the HTTP cache parsed, executed
without Strawberry's view) answers each request exactly as Strawberry's view does: the same
status, headers and body, for good requests, refusals, request errors and field errors, over GET
and POST, whatever the Accept header."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from hcpcs_graphql.http.graphql_view import GraphQLApp
from tests.conftest import app_client

LOOKUP = 'query One($code: String!) { code(code: $code, release: "2026-01") { code } }'
SPEC = "application/graphql-response+json"
ACCEPTS = ("", "*/*", "application/json", SPEC, f"application/json;q=0.5, {SPEC}")


def get(fields: dict[str, str], accept: str) -> dict[str, Any]:
    return {"method": "GET", "url": "/graphql?" + urlencode(fields), "accept": accept}


def post(body: object, accept: str, content_type: str = "application/json") -> dict[str, Any]:
    text = body if isinstance(body, str) else json.dumps(body)
    return {
        "method": "POST",
        "url": "/graphql",
        "accept": accept,
        "content": text.encode("utf-8", "surrogatepass"),
        "content_type": content_type,
    }


# (name, request, whether it takes the common path)
REQUESTS: list[tuple[str, dict[str, Any], bool]] = [
    *(
        (
            f"GET good {accept!r}",
            get({"query": LOOKUP, "variables": '{"code":"A9597"}'}, accept),
            True,
        )
        for accept in ACCEPTS
    ),
    *(
        (f"GET syntax error {accept!r}", get({"query": "{ code("}, accept), True)
        for accept in ACCEPTS
    ),
    *(
        (
            f"GET variables of the wrong type {accept!r}",
            get({"query": LOOKUP, "variables": '{"code":1}'}, accept),
            True,
        )
        for accept in ACCEPTS
    ),
    ("GET variables not an object", get({"query": LOOKUP, "variables": "1"}, "*/*"), True),
    ("GET variables null", get({"query": LOOKUP, "variables": "null"}, "*/*"), True),
    (
        "GET extensions not an object",
        get({"query": "{ __typename }", "extensions": "[]"}, ""),
        True,
    ),
    ("GET unknown field", get({"query": "{ nothing }"}, SPEC), True),
    ("GET a mutation", get({"query": "mutation { nothing }"}, "*/*"), True),
    ("GET unknown operation", get({"query": LOOKUP, "operationName": "Other"}, ""), True),
    (
        "GET two operations, none named",
        get({"query": "{ a: __typename } { b: __typename }"}, ""),
        True,
    ),
    (
        "GET a release not loaded",
        get({"query": '{ code(code: "A9597", release: "1999-01") { code } }'}, SPEC),
        True,
    ),
    ("GET no query", get({}, "*/*"), False),
    ("GET GraphiQL", get({}, "text/html"), False),
    (
        "GET asking for a stream (none is configured)",
        get({"query": "{ __typename }"}, "text/event-stream"),
        True,
    ),
    ("POST good", post({"query": LOOKUP, "variables": {"code": "J9035"}}, ""), True),
    ("POST good, spec type", post({"query": LOOKUP, "variables": {"code": "J9035"}}, SPEC), True),
    (
        "POST charset",
        post({"query": "{ __typename }"}, "", "application/json; charset=utf-8"),
        True,
    ),
    ("POST request error, spec", post({"query": "{ code( }"}, SPEC), True),
    ("POST variables not an object", post({"query": LOOKUP, "variables": 1}, ""), True),
    ("POST extensions not an object", post({"query": LOOKUP, "extensions": "x"}, SPEC), True),
    (
        "POST operation name not a string",
        post({"query": "{ __typename }", "operationName": 1}, ""),
        True,
    ),
    (
        # Not JSON to the HTTP cache's parser (orjson: strict), so not its request: the view's.
        "POST lone surrogate",
        post('{"query": "{ __typename }", "variables": {"a": "\\ud800"}}', ""),
        False,
    ),
    ("POST query not a string", post({"query": 1}, ""), False),
    ("POST no query", post({"variables": {}}, ""), False),
    ("POST not JSON", post("{", ""), False),
    ("POST not an object", post("1", ""), False),
    ("POST another content type", post({"query": "{ __typename }"}, "", "text/plain"), False),
    (
        "POST asking for a stream (none is configured)",
        post({"query": "{ __typename }"}, "multipart/mixed"),
        True,
    ),
]


async def answers(
    real_db: Path, common: bool
) -> tuple[list[tuple[int, list[Any], bytes]], list[bool]]:
    """Each request's whole answer, and whether it went through Strawberry's view."""
    viewed = 0
    run = GraphQLApp.run

    async def counted(self: GraphQLApp, *arguments: Any, **named: Any) -> Any:
        nonlocal viewed
        viewed += 1
        return await run(self, *arguments, **named)

    found = []
    through: list[bool] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(GraphQLApp, "common_path", common)
        patch.setattr(GraphQLApp, "run", counted)
        async with app_client(real_db) as client:
            for _, request, _ in REQUESTS:
                headers = {"accept": request["accept"]} if request["accept"] else {}
                if "content_type" in request:
                    headers["content-type"] = request["content_type"]
                response = await client.request(
                    request["method"], request["url"], headers=headers,
                    content=request.get("content"),
                )  # fmt: skip
                found.append((response.status_code, response.headers.raw, response.content))
                through.append(viewed > 0)
                viewed = 0
    return found, through


async def test_the_common_path_answers_as_strawberrys_view(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HCPCS_RESPONSE_CACHE_MB", "0")  # every request executes
    full, viewed_full = await answers(real_db, common=False)
    common, viewed_common = await answers(real_db, common=True)
    for (name, _, _), expected, actual in zip(REQUESTS, full, common, strict=True):
        assert actual == expected, name
    assert all(viewed_full)
    assert {name: viewed for (name, _, _), viewed in zip(REQUESTS, viewed_common, strict=True)} == {
        name: not taken for name, _, taken in REQUESTS
    }
    statuses = {status for status, _, _ in full}
    assert {200, 400, 415} <= statuses  # refusals and request errors are among them
