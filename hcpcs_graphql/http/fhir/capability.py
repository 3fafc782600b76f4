"""GET /fhir/metadata: the CapabilityStatement, and with mode=terminology the
TerminologyCapabilities, both listing what operations.py says is implemented."""

from __future__ import annotations

from starlette.requests import Request

from hcpcs_graphql import __version__
from hcpcs_graphql.http.fhir.codesystem import content_date, properties
from hcpcs_graphql.http.fhir.operations import OPERATIONS, READS
from hcpcs_graphql.http.fhir.outcome import FhirError, Resource
from hcpcs_graphql.http.fhir.params import Params
from hcpcs_graphql.http.fhir.system import FHIR_VERSION, NAME, PREFIX, SYSTEM
from hcpcs_graphql.services.context import Context

MODES = ("full", "normative", "terminology")


def _common(request: Request, context: Context, resource_type: str) -> Resource:
    releases = context.catalog.releases
    base = str(request.base_url).rstrip("/").removesuffix(PREFIX) + PREFIX
    return {
        "resourceType": resource_type,
        "status": "active",
        # What is served changes with the releases: dated as the newest content.
        "date": max(content_date(release) for release in releases) if releases else "2026-01-01",
        "publisher": "hcpcs-graphql",
        "kind": "instance",
        "software": {"name": "hcpcs-graphql", "version": __version__},
        "implementation": {
            "description": f"{NAME} from CMS's release files, beside the GraphQL API",
            "url": base,
        },
    }


def capability_statement(request: Request, context: Context) -> Resource:
    resources: dict[str, Resource] = {}
    for read in READS:
        entry = resources.setdefault(read.resource, {"type": read.resource})
        entry.setdefault("interaction", []).append({"code": read.interaction})
        for name in read.parameters:
            entry.setdefault("searchParam", []).append({"name": name, "type": "token"})
    for operation in OPERATIONS:
        entry = resources.setdefault(operation.resource, {"type": operation.resource})
        entry.setdefault("operation", []).append(
            {"name": operation.name, "definition": operation.definition}
        )
    return {
        **_common(request, context, "CapabilityStatement"),
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [{"mode": "server", "resource": list(resources.values())}],
    }


def terminology_capabilities(request: Request, context: Context) -> Resource:
    catalog = context.catalog
    default = catalog.default(context.today).id if catalog.releases else None
    expand = next(op for op in OPERATIONS if op.name == "expand")
    return {
        **_common(request, context, "TerminologyCapabilities"),
        "codeSystem": [
            {
                "uri": SYSTEM,
                "version": [
                    {
                        "code": release.id,
                        "isDefault": release.id == default,
                        "property": [prop.code for prop in properties()],
                    }
                    for release in catalog.releases
                ],
            }
        ],
        "expansion": {
            "hierarchical": False,
            "paging": True,
            "incomplete": False,
            "parameter": [{"name": name} for name in expand.parameters],
            "textFilter": "The search of the GraphQL API: a code, the start of a code, or words "
            "(each the start of a word of a description, all required).",
        },
        "validateCode": {"translations": False},
        "translation": {"needsMap": False},
    }


async def metadata(request: Request, context: Context, params: Params) -> Resource:
    params.check(("mode",))
    mode = params.text("mode") or "full"
    if mode not in MODES:
        raise FhirError(400, "invalid", f"mode must be one of {', '.join(MODES)}")
    if mode == "terminology":
        return terminology_capabilities(request, context)
    return capability_statement(request, context)
