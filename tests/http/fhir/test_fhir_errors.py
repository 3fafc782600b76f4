"""Every bad request to /fhir is an OperationOutcome with the status that says why (never a
500): each case names the status and the FHIR issue type."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from hcpcs_graphql.services import terminology
from hcpcs_graphql.services.pagination import MAX_PAGE_SIZE
from tests.fhir_validation import VS, S, refused, validated

LOOKUP = "/fhir/CodeSystem/$lookup"
FHIR_JSON = {"content-type": "application/fhir+json"}

GETS = [
    (LOOKUP, {"code": "E0100"}, 400, "required"),
    (LOOKUP, {"system": S}, 400, "required"),
    (LOOKUP, {"system": "http://snomed.info/sct", "code": "E0100"}, 404, "not-found"),
    (LOOKUP, {"system": S, "code": "Z9999"}, 404, "not-found"),
    (LOOKUP, {"system": S, "code": "E0100", "version": "1999-01"}, 404, "not-found"),
    (LOOKUP, {"system": S, "code": "E0100", "date": "yesterday"}, 400, "invalid"),
    (LOOKUP, {"system": S, "code": "E0100", "date": "1999-01-01"}, 404, "not-found"),
    (
        LOOKUP,
        {"system": S, "code": "E0100", "date": "2026-02-01", "version": "2026-01"},
        400,
        "invalid",
    ),
    (LOOKUP, {"system": S, "code": "E0100", "displayLanguage": "de"}, 400, "not-supported"),
    (LOOKUP, {"system": S, "code": "E0100", "colour": "blue"}, 400, "not-supported"),
    (LOOKUP, {"system": S, "code": "E0100", "property": "colour"}, 400, "invalid"),
    (LOOKUP, {"system": S, "code": "E0100", "_format": "xml"}, 406, "not-supported"),
    (LOOKUP, {"system": S, "code": " "}, 400, "invalid"),
    ("/fhir/CodeSystem/$validate-code", {"code": "E0100"}, 400, "required"),
    ("/fhir/ValueSet/$validate-code", {"system": S, "code": "E0100"}, 400, "required"),
    (
        "/fhir/ValueSet/$validate-code",
        {"url": "http://example.org/vs", "system": S, "code": "E0100"},
        404,
        "not-found",
    ),
    ("/fhir/ValueSet/$expand", {}, 400, "required"),
    ("/fhir/ValueSet/$expand", {"url": VS, "count": str(MAX_PAGE_SIZE + 1)}, 400, "invalid"),
    ("/fhir/ValueSet/$expand", {"url": VS, "count": "-1"}, 400, "invalid"),
    ("/fhir/ValueSet/$expand", {"url": VS, "offset": "x"}, 400, "invalid"),
    ("/fhir/ValueSet/$expand", {"url": VS, "activeOnly": "yes"}, 400, "invalid"),
    ("/fhir/ValueSet/$expand", {"url": VS, "filter": "a" * 300}, 400, "invalid"),
    ("/fhir/ValueSet/$expand", {"url": VS, "system-version": "other|1"}, 400, "invalid"),
    ("/fhir/ValueSet/$expand", {"url": VS, "version": "1999-01"}, 404, "not-found"),
    ("/fhir/ConceptMap/$translate", {"system": S, "code": "A4466", "url": "x"}, 404, "not-found"),
    (
        "/fhir/ConceptMap/$translate",
        {"system": S, "code": "A4466", "targetsystem": "http://loinc.org"},
        404,
        "not-found",
    ),
    ("/fhir/metadata", {"mode": "everything"}, 400, "invalid"),
    ("/fhir/CodeSystem/hcpcs-1999-01", {}, 404, "not-found"),
    ("/fhir/CodeSystem", {"name": "x"}, 400, "not-supported"),
    ("/fhir/Patient/1", {}, 404, "not-found"),
]


@pytest.mark.parametrize(("path", "query", "status", "code"), GETS)
async def test_a_bad_get_is_refused(
    client: httpx.AsyncClient, path: str, query: dict[str, str], status: int, code: str
) -> None:
    issue = refused(await client.get(path, params=query), status)
    assert (issue["severity"], issue["code"]) == ("error", code)


@pytest.mark.parametrize(
    ("accept", "status"),
    [
        ("application/fhir+xml", 406),
        ("text/html", 406),
        ("application/fhir+json; fhirVersion=4.0", 200),
        ("application/json, text/plain", 200),
        ("*/*", 200),
    ],
)
async def test_a_client_that_takes_no_json_gets_406(
    client: httpx.AsyncClient, accept: str, status: int
) -> None:
    response = await client.get("/fhir/metadata", headers={"accept": accept})
    validated(response, status)


async def test_a_repeated_parameter_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{LOOKUP}?system={S}&code=E0100&code=E0105")
    assert refused(response, 400)["details"]["text"] == "Parameter code may be given once"


POSTS: list[tuple[bytes, dict[str, str], int, str]] = [
    (b'{"resourceType": "Parameters"}', {"content-type": "text/plain"}, 415, "not-supported"),
    (b"{not json", FHIR_JSON, 400, "structure"),
    (b"[]", FHIR_JSON, 400, "structure"),
    (b'{"resourceType": "Patient"}', FHIR_JSON, 400, "structure"),
    (b'{"resourceType": "Parameters", "parameter": {}}', FHIR_JSON, 400, "structure"),
    (b'{"resourceType": "Parameters", "parameter": [1]}', FHIR_JSON, 400, "structure"),
    (
        b'{"resourceType": "Parameters", "parameter": [{"name": "code", "valueInteger": "x"}]}',
        FHIR_JSON,
        400,
        "structure",
    ),
    (
        b'{"resourceType": "Parameters", "parameter": [{"name": "code", "valueQuantity": {}}]}',
        FHIR_JSON,
        400,
        "structure",
    ),
    (b'{"resourceType": "Parameters", "parameter": []}', FHIR_JSON, 400, "required"),
    (b"[" * 10_000 + b"]" * 10_000, FHIR_JSON, 400, "structure"),
]


@pytest.mark.parametrize(("body", "headers", "status", "code"), POSTS)
async def test_a_bad_post_is_refused(
    client: httpx.AsyncClient, body: bytes, headers: dict[str, str], status: int, code: str
) -> None:
    issue = refused(await client.post(LOOKUP, content=body, headers=headers), status)
    assert issue["code"] == code


async def test_a_coding_and_a_code_together_are_refused(client: httpx.AsyncClient) -> None:
    body: dict[str, Any] = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "code", "valueCode": "E0100"},
            {"name": "coding", "valueCoding": {"system": S, "code": "E0100"}},
        ],
    }
    assert refused(await client.post(LOOKUP, json=body), 400)["code"] == "invalid"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
async def test_other_methods_are_refused(client: httpx.AsyncClient, method: str) -> None:
    response = await client.request(method, LOOKUP)
    assert refused(response, 405)["code"] == "not-supported"
    assert response.headers["allow"] == "GET, POST, HEAD"
    read = await client.request(method, "/fhir/metadata")
    assert (read.status_code, read.headers["allow"]) == (405, "GET, HEAD")


async def test_a_body_past_the_limit_is_413_as_on_graphql(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # no content-length: the limit counts bytes
        for _ in range(70):
            yield b" " * 1024

    response = await client.post(LOOKUP, content=chunks(), headers=FHIR_JSON)
    # The body limit serves every path and answers in GraphQL's shape (docs/fhir.md).
    assert (response.status_code, response.json()["errors"][0]["extensions"]["code"]) == (
        413,
        "BODY_TOO_LARGE",
    )


NAMES = ["system", "code", "version", "date", "url", "filter", "count", "offset", "property",
         "display", "reverse", "activeOnly", "coding", "mode", "x", "_format"]  # fmt: skip
VALUES = [S, VS, "E0100", "a4466", "LT", "", " ", "2026-02-01", "2026-13-45", "2025-10", "-1",
          "0", "101", "true", "maybe", "%", "\u00e9\u00e8", "x" * 500, "'; drop table code;--",
          "ABC*", "\x00", "999999999999"]  # fmt: skip
PATHS = ["/fhir/metadata", LOOKUP, "/fhir/CodeSystem/$validate-code",
         "/fhir/ValueSet/$validate-code", "/fhir/ValueSet/$expand", "/fhir/ConceptMap/$translate",
         "/fhir/CodeSystem", "/fhir/CodeSystem/hcpcs-2026-01"]  # fmt: skip


async def test_random_parameters_are_answered_or_refused_never_500(
    client: httpx.AsyncClient,
) -> None:
    chance = random.Random(14)
    statuses = set()
    for _ in range(300):
        query = httpx.QueryParams(
            [(chance.choice(NAMES), chance.choice(VALUES)) for _ in range(chance.randint(0, 5))]
        )
        response = await client.get(chance.choice(PATHS), params=query)
        statuses.add(response.status_code)
        resource = validated(response, response.status_code)
        assert (resource["resourceType"] == "OperationOutcome") is (response.status_code >= 400)
    assert max(statuses) < 500
    assert {200, 400, 404} <= statuses


def interrupted() -> sqlite3.OperationalError:
    """The error SQLite raises when its progress handler stops a statement."""
    connection = sqlite3.connect(":memory:")
    connection.set_progress_handler(lambda: 1, 1)
    try:
        connection.execute("select 1").fetchall()
    except sqlite3.OperationalError as error:
        return error
    finally:
        connection.close()
    raise AssertionError("the progress handler did not stop the statement")


@pytest.mark.parametrize(
    ("fault", "status", "severity", "code"),
    [
        (interrupted(), 503, "error", "timeout"),
        (RuntimeError("a bug"), 500, "fatal", "exception"),
    ],
)
async def test_a_statement_stopped_or_a_fault_is_an_operation_outcome(
    client: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    fault: Exception,
    status: int,
    severity: str,
    code: str,
) -> None:
    async def failing(*arguments: object) -> object:
        raise fault

    monkeypatch.setattr(terminology, "lookup", failing)
    issue = refused(await client.get(LOOKUP, params={"system": S, "code": "E0100"}), status)
    assert (issue["severity"], issue["code"]) == (severity, code)
