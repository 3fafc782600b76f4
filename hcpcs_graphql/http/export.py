"""GET /export/{release}.csv and /export/{release}.ndjson: one release, streamed as it is read
(db/export.py), never held whole in memory. Its ETag is the hash of the release's source files
and this program's version (which fixes the format), so a client that has it gets 304. A release
loaded again with CMS's corrections changes: the download is cached for a year (`immutable`)
only when its URL pins the release's content tag (`?content=TAG`, content.py), a short time
otherwise. The first chunk is read before the answer starts, so that a damaged database is a 503
rather than a 200 that dies; a failure later aborts the connection, which no cache keeps."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sqlite3
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from hcpcs_graphql import __version__
from hcpcs_graphql.db.export import export_chunks
from hcpcs_graphql.db.health import changed
from hcpcs_graphql.db.rows import ReleaseRow
from hcpcs_graphql.domain.export_format import ExportFormat, export_name
from hcpcs_graphql.http.content import EXPORT_PARAMETER, content_tag
from hcpcs_graphql.http.errors import error_response
from hcpcs_graphql.http.middleware.caching import IMMUTABLE, entity_tags
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.errors import UnknownReleaseError

logger = logging.getLogger("hcpcs_graphql")


def export_etag(release: ReleaseRow, export_format: ExportFormat) -> str:
    content = [release.id, sorted(file.sha256 for file in release.files), __version__]
    key = json.dumps([*content, export_format.value])
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


async def export(request: Request) -> Response:
    name: str = request.path_params["name"]
    release_id, dot, suffix = name.rpartition(".")
    export_format = ExportFormat.from_suffix(suffix) if dot else None
    if export_format is None:
        return error_response(
            404, f"No export {name!r}: ask for /export/RELEASE.csv or /export/RELEASE.ndjson"
        )
    catalog: Catalog = request.app.state.catalog
    try:
        release = catalog.release(release_id)
    except UnknownReleaseError as error:
        return error_response(404, f"No export: {error}", error.code)
    etag = export_etag(release, export_format)
    pinned = request.query_params.get(EXPORT_PARAMETER) == content_tag(release)
    short = f"public, max-age={request.app.state.settings.cache_seconds}"
    headers = {"etag": etag, "cache-control": IMMUTABLE if pinned else short}
    tags = entity_tags(request.headers.get("if-none-match", ""))
    if etag in tags or "*" in tags:
        return Response(status_code=304, headers=headers)
    filename = export_name(release.id, export_format)
    headers["content-disposition"] = f'attachment; filename="{filename}"'
    if request.method == "HEAD":  # the headers of the download, without reading the release
        return StreamingResponse(_nothing(), media_type=export_format.media_type, headers=headers)
    state = request.app.state
    damage = changed(state.db_path, state.db_identity)
    chunks = export_chunks(state.connection, release, export_format)
    try:
        if damage is None:
            first = await anext(chunks)
    except (sqlite3.Error, ValueError) as error:
        damage = str(error)
    if damage is not None:
        logger.error("export of %s refused: %s", release.id, damage)
        return error_response(503, "The release cannot be read: the database is damaged.")
    return ExportStream(
        _streamed(release.id, first, chunks), media_type=export_format.media_type, headers=headers
    )


class _Aborted(Exception):
    pass


async def _streamed(
    release_id: str, first: bytes, rest: AsyncIterator[bytes]
) -> AsyncIterator[bytes]:
    yield first
    try:
        async for chunk in rest:
            yield chunk
    except (sqlite3.Error, ValueError) as error:
        logger.error("export of %s stopped: %s", release_id, error)
        raise _Aborted from None


class ExportStream(StreamingResponse):
    """A failure while the export streams ends it unfinished: the server closes the connection
    without the last chunk, so that neither the client nor a cache takes a cut file for the
    whole (and the log has one line, not a traceback)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with contextlib.suppress(_Aborted):
            await super().__call__(scope, receive, send)


async def _nothing() -> AsyncIterator[bytes]:
    return
    yield b""
