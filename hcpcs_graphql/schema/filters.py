"""Filter and order inputs of the listings, and their translation to the db layer's filter."""

from __future__ import annotations

import datetime
from enum import Enum

import strawberry

from hcpcs_graphql.db import filters
from hcpcs_graphql.db.codeset import Order, OrderField
from hcpcs_graphql.domain.records import Kind
from hcpcs_graphql.domain.status import Status
from hcpcs_graphql.schema.enums import graphql_enum


def _values(values: list[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)


@strawberry.input(
    name="ValueFilter",
    description="Equal to `eq`, or to any of `in` (given both, both must hold). Values are "
    "compared exactly as CMS writes them.",
)
class ValueFilterInput:
    eq: str | None = strawberry.field(default=None, description="The value.")
    in_: list[str] | None = strawberry.field(
        default=None, name="in", description="Any of these values (at most 100)."
    )

    def to_filter(self) -> filters.ValueFilter:
        return filters.ValueFilter(eq=self.eq, in_=_values(self.in_))


@strawberry.input(description="Procedure codes or modifiers.")
class KindFilter:
    eq: Kind | None = strawberry.field(default=None, description="The kind.")
    in_: list[Kind] | None = strawberry.field(
        default=None, name="in", description="Any of these kinds."
    )

    def to_filter(self) -> filters.ValueFilter:
        return filters.ValueFilter(
            eq=None if self.eq is None else self.eq.value,
            in_=None if self.in_ is None else tuple(kind.value for kind in self.in_),
        )


@strawberry.input(description="The status of codes on a date.")
class StatusFilter:
    on: datetime.date | None = strawberry.field(
        default=None, description="The date the status is judged on; today when omitted."
    )
    eq: Status | None = strawberry.field(default=None, description="The status.")
    in_: list[Status] | None = strawberry.field(
        default=None, name="in", description="Any of these statuses."
    )

    def to_filter(self, today: datetime.date) -> filters.StatusFilter:
        return filters.StatusFilter(
            on=self.on or today,
            eq=None if self.eq is None else self.eq,
            in_=None if self.in_ is None else tuple(self.in_),
        )


@strawberry.input(
    description="A date field: equal to a date, any of several, within a range (inclusive), or "
    "blank; given several, all must hold."
)
class DateFilter:
    eq: datetime.date | None = strawberry.field(default=None, description="The date.")
    in_: list[datetime.date] | None = strawberry.field(
        default=None, name="in", description="Any of these dates."
    )
    from_: datetime.date | None = strawberry.field(
        default=None, name="from", description="On or after this date."
    )
    to: datetime.date | None = strawberry.field(default=None, description="On or before this date.")
    is_null: bool | None = strawberry.field(
        default=None, description="true: the field is blank; false: it is not."
    )

    def to_filter(self) -> filters.DateFilter:
        return filters.DateFilter(
            eq=self.eq,
            in_=None if self.in_ is None else tuple(self.in_),
            from_=self.from_,
            to=self.to,
            is_null=self.is_null,
        )


def _value(found: ValueFilterInput | None) -> filters.ValueFilter | None:
    return None if found is None else found.to_filter()


def _date(found: DateFilter | None) -> filters.DateFilter | None:
    return None if found is None else found.to_filter()


@strawberry.input(
    description="Which codes to keep. Every field given must hold; a field that looks at "
    "several columns (pricing indicator, type of service, lab certification) holds when any "
    "column does. Combine filters with `and`, `or` and `not`."
)
class CodeFilter:
    kind: KindFilter | None = strawberry.field(default=None, description="Procedure or modifier.")
    code: ValueFilterInput | None = strawberry.field(default=None, description="The code itself.")
    code_prefix: ValueFilterInput | None = strawberry.field(
        default=None, description="The code starts with the text (any case), e.g. J90."
    )
    pricing_indicator: ValueFilterInput | None = strawberry.field(
        default=None, description="Any of PRICE1-4."
    )
    multiple_pricing_indicator: ValueFilterInput | None = strawberry.field(
        default=None, description="MULT_PI."
    )
    coverage: ValueFilterInput | None = strawberry.field(default=None, description="COV.")
    betos: ValueFilterInput | None = strawberry.field(default=None, description="BETOS code.")
    betos_category: ValueFilterInput | None = strawberry.field(
        default=None, description="BETOS category: the first letter of the BETOS code."
    )
    type_of_service: ValueFilterInput | None = strawberry.field(
        default=None, description="Any of TOS1-5."
    )
    lab_certification: ValueFilterInput | None = strawberry.field(
        default=None, description="Any of LABCERT1-8."
    )
    action: ValueFilterInput | None = strawberry.field(default=None, description="ACTION_CD.")
    processing_note: ValueFilterInput | None = strawberry.field(
        default=None, description="PROCNOTE."
    )
    status: StatusFilter | None = strawberry.field(default=None, description="Status on a date.")
    added_date: DateFilter | None = strawberry.field(default=None, description="ADD_DT.")
    action_effective_date: DateFilter | None = strawberry.field(
        default=None, description="ACT_EFF_DT."
    )
    termination_date: DateFilter | None = strawberry.field(default=None, description="TERM_DT.")
    has_cross_references: bool | None = strawberry.field(
        default=None, description="true: the code has a cross-reference; false: it has none."
    )
    not_otherwise_classified: bool | None = strawberry.field(
        default=None,
        description="true: the code is on CMS's list of not otherwise classified (NOC) codes; "
        "false: it is not.",
    )
    and_: list[CodeFilter] | None = strawberry.field(
        default=None, name="and", description="Every one of these filters holds."
    )
    or_: list[CodeFilter] | None = strawberry.field(
        default=None, name="or", description="At least one of these filters holds."
    )
    not_: CodeFilter | None = strawberry.field(
        default=None, name="not", description="This filter does not hold."
    )

    def to_filter(self, today: datetime.date) -> filters.CodeFilter:
        """The filter, with TODAY for statuses given without their date."""
        prefix = _value(self.code_prefix)
        return filters.CodeFilter(
            kind=None if self.kind is None else self.kind.to_filter(),
            code=_value(self.code),
            code_prefix=prefix,
            pricing_indicator=_value(self.pricing_indicator),
            multiple_pricing_indicator=_value(self.multiple_pricing_indicator),
            coverage=_value(self.coverage),
            betos=_value(self.betos),
            betos_category=_value(self.betos_category),
            type_of_service=_value(self.type_of_service),
            lab_certification=_value(self.lab_certification),
            action=_value(self.action),
            processing_note=_value(self.processing_note),
            status=None if self.status is None else self.status.to_filter(today),
            added_date=_date(self.added_date),
            action_effective_date=_date(self.action_effective_date),
            termination_date=_date(self.termination_date),
            has_cross_references=self.has_cross_references,
            not_otherwise_classified=self.not_otherwise_classified,
            and_=tuple(inner.to_filter(today) for inner in self.and_ or ()),
            or_=None if self.or_ is None else tuple(inner.to_filter(today) for inner in self.or_),
            not_=code_filter(self.not_, today),
        )


def code_filter(found: CodeFilter | None, today: datetime.date) -> filters.CodeFilter | None:
    """The db layer's filter of a `filter` argument (None keeps every code), with TODAY for
    statuses given without their date."""
    return None if found is None else found.to_filter(today)


graphql_enum(OrderField, name="CodeOrderField", description="What to order codes by.")


@strawberry.enum(description="Ascending or descending.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("ASC", description="Smallest first.")
    DESC = strawberry.enum_value("DESC", description="Largest first.")


@strawberry.input(
    description="One key of the order; blank values come last either way, and the code breaks "
    "every tie."
)
class CodeOrder:
    field: OrderField = strawberry.field(description="What to order by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending (the default) or descending."
    )

    def to_order(self) -> Order:
        return Order(self.field, self.direction is OrderDirection.DESC)
