"""SQL conditions on the code `c` that the filters, search, code sets and look-ups share: the
columns carrying each code table's values, the status of a code on a day, CMS's NOC list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from hcpcs_graphql.domain.code_tables import REGISTRY
from hcpcs_graphql.domain.noc import noc_codes
from hcpcs_graphql.domain.status import Status


@dataclass(frozen=True, slots=True)
class Condition:
    sql: str
    parameters: tuple[object, ...] = ()


TRUE = Condition("1")

# The column expressions (on the alias c) that carry the values of each code table; a code
# carries a value when any of them holds it.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    table.name: (
        tuple(f"substr(c.{column}, 1, 1)" for column in table.columns)
        if table.category_of
        else tuple(f"c.{column}" for column in table.columns)
    )
    for table in REGISTRY
    if table.columns
}


NOC_SQL = "c.code in (select value from json_each(?))"
"""Whether the code `c` is on CMS's list of NOC codes, given as a JSON array (noc_json)."""


@cache
def noc_json() -> str:
    # The list never changes while the process runs; dumping it took a search 0.5 ms.
    return json.dumps(sorted(noc_codes()))


# A code is in effect from its added date through its termination date (the last valid day):
# each status as a condition on the code `c`, the day given once for each `?`.
STATUS_SQL = {
    Status.NOT_YET_EFFECTIVE: "coalesce(c.add_dt > ?, 0)",
    Status.DISCONTINUED: "coalesce(c.term_dt < ?, 0)",
    Status.ACTIVE: "(coalesce(c.add_dt <= ?, 1) and coalesce(c.term_dt >= ?, 1))",
}


def status_sql(status: Status, day: str) -> tuple[str, ...]:
    sql = STATUS_SQL[status]
    return (sql, *[day] * sql.count("?"))


def carries(table: str, value: str) -> Condition:
    """The codes that carry VALUE in any column of TABLE's values."""
    columns = TABLE_COLUMNS[table]
    return Condition(
        "(" + " or ".join(f"coalesce({column} = ?, 0)" for column in columns) + ")",
        (value,) * len(columns),
    )
