"""A real FHIR client library (fhirpy) against the real server (`hcpcs serve`): it reads the
code systems, looks a code up, validates codes and expands the value set."""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import ResourceNotFound

from tests.fhir_validation import VS, S, parameters


def valid(resource: Any) -> dict[str, Any]:
    found = dict(resource)
    get_fhir_model_class(found["resourceType"]).model_validate(found)
    return found


@pytest.fixture(scope="module")
def fhir(server: str) -> SyncFHIRClient:
    return SyncFHIRClient(f"{server}/fhir")


def test_the_client_searches_the_code_systems(fhir: SyncFHIRClient) -> None:
    found = fhir.resources("CodeSystem").search(url=S).fetch()
    assert [(system["version"], system["count"]) for system in found] == [
        ("2026-01", 9006),
        ("2025-10", 8846),
    ]


def test_the_client_looks_a_code_up(fhir: SyncFHIRClient) -> None:
    found = valid(
        fhir.execute(
            "CodeSystem/$lookup",
            method="get",
            params={"system": S, "code": "E0100", "property": "coverage"},
        )
    )
    assert parameters(found)["display"] == (
        "Cane, includes canes of all materials, adjustable or fixed, with tip"
    )
    with pytest.raises(ResourceNotFound):
        fhir.execute("CodeSystem/$lookup", method="get", params={"system": S, "code": "Z9999"})


def test_the_client_validates_codes(fhir: SyncFHIRClient) -> None:
    body = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "url", "valueUri": VS},
            {"name": "system", "valueUri": S},
            {"name": "code", "valueCode": "A4466"},
            {"name": "date", "valueDateTime": "2026-02-01"},
        ],
    }
    found = parameters(valid(fhir.execute("ValueSet/$validate-code", method="post", data=body)))
    assert found["result"] is False
    assert found["message"] == (
        "A4466 (Elastic garment/covering) is discontinued on 2026-02-01: its last valid day was "
        "2016-12-31 (release 2026-01). CMS cross-references A4467."
    )
    valid_code = fhir.execute(
        "CodeSystem/$validate-code", method="get", params={"url": S, "code": "E0100"}
    )
    assert parameters(valid(valid_code))["result"] is True


def test_the_client_expands_the_value_set(fhir: SyncFHIRClient) -> None:
    found = valid(
        fhir.execute(
            "ValueSet/$expand",
            method="get",
            params={"url": VS, "filter": "cane", "count": 5, "version": "2026-01"},
        )
    )
    expansion = found["expansion"]
    assert len(expansion["contains"]) == 5
    assert expansion["contains"][0]["code"] == "E0100"
