"""Every bad request to /fhir is an OperationOutcome with the status that says why (never a
500): each case names the status and the FHIR issue type."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.fhir_validation import VS, S, refused

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
    ("/fhir/ValueSet/$expand", {"url": VS, "count": "101"}, 400, "invalid"),
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
