"""A code's status on a day, judged from its own dates."""

from __future__ import annotations

import datetime
from enum import auto

from hcpcs_graphql.domain.described import DescribedEnum


class Status(DescribedEnum):
    ACTIVE = auto(), "Added on or before the date, not terminated before it."
    DISCONTINUED = auto(), "Its termination date (last valid day) is before the date."
    NOT_YET_EFFECTIVE = auto(), "Its added date is after the date."


def status_on(
    added: datetime.date | None, terminated: datetime.date | None, day: datetime.date
) -> Status:
    """A code's status on a day, from its own dates: in effect from ADD_DT through TERM_DT (the
    last valid day). The same rule as the status filter's SQL."""
    if added is not None and added > day:
        return Status.NOT_YET_EFFECTIVE
    if terminated is not None and terminated < day:
        return Status.DISCONTINUED
    return Status.ACTIVE
