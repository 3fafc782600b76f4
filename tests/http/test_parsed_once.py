"""The HTTP cache and the app read a request from one parse: a query string that names a field
twice is read alike by both, so the answer stored is the answer to what was executed."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from tests.conftest import app_client

FIRST = '{ code(code: "A9597", release: "2026-01") { code } }'
LAST = '{ code(code: "J9035", release: "2026-01") { code } }'


async def test_a_repeated_query_is_the_last_for_the_cache_and_the_app(real_db: Path) -> None:
    async with app_client(real_db) as client:
        both = await client.get("/graphql?" + urlencode([("query", FIRST), ("query", LAST)]))
        first = await client.get("/graphql?" + urlencode([("query", FIRST)]))
        last = await client.get("/graphql?" + urlencode([("query", LAST)]))
    releases = {"releases": ["2026-01"]}
    assert both.json() == {"data": {"code": {"code": "J9035"}}, "extensions": releases}
    assert first.json() == {"data": {"code": {"code": "A9597"}}, "extensions": releases}
    assert last.json() == both.json()
    assert last.headers["etag"] == both.headers["etag"]


async def test_variables_not_an_object_refused_from_the_one_parse(real_db: Path) -> None:
    async with app_client(real_db) as client:
        answer = await client.get("/graphql?" + urlencode([("query", FIRST), ("variables", "1")]))
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
