"""The differences between two releases, code by code and field by field, as SQL.

The codes of both releases are paired by code: a code only in `to` is ADDED, one only in `from`
REMOVED; a code in both is listed when a compared field differs, DISCONTINUED when `to` gives
it a termination date that `from` did not, REACTIVATED when `to` drops the one `from` gave, and
CHANGED otherwise. Which fields differ is one integer per code, a bit per field, computed in
SQL: it selects the codes, counts them by field, and tells the page which fields to show.

An added or removed code is always listed; its fields are the compared fields it has a value
in. A condition (a compiled filter, on the alias `c`) applies to the code in `to`, or to the
code in `from` when `to` does not have it."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from hcpcs_graphql.db.conditions import TRUE, Condition
from hcpcs_graphql.db.diff_fields import DEFAULT_FIELDS, ChangeKind, DiffField
from hcpcs_graphql.db.queries import code_row
from hcpcs_graphql.db.rows import CodeRow
from hcpcs_graphql.db.tables import CODE_COLUMNS


@dataclass(frozen=True, slots=True)
class FieldDiff:
    field: DiffField
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def white_space_only(self) -> bool:
        """One text value on each side, with the same words: only spacing differs."""
        return (
            len(self.before) == len(self.after) == 1
            and self.before[0].split() == self.after[0].split()
        )


@dataclass(frozen=True, slots=True)
class DiffRow:
    """A code that differs: its kind, its record in each release, and the fields that differ."""

    kind: ChangeKind
    before: CodeRow | None
    """The code in `from`; None when added."""
    after: CodeRow | None
    """The code in `to`; None when removed."""
    mask: int

    @property
    def code(self) -> str:
        row = self.after or self.before
        assert row is not None
        return row.code

    @property
    def fields(self) -> list[FieldDiff]:
        """The fields that differ, in DiffField order."""
        return [
            FieldDiff(field, field.values(self.before), field.values(self.after))
            for field in DiffField
            if self.mask & field.bit
        ]


@dataclass(frozen=True, slots=True)
class DiffSummary:
    by_kind: dict[ChangeKind, int]
    """The codes listed, by kind (every kind, zeros included)."""
    by_field: dict[DiffField, int]
    """The codes in both releases whose field differs, by compared field (zeros included)."""

    def fields_by_count(self) -> list[tuple[DiffField, int]]:
        """The fields that differ in any code, the most first, ties in DiffField order."""
        found = [(field, count) for field, count in self.by_field.items() if count]
        return sorted(found, key=lambda item: -item[1])

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


@dataclass(frozen=True, slots=True)
class Diff:
    """The codes that differ between two releases, among those that pass a condition."""

    from_release: str
    to_release: str
    fields: tuple[DiffField, ...] = DEFAULT_FIELDS
    kinds: tuple[ChangeKind, ...] = tuple(ChangeKind)
    condition: Condition = TRUE

    def _mask(self, older: str, newer: str) -> str:
        if not self.fields:
            return "0"
        terms = " | ".join(
            "(("
            + " or ".join(f"{older}.{column} is not {newer}.{column}" for column in field.columns)
            + f") << {field.index})"
            for field in self.fields
        )
        # Most codes do not change: one comparison of all the columns spares them the terms.
        columns = [column for field in self.fields for column in field.columns]
        same = " is ".join(
            "(" + ", ".join(f"{alias}.{column}" for column in columns) + ")"
            for alias in (older, newer)
        )
        return f"(case when {same} then 0 else {terms} end)"

    def source(self) -> tuple[str, tuple[object, ...]]:
        """Selects (code, to_id, from_id, kind, mask) for every code listed. Each code's mask
        is computed once (materialized), however often the statement reads it."""
        # The codes of `to` with their match in `from` (f), then the codes only `from` has
        # (t finds nothing); `c` is the code the condition judges.
        kinds = ", ".join(f"'{kind.value}'" for kind in self.kinds) or "null"
        sql = (
            "with d as materialized ("
            "select c.code, c.rowid as to_id, f.rowid as from_id,"
            " case when f.rowid is null then 'ADDED'"
            " when f.term_dt is null and c.term_dt is not null then 'DISCONTINUED'"
            " when f.term_dt is not null and c.term_dt is null then 'REACTIVATED'"
            f" else 'CHANGED' end as kind, {self._mask('f', 'c')} as mask"
            " from code c left join code f on f.release_id = ? and f.code = c.code"
            f" where c.release_id = ? and ({self.condition.sql})"
            " union all"
            f" select c.code, null, c.rowid, 'REMOVED', {self._mask('c', 't')}"
            " from code c left join code t on t.release_id = ? and t.code = c.code"
            f" where c.release_id = ? and t.rowid is null and ({self.condition.sql})"
            ") select code, to_id, from_id, kind, mask from d"
            f" where kind in ({kinds}) and (mask != 0 or kind in ('ADDED', 'REMOVED'))"
        )
        parameters = (
            self.from_release,
            self.to_release,
            *self.condition.parameters,
            self.to_release,
            self.from_release,
            *self.condition.parameters,
        )
        return sql, parameters


_COLUMNS = ", ".join(
    f"{alias}.{column}" for alias in ("t", "f") for column in CODE_COLUMNS
)  # fmt: skip


async def page(
    connection: aiosqlite.Connection, diff: Diff, limit: int, offset: int
) -> list[DiffRow]:
    """The codes listed, in code order, from OFFSET; the wide rows of the page only."""
    source, parameters = diff.source()
    rows = await connection.execute_fetchall(
        f"select p.kind, p.mask, {_COLUMNS} from ("
        f"{source} order by code limit ? offset ?"
        ") p left join code t on t.rowid = p.to_id left join code f on f.rowid = p.from_id"
        " order by p.code",
        (*parameters, limit, offset),
    )
    width = len(CODE_COLUMNS)
    found = []
    for values in rows:
        after, before = values[2 : 2 + width], values[2 + width :]
        found.append(
            DiffRow(
                kind=ChangeKind(values[0]),
                before=None if before[0] is None else code_row(before),
                after=None if after[0] is None else code_row(after),
                mask=int(values[1]),
            )
        )
    return found


async def summary(connection: aiosqlite.Connection, diff: Diff) -> DiffSummary:
    """The codes listed by kind, and those in both releases by field: one statement."""
    source, parameters = diff.source()
    sums = ", ".join(f"sum(mask >> {field.index} & 1)" for field in DiffField)
    rows = await connection.execute_fetchall(
        f"select kind, count(*), {sums} from ({source}) group by kind", parameters
    )
    by_kind = dict.fromkeys(ChangeKind, 0)
    by_field = dict.fromkeys(diff.fields, 0)
    for kind, count, *counts in rows:
        by_kind[ChangeKind(kind)] = int(count)
        if kind in {ChangeKind.ADDED.value, ChangeKind.REMOVED.value}:
            continue
        for field in diff.fields:
            by_field[field] += int(counts[field.index])
    return DiffSummary(by_kind, by_field)
