"""The content tag of a loaded release: what its answers depend on besides the request (its
source files and this program, which fixes every format). A release loaded again with CMS's
corrections has other files, so another tag. A client that pins a release by id and by this tag
gets answers that cannot change: those may be cached for a year."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from hcpcs_graphql import __version__
from hcpcs_graphql.db.rows import ReleaseRow

HEADER = "hcpcs-release-content"
"""The response header naming the content tag of each release an answer read."""
EXTENSION = "releaseContent"
"""The request extension a client pins content tags with: `{"2026-01": TAG}`."""
EXPORT_PARAMETER = "content"
"""The query parameter of an export's URL that pins its release's content tag."""


def content_tag(release: ReleaseRow) -> str:
    content = [release.id, sorted(file.sha256 for file in release.files), __version__]
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()[:16]


def header_value(tags: dict[str, str], releases: Iterable[str]) -> str:
    """`2026-01=TAG, 2025-10=TAG` for the releases that are loaded."""
    return ", ".join(f"{release}={tags[release]}" for release in releases if release in tags)
