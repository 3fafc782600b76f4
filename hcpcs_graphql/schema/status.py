"""A code's status on a date: the type and the resolver of `Code.status`."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from hcpcs_graphql.domain.status import Status, status_on
from hcpcs_graphql.schema.enums import graphql_enum
from hcpcs_graphql.services.context import Info

if TYPE_CHECKING:
    from hcpcs_graphql.schema.code import Code

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


def status_on_date(
    root: Code,
    info: Info,
    on: Annotated[
        datetime.date | None,
        strawberry.argument(description="The date, e.g. a date of service; today when omitted."),
    ] = None,
) -> CodeStatusOnDate:
    day = on or info.context.today
    return CodeStatusOnDate(
        status=status_on(root.added_date, root.termination_date, day),
        on=day,
        added_date=root.added_date,
        termination_date=root.termination_date,
    )
