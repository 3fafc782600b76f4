"""The CodeSystem resources: read by id, and the search over them (by url and version)."""

from __future__ import annotations

from starlette.requests import Request

from hcpcs_graphql.http.fhir.codesystem import code_system
from hcpcs_graphql.http.fhir.outcome import FhirError, Resource
from hcpcs_graphql.http.fhir.params import Params
from hcpcs_graphql.http.fhir.system import PREFIX, SYSTEM, code_system_id
from hcpcs_graphql.services.context import Context

SEARCH_PARAMETERS = ("url", "version")


async def read_code_system(request: Request, context: Context, params: Params) -> Resource:
    params.check(())
    wanted = request.path_params["id"]
    for release in context.catalog.releases:
        if code_system_id(release.id) == wanted:
            return code_system(release)
    ids = ", ".join(code_system_id(release.id) for release in context.catalog.releases)
    raise FhirError(404, "not-found", f"No CodeSystem/{wanted[:64]}; loaded: {ids or 'none'}")


async def search_code_systems(request: Request, context: Context, params: Params) -> Resource:
    params.check(SEARCH_PARAMETERS)
    url, version = params.text("url"), params.text("version")
    releases = [
        release
        for release in context.catalog.releases
        if url in (None, SYSTEM) and version in (None, release.id)
    ]
    base = str(request.base_url).rstrip("/").removesuffix(PREFIX) + PREFIX
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(releases),
        "link": [{"relation": "self", "url": str(request.url)}],
        "entry": [
            {
                "fullUrl": f"{base}/CodeSystem/{code_system_id(release.id)}",
                "resource": code_system(release),
                "search": {"mode": "match"},
            }
            for release in releases
        ],
    }
