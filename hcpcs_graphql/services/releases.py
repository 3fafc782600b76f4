"""Which release answers a field: the one named, the one in effect on a date, or the one in
effect today."""

from __future__ import annotations

import datetime

from hcpcs_graphql.db.rows import ReleaseRow
from hcpcs_graphql.domain.calendar import release_for
from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.errors import (
    ClientError,
    StaleRelease,
    UnknownReleaseError,
)


def stale(catalog: Catalog, day: datetime.date, found: ReleaseRow) -> StaleRelease | None:
    """A warning when CMS has a release in effect on the day that is newer than any loaded."""
    expected = release_for(day)
    if catalog.releases and expected > catalog.releases[0].id:
        return StaleRelease(day, expected, found.id)
    return None


def choose_release(
    context: Context, release: str | None = None, as_of: datetime.date | None = None
) -> ReleaseRow:
    catalog = context.catalog
    if release is not None and as_of is not None:
        raise ClientError(ErrorCode.BAD_RELEASE_CHOICE, "give either release or asOf, not both")
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
    if release is None:
        warning = stale(catalog, as_of or context.today, found)
        if warning is not None:
            context.warnings[warning] = None
    context.answered[found.id] = None
    return found
