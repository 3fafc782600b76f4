"""A code's status on a date."""

from __future__ import annotations

import datetime

import strawberry

from hcpcs_graphql.domain.status import Status
from hcpcs_graphql.schema.enums import graphql_enum

graphql_enum(
    Status,
    name="CodeStatus",
    description="Whether a code is in effect on a date, judged from its own dates.",
)


@strawberry.type(description="A code's status on a date, judged from its own dates.")
class CodeStatusOnDate:
    status: Status = strawberry.field(description="Active, discontinued or not yet effective.")
    on: datetime.date = strawberry.field(description="The date the status is judged on.")
    added_date: datetime.date | None = strawberry.field(
        description="When the code took effect (ADD_DT)."
    )
    termination_date: datetime.date | None = strawberry.field(
        description="The last day the code is valid (TERM_DT); null while it is valid."
    )
