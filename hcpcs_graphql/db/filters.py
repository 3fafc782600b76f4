"""Filters over the codes of a release, compiled to a SQL condition on the `code` table (alias
`c`) with its parameters. Every condition is two-valued (never NULL), so that `not` keeps the
codes whose field is blank."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from hcpcs_graphql.db.conditions import (
    NOC_SQL,
    TABLE_COLUMNS,
    TRUE,
    Condition,
    noc_json,
    status_sql,
)
from hcpcs_graphql.domain.code_tables import REGISTRY
from hcpcs_graphql.domain.layout import DETAIL_FIELDS
from hcpcs_graphql.domain.status import Status

MAX_VALUES = 100
"""Values in one `in` list."""
MAX_CONDITIONS = 50
"""Conditions in one filter, counting those nested in and / or / not."""
MAX_NESTING = 8
"""Filters nested in and / or / not: SQLite's parser overflows its stack at about 40 (`not`)."""


class FilterError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class ValueFilter:
    """Equal to `eq`, or to any of `in_` (both given: both must hold)."""

    eq: str | None = None
    in_: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class DateFilter:
    eq: datetime.date | None = None
    in_: tuple[datetime.date, ...] | None = None
    from_: datetime.date | None = None
    """On or after."""
    to: datetime.date | None = None
    """On or before."""
    is_null: bool | None = None


@dataclass(frozen=True, slots=True)
class StatusFilter:
    on: datetime.date
    eq: Status | None = None
    in_: tuple[Status, ...] | None = None


@dataclass(frozen=True, slots=True)
class CodeFilter:
    kind: ValueFilter | None = None
    code: ValueFilter | None = None
    code_prefix: ValueFilter | None = None
    pricing_indicator: ValueFilter | None = None
    multiple_pricing_indicator: ValueFilter | None = None
    coverage: ValueFilter | None = None
    betos: ValueFilter | None = None
    betos_category: ValueFilter | None = None
    type_of_service: ValueFilter | None = None
    lab_certification: ValueFilter | None = None
    action: ValueFilter | None = None
    processing_note: ValueFilter | None = None
    status: StatusFilter | None = None
    added_date: DateFilter | None = None
    action_effective_date: DateFilter | None = None
    termination_date: DateFilter | None = None
    has_cross_references: bool | None = None
    not_otherwise_classified: bool | None = None
    and_: tuple[CodeFilter, ...] = ()
    or_: tuple[CodeFilter, ...] | None = None
    """None: no `or`; empty: an `or` of no filters, which no code passes."""
    not_: CodeFilter | None = None


_VALUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "kind": ("c.kind",),
    "code": ("c.code",),
    **{
        table.filter_field: TABLE_COLUMNS[table.name]
        for table in REGISTRY
        if table.filter_field is not None
    },
}
_WIDTHS = {field.column: field.width for field in DETAIL_FIELDS}
# How many characters each value of a field has: the layout's width of its column (a CMS value
# fills its field: pricing indicator "00", processing note "0017"); a code has one to five.
_VALUE_WIDTHS: dict[str, range] = {
    name: range(width, width + 1)
    for name, columns in _VALUE_COLUMNS.items()
    if (width := _WIDTHS.get(columns[0].removeprefix("c."), 0))
}
_VALUE_WIDTHS.update(
    {
        table.filter_field: range(1, 2)
        for table in REGISTRY
        if table.category_of and table.filter_field is not None
    }
)
_VALUE_WIDTHS["code"] = range(1, 6)


def normalized_values(name: str, values: Sequence[str]) -> list[str]:
    """The values as the file holds them (upper case, without blanks around them); a value that
    no code can hold raises FilterError."""
    widths = _VALUE_WIDTHS.get(name)
    if widths is None:
        return list(values)
    found = []
    for value in values:
        plain = value.strip().upper()
        if len(plain) not in widths or not plain.isalnum():
            length = (
                f"{widths.start}" if len(widths) == 1 else f"{widths.start} to {widths.stop - 1}"
            )
            raise FilterError(
                f"{_client_name(name)}: {value!r} cannot match: its values are {length}"
                " characters long"
            )
        found.append(plain)
    return found


_DATE_COLUMNS = {
    "added_date": "add_dt",
    "action_effective_date": "act_eff_dt",
    "termination_date": "term_dt",
}


@dataclass(slots=True)
class _Compiler:
    count: int = 0
    depth: int = 0
    parameters: list[object] = field(default_factory=list)

    def condition(self, sql: str, *parameters: object) -> str:
        self.count += 1
        if self.count > MAX_CONDITIONS:
            raise FilterError(f"a filter may hold at most {MAX_CONDITIONS} conditions")
        self.parameters.extend(parameters)
        return sql

    def values(self, name: str, values: Sequence[object]) -> str:
        if not values:
            return "0"
        if len(values) > MAX_VALUES:
            raise FilterError(f"{_client_name(name)}: at most {MAX_VALUES} values in `in`")
        return ", ".join("?" for _ in values)

    def value_filter(self, name: str, value: ValueFilter) -> list[str]:
        columns = _VALUE_COLUMNS[name]
        parts = []
        for given in ([value.eq] if value.eq is not None else None, value.in_):
            if given is None:
                continue
            if not given:
                parts.append(self.condition("0"))
                continue
            placeholders = self.values(name, given)
            values = normalized_values(name, given)
            parts.append(
                self.condition(
                    "("
                    + " or ".join(f"coalesce({c} in ({placeholders}), 0)" for c in columns)
                    + ")",
                    *(list(values) * len(columns)),
                )
            )
        return parts

    def prefix_filter(self, value: ValueFilter) -> list[str]:
        parts = []
        for values in ([value.eq] if value.eq is not None else None, value.in_):
            if values is None:
                continue
            if len(values) > MAX_VALUES:
                raise FilterError(f"codePrefix: at most {MAX_VALUES} values in `in`")
            alternatives = [
                self.condition("(c.code >= ? and c.code < ?)", prefix, prefix + "\x7f")
                for prefix in (text.strip().upper() for text in values)
            ]
            parts.append("(" + (" or ".join(alternatives) or "0") + ")")
        return parts

    def date_filter(self, name: str, value: DateFilter) -> list[str]:
        column = f"c.{_DATE_COLUMNS[name]}"
        if value.from_ is not None and value.to is not None and value.from_ > value.to:
            raise FilterError(
                f"{_client_name(name)}: from {value.from_.isoformat()} is after to"
                f" {value.to.isoformat()}: no date lies in the range"
            )
        parts = []
        if value.eq is not None:
            parts.append(self.condition(f"coalesce({column} = ?, 0)", value.eq.isoformat()))
        if value.in_ is not None:
            placeholders = self.values(name, value.in_)
            parts.append(
                self.condition(
                    f"coalesce({column} in ({placeholders}), 0)",
                    *(day.isoformat() for day in value.in_),
                )
                if value.in_
                else self.condition("0")
            )
        if value.from_ is not None:
            parts.append(self.condition(f"coalesce({column} >= ?, 0)", value.from_.isoformat()))
        if value.to is not None:
            parts.append(self.condition(f"coalesce({column} <= ?, 0)", value.to.isoformat()))
        if value.is_null is not None:
            parts.append(self.condition(f"{column} is {'' if value.is_null else 'not '}null"))
        return parts

    def status_filter(self, value: StatusFilter) -> list[str]:
        wanted = [value.eq] if value.eq is not None else []
        parts = []
        for statuses in (wanted or None, value.in_):
            if statuses is None:
                continue
            day = value.on.isoformat()
            alternatives = [self.condition(*status_sql(status, day)) for status in statuses]
            parts.append("(" + (" or ".join(alternatives) or "0") + ")")
        return parts

    def compile(self, value: CodeFilter) -> str:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise FilterError(f"filters may be nested at most {MAX_NESTING} levels deep")
        try:
            return self._compile(value)
        finally:
            self.depth -= 1

    def _compile(self, value: CodeFilter) -> str:
        parts: list[str] = []
        for name in _VALUE_COLUMNS:
            found = getattr(value, name)
            if found is not None:
                parts.extend(self.value_filter(name, found))
        if value.code_prefix is not None:
            parts.extend(self.prefix_filter(value.code_prefix))
        for name in _DATE_COLUMNS:
            found = getattr(value, name)
            if found is not None:
                parts.extend(self.date_filter(name, found))
        if value.status is not None:
            parts.extend(self.status_filter(value.status))
        if value.has_cross_references is not None:
            parts.append(
                self.condition(f"c.xref1 is {'not ' if value.has_cross_references else ''}null")
            )
        if value.not_otherwise_classified is not None:
            negation = "" if value.not_otherwise_classified else "not "
            parts.append(self.condition(f"{negation}{NOC_SQL}", noc_json()))
        parts.extend(f"({self.compile(inner)})" for inner in value.and_)
        if value.or_ is not None:
            alternatives = [f"({self.compile(inner)})" for inner in value.or_]
            parts.append("(" + (" or ".join(alternatives) or "0") + ")")
        if value.not_ is not None:
            parts.append(f"not ({self.compile(value.not_)})")
        return " and ".join(parts) or "1"


def _client_name(name: str) -> str:
    """The name clients give a field in their filters: addedDate for added_date."""
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)


def compile_filter(value: CodeFilter | None) -> Condition:
    if value is None:
        return TRUE
    compiler = _Compiler()
    sql = compiler.compile(value)
    return Condition(sql, tuple(compiler.parameters))
