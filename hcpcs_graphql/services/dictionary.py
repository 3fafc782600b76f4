"""The data dictionary: the record's fields (package data) and the code tables with their values
(the catalog), each value marked when a later record layout added it."""

from __future__ import annotations

from dataclasses import dataclass

from hcpcs_graphql.domain.dictionary import (
    CODE_TABLES,
    RECORD_IDENTIFICATION,
    CodeTable,
    RecordField,
    layout_additions,
    record_fields,
    record_identification,
)
from hcpcs_graphql.services.context import Context


@dataclass(frozen=True, slots=True)
class TableValue:
    code: str
    description: str | None
    category: str | None
    new_in_layout: int | None
    """The year of the record layout that first lists the value, when a later layout added it."""
    source: str | None
    """Where that is shown."""


@dataclass(frozen=True, slots=True)
class DictionaryTable:
    table: CodeTable
    values: tuple[TableValue, ...]


def _values(context: Context, table: CodeTable) -> tuple[TableValue, ...]:
    entries: list[tuple[str, str | None, str | None]]
    if table.name == RECORD_IDENTIFICATION:
        entries = [(code, description, None) for code, description in record_identification()]
    else:
        entries = [
            (row.code, row.description, row.category) for row in context.catalog.table(table.name)
        ]
    additions = layout_additions()
    found = []
    for code, description, category in entries:
        addition = additions.get((table.name, code))
        found.append(
            TableValue(
                code,
                description,
                category,
                None if addition is None else addition.first_layout,
                None if addition is None else addition.source,
            )
        )
    return tuple(found)


def data_dictionary(
    context: Context,
) -> tuple[tuple[RecordField, ...], tuple[DictionaryTable, ...]]:
    tables = tuple(DictionaryTable(table, _values(context, table)) for table in CODE_TABLES)
    return record_fields(), tables
