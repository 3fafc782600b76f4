"""A set of codes of one release (a filtered listing or a search) as SQL, and what can be asked
of it: one page in an order, its size, and facet counts. Each is one statement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import aiosqlite

from hcpcs_graphql.db.filters import Condition
from hcpcs_graphql.db.queries import code_row
from hcpcs_graphql.db.rows import CodeRow
from hcpcs_graphql.db.schema import CODE_COLUMNS

_COLUMNS = ", ".join(f"c.{column}" for column in CODE_COLUMNS)


class OrderField(Enum):
    CODE = "code"
    ADDED_DATE = "add_dt"
    ACTION_EFFECTIVE_DATE = "act_eff_dt"
    TERMINATION_DATE = "term_dt"
    SHORT_DESCRIPTION = "short_description"


@dataclass(frozen=True, slots=True)
class Order:
    field: OrderField
    descending: bool = False


RANK_ORDER = "c.tier, c.score, c.code"


def order_sql(orders: Sequence[Order]) -> str:
    # Blank values last in either direction; the code, unique in a release, makes it total.
    keys = [
        f"c.{column} is null, c.{column} {'desc' if order.descending else 'asc'}"
        for order in orders
        for column in [order.field.value]
    ]
    if all(order.field is not OrderField.CODE for order in orders):
        keys.append("c.code asc")
    return ", ".join(keys)


@dataclass(frozen=True, slots=True)
class CodeSet:
    sql: str
    """A select of `code` rows with two more columns, tier and score (the search rank)."""
    parameters: tuple[object, ...]


def filtered(release_id: str, condition: Condition) -> CodeSet:
    return CodeSet(
        "select c.*, 0 as tier, 0.0 as score from code c"
        f" where c.release_id = ? and ({condition.sql})",
        (release_id, *condition.parameters),
    )


@dataclass(frozen=True, slots=True)
class RankedRow:
    row: CodeRow
    tier: int


async def page(
    connection: aiosqlite.Connection, codes: CodeSet, order: str, limit: int, offset: int
) -> list[RankedRow]:
    rows = await connection.execute_fetchall(
        f"select {_COLUMNS}, c.tier from ({codes.sql}) c order by {order} limit ? offset ?",
        (*codes.parameters, limit, offset),
    )
    return [RankedRow(code_row(values[:-1]), int(values[-1])) for values in rows]


async def count(connection: aiosqlite.Connection, codes: CodeSet) -> int:
    rows = await connection.execute_fetchall(
        f"select count(*) from ({codes.sql})", codes.parameters
    )
    return int(next(iter(rows))[0])


class Facet(Enum):
    KIND = ("kind",)
    BETOS = ("betos",)
    BETOS_CATEGORY = ("substr(f.betos, 1, 1)",)
    TYPE_OF_SERVICE = ("tos1", "tos2", "tos3", "tos4", "tos5")
    PRICING_INDICATOR = ("price1", "price2", "price3", "price4")
    COVERAGE = ("cov",)
    ACTION = ("action_cd",)
    STATUS = ("status",)


@dataclass(frozen=True, slots=True)
class FacetCount:
    facet: Facet
    value: str | None
    """None counts the codes without a value."""
    count: int


_FACET_COLUMNS = ", ".join(
    f"c.{column}"
    for column in (
        "code", "kind", "betos", "cov", "action_cd",
        *Facet.TYPE_OF_SERVICE.value, *Facet.PRICING_INDICATOR.value,
    )
)  # fmt: skip


def _facet_sql(facet: Facet) -> str:
    columns = [c if "(" in c or c == "status" else f"f.{c}" for c in facet.value]
    if len(columns) == 1:
        return f"select '{facet.name}', {columns[0]}, count(*) from f group by {columns[0]}"
    # A code counts once in each bucket of its values, and once in the blank bucket if it has
    # no value at all.
    values = ", ".join(columns)
    return (
        f"select '{facet.name}', j.value, count(distinct f.code)"
        f" from f, json_each(json_array({values})) j where j.value is not null group by j.value"
        f" union all select '{facet.name}', null, count(*) from f"
        f" where coalesce({values}) is null"
    )


async def facet_counts(
    connection: aiosqlite.Connection, codes: CodeSet, facets: Sequence[Facet], on: str
) -> list[FacetCount]:
    """Counts of the set's codes by each facet's values; STATUS is judged on the date ON."""
    if not facets:
        return []
    status = (
        "case when coalesce(c.add_dt > ?, 0) then 'NOT_YET_EFFECTIVE'"
        " when coalesce(c.term_dt < ?, 0) then 'DISCONTINUED' else 'ACTIVE' end as status"
    )
    sql = (
        f"with f as materialized (select {_FACET_COLUMNS}, {status} from ({codes.sql}) c) "
        + " union all ".join(_facet_sql(facet) for facet in facets)
    )
    rows = await connection.execute_fetchall(sql, (on, on, *codes.parameters))
    return [FacetCount(Facet[name], value, int(total)) for name, value, total in rows]
