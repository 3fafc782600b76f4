"""ConceptMap/$translate over the cross-references (XREF1-5): a code to the codes CMS
cross-references from it (a discontinued code to its replacements), and with `reverse` a code
to the codes that cross-reference it (GraphQL's `crossReferences` and `referencedBy`)."""

from __future__ import annotations

from starlette.requests import Request

from hcpcs_graphql.http.fhir.lookup import asked_code
from hcpcs_graphql.http.fhir.outcome import FhirError, Resource
from hcpcs_graphql.http.fhir.params import Params
from hcpcs_graphql.http.fhir.system import CONCEPT_MAP, NAME, SYSTEM, VALUE_SET
from hcpcs_graphql.services import terminology
from hcpcs_graphql.services.context import Context

PARAMETERS = (
    "url", "code", "system", "version", "coding", "date", "target", "targetsystem", "reverse",
)  # fmt: skip
EQUIVALENCE = "relatedto"
"""CMS says a code cross-references another, not how their meanings compare."""


async def translate(request: Request, context: Context, params: Params) -> Resource:
    params.check(PARAMETERS, ("conceptMap", "codeableConcept", "dependency", "source"))
    url = params.text("url")
    if url is not None and url.partition("|")[0] != CONCEPT_MAP:
        raise FhirError(
            404, "not-found", f"Concept map {url[:100]} is not served; use {CONCEPT_MAP}"
        )
    for name, allowed in (("target", VALUE_SET), ("targetsystem", SYSTEM)):
        value = params.text(name)
        if value is not None and value.partition("|")[0] != allowed:
            raise FhirError(
                404, "not-found", f"The cross-references map {NAME} to itself ({name} {allowed})"
            )
    asked = asked_code(params)
    reverse = params.boolean("reverse")
    found = await terminology.translate(
        context, asked.code, asked.version, params.date("date"), reverse
    )
    release = found.release
    if found.row is None:
        message = f"Code {asked.code[:20]!r} is not in {NAME} release {release.id}."
    elif not found.targets:
        message = (
            f"No code of release {release.id} cross-references {found.row.code}."
            if reverse
            else f"{found.row.code} cross-references no code in release {release.id}."
        )
    else:
        listed = ", ".join(code for code, _ in found.targets)
        message = (
            f"{listed} cross-reference{'s' if len(found.targets) == 1 else ''} "
            f"{found.row.code} in release {release.id}."
            if reverse
            else f"{found.row.code} cross-references {listed} in release {release.id}."
        )
    parameters: list[Resource] = [
        {"name": "result", "valueBoolean": bool(found.targets)},
        {"name": "message", "valueString": message},
    ]
    for code, row in found.targets:
        concept: Resource = {"system": SYSTEM, "version": release.id, "code": code}
        if row is not None:
            concept["display"] = row.long_description
        parameters.append(
            {
                "name": "match",
                "part": [
                    {"name": "equivalence", "valueCode": EQUIVALENCE},
                    {"name": "concept", "valueCoding": concept},
                    {"name": "source", "valueUri": CONCEPT_MAP},
                ],
            }
        )
    return {"resourceType": "Parameters", "parameter": parameters}
