"""Every FHIR answer is a resource the FHIR R4B models of fhir.resources accept (the closest they
have to R4), sent as application/fhir+json."""

from __future__ import annotations

from typing import Any

import httpx
from fhir.resources.R4B import get_fhir_model_class

from hcpcs_graphql.http.fhir.system import MEDIA_TYPE, SYSTEM, VALUE_SET

S = SYSTEM
VS = VALUE_SET


def validated(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    resource = response.json()
    assert isinstance(resource, dict)
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource


def refused(response: httpx.Response, status: int) -> dict[str, Any]:
    """An OperationOutcome with STATUS: its one issue."""
    outcome = validated(response, status)
    assert outcome["resourceType"] == "OperationOutcome"
    (issue,) = outcome["issue"]
    assert isinstance(issue, dict)
    return issue


def parameters(resource: dict[str, Any]) -> dict[str, Any]:
    """The parameters of a Parameters resource by name; a list for a repeated one."""
    assert resource["resourceType"] == "Parameters"
    found: dict[str, Any] = {}
    for entry in resource["parameter"]:
        value = next(
            (entry[key] for key in entry if key.startswith("value") or key in ("part", "resource")),
            None,
        )
        if entry["name"] in ("property", "match", "designation"):
            found.setdefault(entry["name"], []).append(value)
        else:
            found[entry["name"]] = value
    return found
