"""A code's status on a date."""

from __future__ import annotations

import datetime
from enum import Enum

import strawberry


@strawberry.enum(description="Whether a code is in effect on a date, judged from its own dates.")
class CodeStatus(Enum):
    ACTIVE = strawberry.enum_value(
        "ACTIVE", description="Added on or before the date, not terminated before it."
    )
    DISCONTINUED = strawberry.enum_value(
        "DISCONTINUED", description="Its termination date (last valid day) is before the date."
    )
    NOT_YET_EFFECTIVE = strawberry.enum_value(
        "NOT_YET_EFFECTIVE", description="Its added date is after the date."
    )


@strawberry.type(description="A code's status on a date, judged from its own dates.")
class CodeStatusOnDate:
    status: CodeStatus = strawberry.field(description="Active, discontinued or not yet effective.")
    on: datetime.date = strawberry.field(description="The date the status is judged on.")
    added_date: datetime.date | None = strawberry.field(
        description="When the code took effect (ADD_DT)."
    )
    termination_date: datetime.date | None = strawberry.field(
        description="The last day the code is valid (TERM_DT); null while it is valid."
    )
