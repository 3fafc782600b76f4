"""Relay global object ids: a code of a release as one opaque id, so that client caches (Apollo,
Relay) merge the same code across queries without configuration."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

from hcpcs_graphql.db.rows import CodeRow
from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.services.codes import MAX_CODES
from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.errors import ClientError

_CODE = "Code"


def code_id(release_id: str, code: str) -> str:
    return base64.urlsafe_b64encode(f"{_CODE}:{release_id}:{code}".encode()).decode()


def parse_code_id(value: str) -> tuple[str, str]:
    """The release and the code of an id that code_id gave."""
    try:
        text = base64.urlsafe_b64decode(value.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise ClientError(ErrorCode.BAD_ID, f"not an id this API gave: {value[:40]!r}") from None
    kind, _, rest = text.partition(":")
    release_id, _, code = rest.partition(":")
    if kind != _CODE or not release_id or not code:
        raise ClientError(ErrorCode.BAD_ID, f"not an id this API gave: {value[:40]!r}")
    return release_id, code


async def nodes(context: Context, ids: Sequence[str]) -> list[CodeRow | None]:
    """The code of each id; None for a release that is not loaded (or no longer)."""
    if len(ids) > MAX_CODES:
        raise ClientError(
            ErrorCode.TOO_MANY_CODES, f"nodes takes at most {MAX_CODES} ids; {len(ids)} were given"
        )
    keys = [parse_code_id(value) for value in ids]
    loaded = {release.id for release in context.catalog.releases}
    for release_id, _ in keys:
        if release_id in loaded:
            context.answered[release_id] = None
    found = await context.loaders.code.load_many([key for key in keys if key[0] in loaded])
    rows = iter(found)
    return [next(rows) if key[0] in loaded else None for key in keys]
