"""An Atom feed of the loaded releases on /releases.atom: an entry per release, newest first,
with what changed from the release before (codes by kind and by field) and links to those
changes (the `changes` query, over GET) and to the release's CSV export. A feed reader subscribed
to it hears of each release the day it is loaded."""

from __future__ import annotations

import json
from urllib.parse import urlencode
from xml.etree import ElementTree

from starlette.requests import Request
from starlette.responses import Response

from hcpcs_graphql.db.release_checks import counted
from hcpcs_graphql.db.rows import ReleaseRow
from hcpcs_graphql.domain.export_format import ExportFormat
from hcpcs_graphql.services.changes import previous_release, summary_from_previous
from hcpcs_graphql.services.context import Context, make_context

ATOM = "http://www.w3.org/2005/Atom"
PATH = "/releases.atom"
CHANGES = (
    "query Changes($from: String!, $to: String!) { changes(from: $from, to: $to) {"
    " totalCount summary { byKind { kind count } byField { field count } }"
    " edges { node { code kind fields { field before after } } } } }"
)


def _element(
    parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str
) -> ElementTree.Element:
    child = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    child.text = text
    return child


async def _summary(context: Context, release: ReleaseRow) -> str:
    found = await summary_from_previous(context, release.id)
    previous = previous_release(context, release.id)
    header = (
        f"Release {release.id} takes effect on {release.effective_date.isoformat()}:"
        f" {counted(release.code_count, 'code')}."
    )
    if found is None or previous is None:
        return f"{header} The oldest release loaded: no release to compare it with."
    kinds = ", ".join(f"{count:,} {kind.value.lower()}" for kind, count in found.by_kind.items())
    fields = ", ".join(f"{field.name} {count:,}" for field, count in found.fields_by_count())
    return f"{header} From {previous}: {counted(found.total, 'code')} differ ({kinds})." + (
        f" By field: {fields}." if fields else ""
    )


async def feed(request: Request) -> Response:
    state = request.app.state
    context = make_context(state.connection, state.catalog, limits=state.settings.limits)
    base = str(request.base_url).rstrip("/")
    root = ElementTree.Element(f"{{{ATOM}}}feed")
    _element(root, "id", f"{base}{PATH}")
    _element(root, "title", "HCPCS Level II releases")
    _element(root, "link", rel="self", href=f"{base}{PATH}")
    releases = context.catalog.releases
    updated = max((release.loaded_at for release in releases), default=None)
    _element(root, "updated", updated.isoformat() if updated else "1970-01-01T00:00:00+00:00")
    _element(_element(root, "author"), "name", "hcpcs-graphql")
    for release in releases:
        entry = ElementTree.SubElement(root, f"{{{ATOM}}}entry")
        # A release loaded again (CMS's corrections) is a new entry: its files are in the id.
        digest = "-".join(file.sha256[:12] for file in release.files)
        _element(entry, "id", f"{base}{PATH}#{release.id}-{digest}")
        _element(entry, "title", f"HCPCS release {release.id}")
        _element(entry, "updated", release.loaded_at.isoformat())
        _element(entry, "published", release.loaded_at.isoformat())
        _element(entry, "summary", await _summary(context, release))
        previous = previous_release(context, release.id)
        if previous is not None:
            variables = json.dumps({"from": previous, "to": release.id})
            query = urlencode({"query": CHANGES, "variables": variables})
            _element(
                entry,
                "link",
                rel="related",
                title=f"changes from {previous}",
                type="application/json",
                href=f"{base}/graphql?{query}",
            )
        _element(
            entry,
            "link",
            rel="enclosure",
            title="every code as CSV",
            type="text/csv",
            href=f"{base}/export/{release.id}{ExportFormat.CSV.suffix}",
        )
    ElementTree.register_namespace("", ATOM)
    body = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="application/atom+xml")
