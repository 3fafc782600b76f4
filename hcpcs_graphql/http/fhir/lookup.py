"""CodeSystem/$lookup: a code's display (the long description), its designation (the short
description) and its properties with their meanings, from the lookup GraphQL's `code` makes."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from hcpcs_graphql.http.fhir.codesystem import properties, property_values
from hcpcs_graphql.http.fhir.outcome import FhirError, Resource
from hcpcs_graphql.http.fhir.params import Params
from hcpcs_graphql.http.fhir.system import NAME, SYSTEM, VALUE_SET
from hcpcs_graphql.services import terminology
from hcpcs_graphql.services.context import Context

PARAMETERS = ("code", "system", "version", "coding", "date", "property")
REFUSED = ("displayLanguage",)
"""CMS gives its descriptions in English only."""


@dataclass(frozen=True, slots=True)
class Asked:
    code: str
    version: str | None
    display: str | None = None


def asked_code(params: Params, *, system_name: str = "system") -> Asked:
    """The code asked about: `code` with `system` (and `version`), or a `coding` (POST)."""
    coding = params.coding("coding")
    code, system = params.text("code"), params.text(system_name)
    version, display = params.text("version"), params.text("display")
    if coding is not None:
        if code is not None:
            raise FhirError(400, "invalid", "Give either code or coding, not both")
        check_system(system, required=False, name=system_name)
        code, system = _text(coding.get("code")), _text(coding.get("system"))
        version = _text(coding.get("version")) or version
        display = _text(coding.get("display")) or display
    if code is None:
        raise FhirError(400, "required", "Parameter code (with system) or coding is required")
    check_system(system, required=True, name=system_name)
    return Asked(code, version, display)


def check_system(system: str | None, *, required: bool, name: str = "system") -> None:
    if system is None:
        if required:
            raise FhirError(400, "required", f"Parameter {name} is required: {SYSTEM}")
        return
    if system.partition("|")[0] != SYSTEM:
        raise FhirError(
            404, "not-found", f"Code system {system[:100]} is not served here; this is {SYSTEM}"
        )


def check_value_set(params: Params) -> None:
    """The `url` parameter must name the one value set served (any version of it)."""
    url = params.text("url")
    if url is None:
        raise FhirError(400, "required", f"Parameter url is required: {VALUE_SET}")
    if url.partition("|")[0] != VALUE_SET:
        raise FhirError(404, "not-found", f"Value set {url[:100]} is not served; use {VALUE_SET}")


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


async def lookup(request: Request, context: Context, params: Params) -> Resource:
    params.check(PARAMETERS, REFUSED)
    asked = asked_code(params)
    date = params.date("date")
    wanted = {str(value) for value in params.values.get("property", [])}
    known = [prop.code for prop in properties()]
    if unknown := sorted(wanted - set(known)):
        raise FhirError(
            400, "invalid", f"Unknown property {', '.join(unknown)}; known: {', '.join(known)}"
        )
    found = await terminology.lookup(context, asked.code, asked.version, date)
    row = found.row
    if row is None:
        raise FhirError(
            404,
            "not-found",
            f"Code {asked.code[:20]!r} is not in {NAME} release {found.release.id}",
        )
    day = date or context.today
    parameters: list[Resource] = [
        {"name": "name", "valueString": NAME},
        {"name": "version", "valueString": found.release.id},
        {"name": "display", "valueString": row.long_description},
    ]
    if row.short_description is not None:
        parameters.append(
            {
                "name": "designation",
                "part": [
                    {"name": "language", "valueCode": "en"},
                    {"name": "value", "valueString": row.short_description},
                ],
            }
        )
    parameters += [
        value.parameter()
        for value in property_values(row, context.catalog, day)
        if not wanted or value.code in wanted
    ]
    return {"resourceType": "Parameters", "parameter": parameters}
