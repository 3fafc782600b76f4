"""Which release answers a field: the one named, the one in effect on a date, or the one in
effect today."""

from __future__ import annotations

import datetime

from hcpcs_graphql.db.rows import ReleaseRow
from hcpcs_graphql.resolvers.context import Context
from hcpcs_graphql.resolvers.errors import BadReleaseChoiceError, UnknownReleaseError


def choose_release(
    context: Context, release: str | None = None, as_of: datetime.date | None = None
) -> ReleaseRow:
    catalog = context.catalog
    if release is not None and as_of is not None:
        raise BadReleaseChoiceError("give either release or asOf, not both")
    if release is not None:
        found = catalog.release(release)
    elif as_of is not None:
        in_effect = catalog.in_effect(as_of)
        if in_effect is None:
            oldest = catalog.default(as_of)  # none is in effect: the oldest (or none loaded)
            raise UnknownReleaseError(
                f"no loaded release is in effect on {as_of.isoformat()}; the oldest, "
                f"{oldest.id}, takes effect on {oldest.effective_date.isoformat()}"
            )
        found = in_effect
    else:
        found = catalog.default(context.today)
    context.answered[found.id] = None
    return found
