"""A set of codes of one release (a filtered listing or a search) as SQL, and what can be asked
of it: one page in an order, its size, and facet counts. Each is one statement."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import aiosqlite

from hcpcs_graphql.db.conditions import NOC_SQL, STATUS_SQL, TABLE_COLUMNS, Condition, noc_json
from hcpcs_graphql.db.queries import code_row
from hcpcs_graphql.db.rows import CodeRow
from hcpcs_graphql.db.tables import CODE_COLUMNS
from hcpcs_graphql.domain.code_tables import REGISTRY
from hcpcs_graphql.domain.described import DescribedEnum
from hcpcs_graphql.domain.status import Status

_COLUMNS = ", ".join(f"c.{column}" for column in CODE_COLUMNS)


class OrderField(DescribedEnum):
    CODE = "code", "The code."
    ADDED_DATE = "add_dt", "ADD_DT."
    ACTION_EFFECTIVE_DATE = "act_eff_dt", "ACT_EFF_DT."
    TERMINATION_DATE = "term_dt", "TERM_DT."
    SHORT_DESCRIPTION = "short_description", "The short description."


@dataclass(frozen=True, slots=True)
class Order:
    field: OrderField
    descending: bool = False


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


Statement = tuple[str, tuple[object, ...]]


@dataclass(frozen=True, slots=True)
class Listing:
    """The codes of a release that satisfy a condition, in the order asked for."""

    release_id: str
    condition: Condition
    orders: tuple[Order, ...] = ()

    def source(self) -> Statement:
        return (
            f"select c.* from code c where c.release_id = ? and ({self.condition.sql})",
            (self.release_id, *self.condition.parameters),
        )

    def page(self, limit: int, offset: int) -> Statement:
        return (
            f"select {_COLUMNS}, 0 from code c where c.release_id = ? and ({self.condition.sql})"
            f" order by {order_sql(self.orders)} limit ? offset ?",
            (self.release_id, *self.condition.parameters, limit, offset),
        )

    def count(self) -> Statement:
        sql, parameters = self.source()
        return f"select count(*) from ({sql})", parameters


@dataclass(frozen=True, slots=True)
class Ranked:
    """Codes chosen and ranked by a search: `keys` selects (id, tier, score), the rowid of each
    code in `code` with its rank (lower first); ties go by rowid, which is code order within a
    release. `counted` selects the same ids without computing the rank."""

    keys: str
    counted: str
    parameters: tuple[object, ...]
    condition: Condition
    counted_parameters: tuple[object, ...] = ()

    def _restricted(self, keys: str, parameters: tuple[object, ...]) -> Statement:
        if self.condition.sql == "1":
            return keys, parameters
        return (
            f"select k.* from ({keys}) k join code c on c.rowid = k.id"
            f" where ({self.condition.sql})",
            (*parameters, *self.condition.parameters),
        )

    def source(self) -> Statement:
        keys, parameters = self._restricted(self.keys, self.parameters)
        return f"select c.* from ({keys}) k join code c on c.rowid = k.id", parameters

    def page(self, limit: int, offset: int) -> Statement:
        # Rank and cut the page first; read the wide code rows of the page only.
        keys, parameters = self._restricted(self.keys, self.parameters)
        return (
            f"select {_COLUMNS}, k.tier from ("
            f"select * from ({keys}) order by tier, score, id limit ? offset ?"
            ") k join code c on c.rowid = k.id order by k.tier, k.score, k.id",
            (*parameters, limit, offset),
        )

    def count(self) -> Statement:
        keys, parameters = self._restricted(self.counted, self.counted_parameters)
        return f"select count(*) from ({keys})", parameters


CodeSet = Listing | Ranked


@dataclass(frozen=True, slots=True)
class RankedRow:
    row: CodeRow
    tier: int


async def page(
    connection: aiosqlite.Connection, codes: CodeSet, limit: int, offset: int
) -> list[RankedRow]:
    rows = await connection.execute_fetchall(*codes.page(limit, offset))
    return [RankedRow(code_row(values[:-1]), int(values[-1])) for values in rows]


async def count(connection: aiosqlite.Connection, codes: CodeSet) -> int:
    rows = await connection.execute_fetchall(*codes.count())
    return int(next(iter(rows))[0])


def _carried(facet: str) -> tuple[str, ...]:
    """The columns (of `f`) that carry the facet's code table (code_tables.py)."""
    table = next(table for table in REGISTRY if table.facet == facet)
    if table.category_of is not None:
        return tuple(f"substr(f.{column}, 1, 1)" for column in table.columns)
    return table.columns


class Facet(Enum):
    KIND = ("kind",)
    BETOS = _carried("BETOS")
    BETOS_CATEGORY = _carried("BETOS_CATEGORY")
    TYPE_OF_SERVICE = _carried("TYPE_OF_SERVICE")
    PRICING_INDICATOR = _carried("PRICING_INDICATOR")
    COVERAGE = _carried("COVERAGE")
    ACTION = _carried("ACTION")
    STATUS = ("status",)
    NOT_OTHERWISE_CLASSIFIED = ("noc",)


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


def _facet_sql(facet: Facet, by: str = "") -> str:
    """Counts by the facet's values in `f`; BY ("f.carried, ") counts each group apart."""
    columns = [c if "(" in c or c in _COMPUTED else f"f.{c}" for c in facet.value]
    if len(columns) == 1:
        return f"select {by}'{facet.name}', {columns[0]}, count(*) from f group by {by}{columns[0]}"
    # A code counts once in each bucket of its values, and once in the blank bucket if it has
    # no value at all. Grouped, the blank bucket is left out when every code has a value, as
    # the single-column facets leave it out.
    values = ", ".join(columns)
    return (
        f"select {by}'{facet.name}', j.value, count(distinct f.code)"
        f" from f, json_each(json_array({values})) j where j.value is not null"
        f" group by {by}j.value"
        f" union all select {by}'{facet.name}', null, count(*) from f"
        f" where coalesce({values}) is null group by {by}coalesce({values})"
    )


_STATUS = (
    f"case when {STATUS_SQL[Status.NOT_YET_EFFECTIVE]} then 'NOT_YET_EFFECTIVE'"
    f" when {STATUS_SQL[Status.DISCONTINUED]} then 'DISCONTINUED' else 'ACTIVE' end as status,"
    f" case when {NOC_SQL} then 'true' else 'false' end as noc"
)
_COMPUTED = ("status", "noc")
"""The columns of `f` that _STATUS computes."""


async def facet_counts(
    connection: aiosqlite.Connection, codes: CodeSet, facets: Sequence[Facet], on: str
) -> list[FacetCount]:
    """Counts of the set's codes by each facet's values; STATUS is judged on the date ON."""
    if not facets:
        return []
    source, parameters = codes.source()
    sql = (
        f"with f as materialized (select {_FACET_COLUMNS}, {_STATUS} from ({source}) c) "
        + " union all ".join(_facet_sql(facet) for facet in facets)
    )
    rows = await connection.execute_fetchall(sql, (on, on, noc_json(), *parameters))
    return [FacetCount(Facet[name], value, int(total)) for name, value, total in rows]


async def facet_counts_by_value(
    connection: aiosqlite.Connection,
    release_id: str,
    table: str,
    values: Sequence[str],
    facets: Sequence[Facet],
    on: str,
) -> dict[str, list[FacetCount]]:
    """For each value of a code table, the facet counts of the release's codes that carry it
    (as facet_counts gives them for one value): one statement for all the values."""
    found: dict[str, list[FacetCount]] = {value: [] for value in values}
    if not facets or not values:
        return found
    # Each code once with each value it carries (a value held in two columns counts once).
    carried = ", ".join(TABLE_COLUMNS[table])
    sql = (
        f"with f as materialized (select j.value as carried, {_FACET_COLUMNS}, {_STATUS}"
        f" from code c, json_each(json_array({carried})) j"
        " where c.release_id = ? and j.value in (select value from json_each(?))"
        " group by c.rowid, j.value) "
        + " union all ".join(_facet_sql(facet, by="f.carried, ") for facet in facets)
    )
    rows = await connection.execute_fetchall(
        sql, (on, on, noc_json(), release_id, json.dumps(list(values)))
    )
    for value, name, bucket, total in rows:
        found[value].append(FacetCount(Facet[name], bucket, int(total)))
    return found


@dataclass(frozen=True, slots=True)
class ValuePage:
    """One page of the codes that carry a value of a code table, and how many carry it."""

    rows: list[CodeRow]
    total: int


async def pages_by_value(
    connection: aiosqlite.Connection,
    release_id: str,
    table: str,
    values: Sequence[str],
    *,
    limit: int,
    offset: int,
) -> dict[str, ValuePage]:
    """For each value, a page of the release's codes that carry it (by code) and their number:
    one statement for all the values."""
    # One pass over the release: each code with each of its values (a value held in two
    # columns counts once), numbered by code within each value. The first code of each value
    # always comes back, so that its total is known even past the last page.
    carried = ", ".join(TABLE_COLUMNS[table])
    rows = await connection.execute_fetchall(
        f"select {_COLUMNS}, p.value, p.number, p.total from ("
        " select c.rowid as code_rowid, j.value as value,"
        " row_number() over (partition by j.value order by c.code) as number,"
        " count(*) over (partition by j.value) as total"
        f" from code c, json_each(json_array({carried})) j"
        " where c.release_id = ? and j.value in (select value from json_each(?))"
        " group by c.rowid, j.value"
        ") p join code c on c.rowid = p.code_rowid"
        " where p.number = 1 or (p.number > ? and p.number <= ?) order by p.value, p.number",
        (release_id, json.dumps(list(values)), offset, offset + limit),
    )
    pages = {value: ValuePage([], 0) for value in values}
    for found in rows:
        value, number, total = found[-3], int(found[-2]), int(found[-1])
        page = pages[value]
        if offset < number <= offset + limit:
            page.rows.append(code_row(found[:-3]))
        pages[value] = ValuePage(page.rows, total)
    return pages
