"""ValueSet/$expand of the implicit value set of all codes: a page of the codes, found by the
search GraphQL's `search` makes when there is a filter, else in code order (as `allCodes`)."""

from __future__ import annotations

from starlette.requests import Request

from hcpcs_graphql.domain.status import Status, status_on
from hcpcs_graphql.http.fhir.codesystem import content_date
from hcpcs_graphql.http.fhir.lookup import REFUSED, check_value_set
from hcpcs_graphql.http.fhir.outcome import FhirError, Resource
from hcpcs_graphql.http.fhir.params import Params
from hcpcs_graphql.http.fhir.system import SYSTEM, VALUE_SET
from hcpcs_graphql.services import terminology
from hcpcs_graphql.services.context import Context

PARAMETERS = (
    "url", "filter", "count", "offset", "date", "activeOnly", "includeDesignations",
    "system-version", "version",
)  # fmt: skip


def _version(params: Params) -> str | None:
    """`system-version` (SYSTEM|2026-01), or `version` (2026-01)."""
    canonical, version = params.text("system-version"), params.text("version")
    if canonical is None:
        return version
    if version is not None:
        raise FhirError(400, "invalid", "Give either system-version or version, not both")
    system, bar, found = canonical.partition("|")
    if system != SYSTEM or not bar or not found:
        raise FhirError(400, "invalid", f"system-version must be {SYSTEM}|RELEASE")
    return found


async def expand(request: Request, context: Context, params: Params) -> Resource:
    params.check(PARAMETERS, REFUSED)
    check_value_set(params)
    text = params.text("filter")
    date = params.date("date")
    active_only = params.boolean("activeOnly")
    designations = params.boolean("includeDesignations")
    offset = params.integer("offset") or 0
    found = await terminology.expand(
        context,
        text=text,
        offset=offset,
        count=params.integer("count"),
        version=_version(params),
        date=date,
        active_only=active_only,
    )
    release = found.release
    contains = []
    for hit in found.page.hits:
        row = hit.row
        entry: Resource = {
            "system": SYSTEM,
            "version": release.id,
            "code": row.code,
            "display": row.long_description,
        }
        if status_on(row.add_dt, row.term_dt, found.day) is not Status.ACTIVE:
            entry["inactive"] = True
        if designations and row.short_description is not None:
            entry["designation"] = [{"language": "en", "value": row.short_description}]
        contains.append(entry)
    used: list[Resource] = [
        {"name": "used-codesystem", "valueUri": f"{SYSTEM}|{release.id}"},
        {"name": "offset", "valueInteger": offset},
        {"name": "count", "valueInteger": len(contains)},
    ]
    if text is not None:
        used.append({"name": "filter", "valueString": text})
    if date is not None:
        used.append({"name": "date", "valueDateTime": date.isoformat()})
    if active_only:
        used.append({"name": "activeOnly", "valueBoolean": True})
    expansion: Resource = {
        # The expansion of a release never changes: dated as its content (as the CodeSystem),
        # so that every server of the same files gives the same answer (and ETag).
        "timestamp": content_date(release),
        "total": found.total,
        "offset": offset,
        "parameter": used,
    }
    if contains:
        expansion["contains"] = contains
    return {
        "resourceType": "ValueSet",
        "url": VALUE_SET,
        "status": "active",
        "expansion": expansion,
    }
