"""`hcpcs diff`: what changed between two releases, as a summary for people and in full as CSV
(one row per code and field that differs), from the same SQL as the API's `changes`."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from hcpcs_graphql.db import diff
from hcpcs_graphql.db.connection import connect_read_only
from hcpcs_graphql.db.diff import Diff, DiffRow
from hcpcs_graphql.db.diff_fields import BOOKKEEPING, DEFAULT_FIELDS, DiffField
from hcpcs_graphql.db.queries import fetch_code_values

CSV_HEADER = (
    "code",
    "kind",
    "action",
    "field",
    "before",
    "after",
    "before_meaning",
    "after_meaning",
    "white_space_only",
)
SEPARATOR = " | "
"""Between the values of a field of several columns (PRICE1-4, ...), and their meanings."""


def parse_fields(text: str | None) -> tuple[DiffField, ...]:
    """The fields named in TEXT (comma-separated, any case; `all` for every field)."""
    if text is None:
        return DEFAULT_FIELDS
    names = {name.strip().upper() for name in text.split(",") if name.strip()}
    if names == {"ALL"}:
        return tuple(DiffField)
    unknown = sorted(names - {field.name for field in DiffField})
    if unknown:
        known = ", ".join(field.name for field in DiffField)
        raise ValueError(f"unknown field {', '.join(unknown)}; the fields are: {known}, or all")
    return tuple(field for field in DiffField if field.name in names)


def summary_lines(changes: Diff, found: diff.DiffSummary) -> Iterator[str]:
    compared = changes.fields
    yield f"changes from {changes.from_release} to {changes.to_release}: {found.total:,} codes"
    yield "by kind:"
    for kind, count in found.by_kind.items():
        yield f"  {kind.name:<34} {count:>6,}"
    yield "by field (codes in both releases):"
    by_field = found.fields_by_count()
    for field, count in by_field:
        yield f"  {field.name:<34} {count:>6,}"
    if not by_field:
        yield "  none"
    if compared == DEFAULT_FIELDS:
        left_out = [field.name for field in DiffField if field in BOOKKEEPING]
        yield f"compared: every field but {', '.join(left_out)}"
    elif compared == tuple(DiffField):
        yield "compared: every field"
    else:
        yield f"compared: {', '.join(field.name for field in compared) or 'no field'}"


Meanings = dict[tuple[str, str], str | None]
"""(code table, value) -> the value's meaning"""


def csv_rows(rows: Sequence[DiffRow], known: Meanings) -> Iterator[tuple[str, ...]]:
    def meanings(table: str | None, values: tuple[str, ...]) -> str:
        if table is None:
            return ""
        return SEPARATOR.join(known.get((table, value)) or "" for value in values)

    for row in rows:
        action = "" if row.after is None else row.after.action_cd or ""
        fields = row.fields
        if not fields:  # an added or removed code with no value in the fields compared
            yield (row.code, row.kind.name, action, "", "", "", "", "", "")
        for found in fields:
            table = found.field.code_table
            yield (
                row.code,
                row.kind.name,
                action,
                found.field.name,
                SEPARATOR.join(found.before),
                SEPARATOR.join(found.after),
                meanings(table, found.before),
                meanings(table, found.after),
                "yes" if found.white_space_only else "",
            )


async def report(
    db: Path,
    older: str,
    newer: str,
    fields: tuple[DiffField, ...],
    out: TextIO,
    csv_file: TextIO | None,
    csv_name: str = "",
) -> None:
    """Print the summary of the changes from OLDER to NEWER; write them all to CSV_FILE."""
    connection = await connect_read_only(db)
    try:
        changes = Diff(older, newer, fields)
        found = await diff.summary(connection, changes)
        for line in summary_lines(changes, found):
            print(line, file=out)
        if csv_file is None:
            return
        known = {
            (row.code_table, row.code): row.description
            for row in await fetch_code_values(connection)
        }
        rows = await diff.page(connection, changes, -1, 0)
        writer = csv.writer(csv_file)
        writer.writerow(CSV_HEADER)
        writer.writerows(csv_rows(rows, known))
        print(f"wrote {len(rows):,} codes to {csv_name}", file=out)
    finally:
        await connection.close()
