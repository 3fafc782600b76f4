"""Looking codes up by their code."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from hcpcs_graphql.db.rows import CodeRow
from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.errors import ClientError
from hcpcs_graphql.services.loaders import known_rows
from hcpcs_graphql.services.releases import choose_release

MAX_CODES = 100


def normalize_code(text: str) -> str:
    """Codes are upper case; clients may type them in any case, with stray blanks."""
    return text.strip().upper()


async def code(
    context: Context, code: str, release: str | None, as_of: datetime.date | None = None
) -> CodeRow | None:
    key = (choose_release(context, release, as_of).id, normalize_code(code))
    known = known_rows(context.catalog, [key])
    return known[0] if known is not None else await context.loaders.code.load(key)


async def codes(
    context: Context,
    codes: Sequence[str],
    release: str | None,
    as_of: datetime.date | None = None,
) -> list[CodeRow | None]:
    if len(codes) > MAX_CODES:
        raise ClientError(
            ErrorCode.TOO_MANY_CODES,
            f"codes takes at most {MAX_CODES} codes per request; {len(codes)} were given",
        )
    release_id = choose_release(context, release, as_of).id
    keys = [(release_id, normalize_code(code)) for code in codes]
    known = known_rows(context.catalog, keys)
    return known if known is not None else await context.loaders.code.load_many(keys)
