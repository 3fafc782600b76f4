"""The FHIR terminology facade under /fhir on the real releases: metadata, CodeSystem resources,
$lookup, $validate-code, $expand and $translate, each answer a valid R4B resource."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from hcpcs_graphql.http.fhir.codesystem import properties
from hcpcs_graphql.http.fhir.operations import OPERATIONS
from tests.fhir_validation import VS, S, parameters, validated

LOOKUP = "/fhir/CodeSystem/$lookup"
CS_VALIDATE = "/fhir/CodeSystem/$validate-code"
VS_VALIDATE = "/fhir/ValueSet/$validate-code"
EXPAND = "/fhir/ValueSet/$expand"
TRANSLATE = "/fhir/ConceptMap/$translate"
VERDICTS = "urn:hcpcs-graphql:CodeSystem:claim-line-verdict"


def as_parameters(values: dict[str, Any]) -> dict[str, Any]:
    keys = {bool: "valueBoolean", int: "valueInteger", dict: "valueCoding"}
    return {
        "resourceType": "Parameters",
        "parameter": [
            {"name": name, keys.get(type(value), "valueString"): value}
            for name, value in values.items()
        ],
    }


def test_the_models_are_strict() -> None:
    with pytest.raises(ValidationError):
        get_fhir_model_class("Parameters").model_validate(
            {"resourceType": "Parameters", "unknownElement": 1}
        )


async def test_the_capability_statement_lists_what_is_implemented(
    client: httpx.AsyncClient,
) -> None:
    statement = validated(await client.get("/fhir/metadata"))
    assert statement["resourceType"] == "CapabilityStatement"
    assert statement["fhirVersion"] == "4.0.1"
    (rest,) = statement["rest"]
    assert rest["resource"] == [
        {
            "type": "CodeSystem",
            "interaction": [{"code": "search-type"}, {"code": "read"}],
            "searchParam": [{"name": "url", "type": "token"}, {"name": "version", "type": "token"}],
            "operation": [
                {
                    "name": "lookup",
                    "definition": "http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup",
                },
                {
                    "name": "validate-code",
                    "definition": "http://hl7.org/fhir/OperationDefinition/"
                    "CodeSystem-validate-code",
                },
            ],
        },
        {
            "type": "ValueSet",
            "operation": [
                {
                    "name": "validate-code",
                    "definition": "http://hl7.org/fhir/OperationDefinition/ValueSet-validate-code",
                },
                {
                    "name": "expand",
                    "definition": "http://hl7.org/fhir/OperationDefinition/ValueSet-expand",
                },
            ],
        },
        {
            "type": "ConceptMap",
            "operation": [
                {
                    "name": "translate",
                    "definition": "http://hl7.org/fhir/OperationDefinition/ConceptMap-translate",
                }
            ],
        },
    ]


async def test_terminology_capabilities_name_every_release(client: httpx.AsyncClient) -> None:
    found = validated(await client.get("/fhir/metadata", params={"mode": "terminology"}))
    assert found["resourceType"] == "TerminologyCapabilities"
    codes = [prop.code for prop in properties()]
    assert found["codeSystem"] == [
        {
            "uri": S,
            "version": [
                {"code": "2026-01", "isDefault": True, "property": codes},
                {"code": "2025-10", "isDefault": False, "property": codes},
            ],
        }
    ]
    expand = next(op for op in OPERATIONS if op.name == "expand")
    assert [entry["name"] for entry in found["expansion"]["parameter"]] == list(expand.parameters)


async def test_a_code_system_per_release(client: httpx.AsyncClient) -> None:
    bundle = validated(await client.get("/fhir/CodeSystem", params={"url": S}))
    assert bundle["total"] == 2
    assert [entry["fullUrl"] for entry in bundle["entry"]] == [
        "http://test/fhir/CodeSystem/hcpcs-2026-01",
        "http://test/fhir/CodeSystem/hcpcs-2025-10",
    ]
    one = validated(await client.get("/fhir/CodeSystem/hcpcs-2025-10"))
    assert one == bundle["entry"][1]["resource"]
    assert {key: one[key] for key in ("url", "version", "content", "count")} == {
        "url": S,
        "version": "2025-10",
        "content": "not-present",
        "count": 8846,
    }
    by_code = {prop["code"]: prop["type"] for prop in one["property"]}
    assert {name: by_code[name] for name in ("pricingIndicators", "coverage", "betos")} == {
        "pricingIndicators": "code",
        "coverage": "code",
        "betos": "code",
    }
    assert {name: by_code[name] for name in ("addedDate", "terminationDate", "status")} == {
        "addedDate": "dateTime",
        "terminationDate": "dateTime",
        "status": "code",
    }
    searched = validated(await client.get("/fhir/CodeSystem", params={"version": "2025-10"}))
    assert [entry["resource"] for entry in searched["entry"]] == [one]


A4466_ON_FEBRUARY_1 = {
    "name": "HCPCS Level II",
    "version": "2026-01",
    "display": "Garment, belt, sleeve or other covering, elastic or similar stretchable "
    "material, any type, each",
    "designation": [
        [
            {"name": "language", "valueCode": "en"},
            {"name": "value", "valueString": "Elastic garment/covering"},
        ]
    ],
}


def _property(code: str, value: dict[str, Any], description: str | None = None) -> Any:
    parts = [{"name": "code", "valueCode": code}, {"name": "value", **value}]
    if description is not None:
        parts.append({"name": "description", "valueString": description})
    return parts


async def test_lookup_gives_display_designation_and_properties(client: httpx.AsyncClient) -> None:
    query = {"system": S, "code": "a4466", "date": "2026-02-01"}
    found = parameters(validated(await client.get(LOOKUP, params=query)))
    assert {key: found[key] for key in A4466_ON_FEBRUARY_1} == A4466_ON_FEBRUARY_1
    assert found["property"] == [
        _property("kind", {"valueCode": "PROCEDURE"}),
        _property(
            "pricingIndicators",
            {"valueCode": "00"},
            "Service not separately priced by part B (e.g., services not covered, bundled, "
            "used by part a only, etc.)",
        ),
        _property(
            "multiplePricingIndicator",
            {"valueCode": "9"},
            "Not applicable as HCPCS not priced separately by part B (pricing indicator is 00) "
            "or value is not established (pricing indicator is '99')",
        ),
        _property("crossReferences", {"valueCode": "A4467"}),
        _property("coverage", {"valueCode": "M"}, "Non-covered by Medicare"),
        _property("processingNote", {"valueCode": "0196"}, "PUB. 100-4, CH.21, SEC 10.1.3."),
        _property("betos", {"valueCode": "Z2"}, "Undefined codes"),
        _property("typesOfService", {"valueCode": "9"}, "Other medical items or services"),
        _property("anesthesiaBaseUnits", {"valueInteger": 0}),
        _property("addedDate", {"valueDateTime": "2010-01-01"}),
        _property("actionEffectiveDate", {"valueDateTime": "2017-01-01"}),
        _property("terminationDate", {"valueDateTime": "2016-12-31"}),
        _property("action", {"valueCode": "N"}, "No maintenance for this code"),
        _property("status", {"valueCode": "DISCONTINUED"}),
        _property("inactive", {"valueBoolean": True}),
        _property("notOtherwiseClassified", {"valueBoolean": False}),
    ]


async def test_lookup_by_post_is_lookup_by_get(client: httpx.AsyncClient) -> None:
    query = {"system": S, "code": "J3490", "version": "2025-10", "property": "coverage"}
    by_get = validated(await client.get(LOOKUP, params=query))
    body = as_parameters({"coding": {"system": S, "code": "J3490", "version": "2025-10"}})
    by_post = validated(
        await client.post(
            LOOKUP,
            json=body,
            params={"property": "coverage"},
            headers={"content-type": "application/fhir+json"},
        )
    )
    assert by_post == by_get
    assert parameters(by_get)["property"] == [
        _property("coverage", {"valueCode": "D"}, "Special coverage instructions apply")
    ]


def _issues(found: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (issue["severity"], issue["code"], issue["details"].get("coding", [{}])[0].get("code"))
        for issue in found["issues"]["issue"]
    ]


@pytest.mark.parametrize(
    ("query", "result", "issues"),
    [
        (
            {"code": "E0100", "date": "2026-02-01"},
            True,
            [("information", "informational", "VALID")],
        ),
        (
            {"code": "A4466", "date": "2026-02-01"},
            False,
            [("error", "business-rule", "DISCONTINUED")],
        ),
        (
            {"code": "A4295", "date": "2025-12-15"},
            False,
            [("error", "business-rule", "NOT_YET_EFFECTIVE")],
        ),
        (
            {"code": "Z9999", "date": "2026-02-01"},
            False,
            [("error", "code-invalid", "UNKNOWN_CODE")],
        ),
        (
            {"code": "99213", "date": "2026-02-01"},
            False,
            [("warning", "not-supported", "UNCHECKED_CODE")],
        ),
        (
            {"code": "E0100", "date": "2020-01-01"},
            False,
            [("error", "business-rule", "NO_RELEASE_IN_EFFECT")],
        ),
        (
            {"code": "A0888", "date": "2026-02-01"},
            True,
            [
                ("information", "informational", "VALID"),
                ("warning", "business-rule", "NOT_COVERED"),
            ],
        ),
        (
            {"code": "J3490", "version": "2026-01"},
            True,
            [
                ("information", "informational", "VALID"),
                ("warning", "business-rule", "NOT_OTHERWISE_CLASSIFIED"),
            ],
        ),
        ({"code": "LT", "date": "2026-02-01"}, True, [("information", "informational", "VALID")]),
        (
            {"code": "CP", "date": "2026-02-01"},
            False,
            [("error", "business-rule", "MODIFIER_NOT_VALID")],
        ),
        (
            {"code": "E0100", "date": "2026-02-01", "display": "a cane"},
            False,
            [("information", "informational", "VALID"), ("error", "invalid", None)],
        ),
    ],
)
async def test_validate_code_says_what_the_claim_line_check_says(
    client: httpx.AsyncClient, query: dict[str, str], result: bool, issues: list[Any]
) -> None:
    found = parameters(validated(await client.get(CS_VALIDATE, params={"url": S, **query})))
    assert found["result"] is result
    assert _issues(found) == issues
    in_value_set = validated(
        await client.get(VS_VALIDATE, params={"url": VS, "system": S, **query})
    )
    assert parameters(in_value_set) == found


async def test_validate_code_accepts_either_description_as_display(
    client: httpx.AsyncClient,
) -> None:
    body = as_parameters(
        {
            "url": S,
            "coding": {"system": S, "code": "A0888", "display": "noncovered  AMBULANCE mileage"},
            "date": "2026-02-01",
        }
    )
    found = parameters(validated(await client.post(CS_VALIDATE, json=body)))
    assert found["result"] is True
    assert found["message"] == (
        "A0888 (Noncovered ambulance mileage) is valid on 2026-02-01 (release 2026-01). "
        "A0888 has coverage code M: Non-covered by Medicare."
    )


async def test_expand_pages_through_the_search(client: httpx.AsyncClient) -> None:
    query = {"url": VS, "filter": "wheelchair cushion", "date": "2026-02-01"}
    first = validated(await client.get(EXPAND, params={**query, "count": "2"}))
    expansion = first["expansion"]
    assert expansion["total"] == 27
    assert [entry["code"] for entry in expansion["contains"]] == ["E2610", "E2609"]
    second = validated(await client.get(EXPAND, params={**query, "count": "2", "offset": "2"}))
    everything = validated(await client.get(EXPAND, params={**query, "count": "27"}))
    codes = [entry["code"] for entry in everything["expansion"]["contains"]]
    assert [entry["code"] for entry in second["expansion"]["contains"]] == codes[2:4]
    assert len(set(codes)) == 27


async def test_expand_without_a_filter_lists_codes_in_order(client: httpx.AsyncClient) -> None:
    query = {"url": VS, "count": "3", "date": "2026-02-01", "includeDesignations": "true"}
    found = validated(await client.get(EXPAND, params=query))["expansion"]
    assert found["total"] == 9006
    assert found["contains"] == [
        {
            "system": S,
            "version": "2026-01",
            "code": "A0021",
            "display": "Ambulance service, outside state per mile, transport (medicaid only)",
            "designation": [{"language": "en", "value": "Outside state ambulance serv"}],
        },
        {
            "system": S,
            "version": "2026-01",
            "code": "A0080",
            "display": "Non-emergency transportation, per mile - vehicle provided by volunteer "
            "(individual or organization), with no vested interest",
            "designation": [{"language": "en", "value": "Noninterest escort in non er"}],
        },
        {
            "system": S,
            "version": "2026-01",
            "code": "A0090",
            "display": "Non-emergency transportation, per mile - vehicle provided by individual "
            "(family member, self, neighbor) with vested interest",
            "designation": [{"language": "en", "value": "Interest escort in non er"}],
        },
    ]
    active = validated(await client.get(EXPAND, params={**query, "activeOnly": "true"}))
    assert active["expansion"]["total"] < found["total"]
    older = validated(
        await client.get(EXPAND, params={"url": VS, "count": "0", "system-version": f"{S}|2025-10"})
    )
    assert older["expansion"]["total"] == 8846


async def test_expand_marks_inactive_codes(client: httpx.AsyncClient) -> None:
    query = {"url": VS, "filter": "A4466", "count": "1", "date": "2026-02-01"}
    (entry,) = validated(await client.get(EXPAND, params=query))["expansion"]["contains"]
    assert (entry["code"], entry["inactive"]) == ("A4466", True)


async def test_translate_follows_cross_references_both_ways(client: httpx.AsyncClient) -> None:
    forward = parameters(
        validated(await client.get(TRANSLATE, params={"system": S, "code": "A4466"}))
    )
    concept = {
        "system": S,
        "version": "2026-01",
        "code": "A4467",
        "display": "Belt, strap, sleeve, garment, or covering, any type",
    }
    assert forward == {
        "result": True,
        "message": "A4466 cross-references A4467 in release 2026-01.",
        "match": [
            [
                {"name": "equivalence", "valueCode": "relatedto"},
                {"name": "concept", "valueCoding": concept},
                {"name": "source", "valueUri": "urn:hcpcs-graphql:ConceptMap:hcpcs-xref"},
            ]
        ],
    }
    reverse = parameters(
        validated(
            await client.get(TRANSLATE, params={"system": S, "code": "A4467", "reverse": "true"})
        )
    )
    assert reverse["result"] is True
    assert [match[1]["valueCoding"]["code"] for match in reverse["match"]] == ["A4466"]
    none = parameters(validated(await client.get(TRANSLATE, params={"system": S, "code": "E0100"})))
    assert none == {
        "result": False,
        "message": "E0100 cross-references no code in release 2026-01.",
    }


async def test_answers_carry_an_etag_and_a_client_that_has_it_gets_304(
    client: httpx.AsyncClient,
) -> None:
    query = {"system": S, "code": "E0100", "date": "2026-02-01"}
    first = await client.get(LOOKUP, params=query)
    etag = first.headers["etag"]
    again = await client.get(LOOKUP, params=query, headers={"if-none-match": etag})
    assert (again.status_code, again.headers["etag"], again.content) == (304, etag, b"")
    other = await client.get(LOOKUP, params={**query, "code": "E0105"})
    assert other.headers["etag"] != etag
    metrics = (await client.get("/metrics")).text
    assert 'hcpcs_requests_total{operation="fhir CodeSystem/$lookup",outcome="ok"}' in metrics
    assert (
        'hcpcs_requests_total{operation="fhir CodeSystem/$lookup",outcome="not_modified"} 1.0'
        in metrics
    )


async def test_head_gives_the_headers_of_get(client: httpx.AsyncClient) -> None:
    query = {"system": S, "code": "E0100", "date": "2026-02-01"}
    got = await client.get(LOOKUP, params=query)
    head = await client.head(LOOKUP, params=query)
    assert (head.status_code, head.headers["etag"], head.content) == (200, got.headers["etag"], b"")
