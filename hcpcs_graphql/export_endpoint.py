"""GET /export/{release}.csv and /export/{release}.ndjson: one release, streamed as it is read
(db/export.py), never held whole in memory. A loaded release never changes: its ETag is the hash
of its source files and this program's version (which fixes the format), so a client that has
it gets 304, and the answer may be cached for a year."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from hcpcs_graphql import __version__
from hcpcs_graphql.db.export import export_chunks
from hcpcs_graphql.db.export_format import ExportFormat, export_name
from hcpcs_graphql.db.rows import ReleaseRow
from hcpcs_graphql.http_cache import YEAR, entity_tags
from hcpcs_graphql.resolvers.catalog import Catalog
from hcpcs_graphql.resolvers.errors import UnknownReleaseError

CACHE_CONTROL = f"public, max-age={YEAR}, immutable"


def export_etag(release: ReleaseRow, export_format: ExportFormat) -> str:
    content = [release.id, sorted(file.sha256 for file in release.files), __version__]
    key = json.dumps([*content, export_format.value])
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


async def export(request: Request) -> Response:
    name: str = request.path_params["name"]
    release_id, dot, suffix = name.rpartition(".")
    export_format = ExportFormat.from_suffix(suffix) if dot else None
    if export_format is None:
        return PlainTextResponse(
            f"No export {name!r}: ask for /export/RELEASE.csv or /export/RELEASE.ndjson",
            status_code=404,
        )
    catalog: Catalog = request.app.state.catalog
    try:
        release = catalog.release(release_id)
    except UnknownReleaseError as error:
        return PlainTextResponse(f"No export: {error}", status_code=404)
    etag = export_etag(release, export_format)
    headers = {"etag": etag, "cache-control": CACHE_CONTROL}
    tags = entity_tags(request.headers.get("if-none-match", ""))
    if etag in tags or "*" in tags:
        return Response(status_code=304, headers=headers)
    filename = export_name(release.id, export_format)
    headers["content-disposition"] = f'attachment; filename="{filename}"'
    if request.method == "HEAD":  # the headers of the download, without reading the release
        return StreamingResponse(_nothing(), media_type=export_format.media_type, headers=headers)
    return StreamingResponse(
        export_chunks(request.app.state.connection, release, export_format),
        media_type=export_format.media_type,
        headers=headers,
    )


async def _nothing() -> AsyncIterator[bytes]:
    return
    yield b""
