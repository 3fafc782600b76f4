"""The requests that broke the server (issue 9), each sent as it was, over HTTP to the real
server (`hcpcs serve`), whose log must stay free of tracebacks."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hcpcs_graphql.db.filters import MAX_NESTING
from hcpcs_graphql.http.middleware.metrics import MAX_OPERATIONS
from hcpcs_graphql.http.middleware.security_headers import HEADERS
from hcpcs_graphql.http.setting_registry import CORS_HEADERS
from tests.serving import running

JSON = {"content-type": "application/json"}
ORIGIN = {"origin": "https://picker.example"}
CODE = 'query($c: String!) { code(code: $c, release: "2026-01") { code } }'
CODES = 'query($c: [String!]!) { codes(codes: $c, release: "2026-01") { code } }'
FILTERED = (
    'query($f: CodeFilter) { allCodes(filter: $f, release: "2026-01", first: 1) { totalCount } }'
)
RECONCILE = (
    'query($c: [String!]!) { reconcile(codes: $c, from: "2025-10", to: "2026-01") { codeCount } }'
)
NESTED = '{ allCodes(release: "2026-01", filter: %s) { totalCount } }'


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("log") / "server.log"


@pytest.fixture(scope="module")
def server(real_db: Path, log: Path) -> Iterator[str]:
    with running(real_db, log) as url:
        yield url


@pytest.fixture(scope="module", autouse=True)
def no_traceback(server: str, log: Path) -> Iterator[None]:
    yield
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]


def post(server: str, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(f"{server}/graphql", content=body, headers={**JSON, **(headers or {})})


def refusal(message: str, code: str = "BAD_REQUEST") -> dict[str, object]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


SURROGATE = "The request holds a lone surrogate: not valid Unicode"


def test_a_lone_surrogate_as_the_operation_name_breaks_nothing(server: str) -> None:
    body = b'{"query":"query Q{ __typename }","operationName":"\\ud800"}'
    response = post(server, body)
    assert (response.status_code, response.json()) == (400, refusal(SURROGATE))
    metrics = httpx.get(f"{server}/metrics")
    assert metrics.status_code == 200
    assert "\\ud800" not in metrics.text


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (CODE, '{"c": "\\ud800"}'),
        (CODES, '{"c": ["A9597", "\\udfff"]}'),
        (FILTERED, '{"f": {"code": {"eq": "\\ud800"}}}'),
        (FILTERED, '{"f": {"or": [{"betos": {"in": ["\\ud83d"]}}]}}'),
        (RECONCILE, '{"c": ["A\\ud800"]}'),
    ],
)
def test_a_lone_surrogate_in_a_value_is_a_bad_request(
    server: str, query: str, variables: str
) -> None:
    body = b'{"query": %s, "variables": %s}' % (json.dumps(query).encode(), variables.encode())
    response = post(server, body)
    assert (response.status_code, response.json()) == (400, refusal(SURROGATE))


def test_a_pair_of_surrogates_is_a_character(server: str) -> None:
    body = b'{"query": %s, "variables": {"c": "\\ud83d\\ude00"}}' % json.dumps(CODE).encode()
    response = post(server, body)
    assert (response.status_code, response.json()["data"]) == (200, {"code": None})


@pytest.mark.parametrize(("operator", "levels"), [("not", 39), ("or", 39), ("and", 80)])
def test_a_filter_nested_deeply_is_a_bad_filter_and_not_kept(
    server: str, operator: str, levels: int
) -> None:
    inner = '{code: {eq: "A9597"}}'
    for _ in range(levels):
        inner = f"{{not: {inner}}}" if operator == "not" else f"{{{operator}: [{inner}]}}"
    response = httpx.post(f"{server}/graphql", json={"query": NESTED % inner})
    answer = response.json()
    assert response.status_code == 200
    assert [error["extensions"]["code"] for error in answer["errors"]] == ["BAD_FILTER"]
    assert answer["errors"][0]["message"] == (
        f"filters may be nested at most {MAX_NESTING} levels deep"
    )
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\xff", "The request body is not valid UTF-8"),
        (b'{"query": "\xc0\xaf"}', "The request body is not valid UTF-8"),
        (
            b'{"query": "query($n: Int) { __typename }", "variables": {"n": %s}}' % (b"1" * 4301),
            "Unable to parse request body as JSON",
        ),
    ],
)
def test_a_malformed_body_is_400_in_json_with_cors(server: str, body: bytes, message: str) -> None:
    response = post(server, body, ORIGIN)
    assert (response.status_code, response.json()) == (400, refusal(message))
    assert response.headers["access-control-allow-origin"] == "*"


def test_a_huge_integer_in_a_get_is_400(server: str) -> None:
    params = {"query": "query($n: Int) { __typename }", "variables": '{"n": %s}' % ("9" * 5000)}
    response = httpx.get(f"{server}/graphql", params=params)
    assert (response.status_code, response.json()) == (
        400,
        refusal("Unable to parse request body as JSON"),
    )


@pytest.mark.parametrize(
    "path",
    [
        "/graphql?query=%7B__typename%7D",
        "/healthz",
        "/readyz",
        "/metrics",
        "/export/2025-10.csv",
        "/graphiql/static/graphiql.min.css",
        "/nowhere",
    ],
)
def test_security_headers_on_every_route(server: str, path: str) -> None:
    response = httpx.get(f"{server}{path}")
    for name in ("x-content-type-options", "referrer-policy", "x-frame-options"):
        assert response.headers[name] == HEADERS[name]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_graphiql_has_a_policy_of_its_own(server: str) -> None:
    response = httpx.get(f"{server}/graphql", headers={"accept": "text/html"})
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"


def test_404_is_json_with_a_code(server: str) -> None:
    response = httpx.get(f"{server}/nowhere")
    assert (response.status_code, response.json()) == (404, refusal("Not Found", "NOT_FOUND"))


def test_vary_names_origin_once_on_an_answer_sent_again(server: str) -> None:
    query = {"query": '{ code(code: "A9597", release: "2026-01") { code } }'}
    for _ in range(3):
        response = httpx.post(f"{server}/graphql", json=query, headers=ORIGIN)
    assert [part.strip() for part in response.headers["vary"].split(",")] == ["accept", "Origin"]


def test_cors_allows_the_headers_of_browser_apps(server: str) -> None:
    wanted = ["authorization", "traceparent", "x-request-id", "apollographql-client-name"]
    assert set(wanted) <= set(CORS_HEADERS)
    preflight = httpx.options(
        f"{server}/graphql",
        headers={
            **ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": ", ".join(["content-type", *wanted]),
        },
    )
    assert preflight.status_code == 200
    allowed = {
        name.strip() for name in preflight.headers["access-control-allow-headers"].split(",")
    }
    assert set(wanted) <= allowed


def test_operation_labels_are_bounded(server: str) -> None:
    for number in range(MAX_OPERATIONS + 20):
        name = f"Op{number}"
        httpx.post(f"{server}/graphql", json={"query": f"query {name} {{ __typename }}"})
    # A name the document does not hold is not a label.
    httpx.post(
        f"{server}/graphql",
        json={"query": "query Q { __typename }", "operationName": "Invented"},
    )
    text = httpx.get(f"{server}/metrics").text
    labels = set(re.findall(r'hcpcs_requests_total\{operation="([^"]*)"', text))
    assert len(labels) <= MAX_OPERATIONS + 1
    assert "other" in labels
    assert "Invented" not in labels


def test_a_url_longer_than_the_limit_is_414(server: str) -> None:
    response = httpx.get(f"{server}/graphql", params={"query": "{ __typename }" + " " * 20_000})
    assert response.status_code == 414
    assert response.json()["errors"][0]["extensions"]["code"] == "URL_TOO_LONG"
