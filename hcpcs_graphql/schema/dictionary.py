"""The types of the data dictionary."""

from __future__ import annotations

import strawberry

from hcpcs_graphql.domain.code_tables import LAYOUT_SOURCE
from hcpcs_graphql.domain.dictionary import RecordField
from hcpcs_graphql.domain.layout import RECORD_LENGTH
from hcpcs_graphql.schema.copied import copied
from hcpcs_graphql.services.dictionary import DictionaryTable


@strawberry.type(description="A field (column) of the CMS record.")
class DictionaryField:
    name: str = strawberry.field(
        description="The column's name in the CMS tables: LONG_DESCRIPTION, PRICE1, FILLER260."
    )
    xlsx_header: str | None = strawberry.field(
        description="The column's header in the CMS xlsx; null for fillers."
    )
    layout_field: int = strawberry.field(
        description="The field's number in the CMS record layout (repeated columns, PRICE1-4, "
        "share one)."
    )
    layout_name: str = strawberry.field(description="The field's name in the record layout.")
    layout_type: str = strawberry.field(
        description="CHAR or NUM, as the layout gives it (every value is kept as text, dates "
        "and anesthesia base units excepted)."
    )
    start: int = strawberry.field(description="First position in the record, from 1.")
    end: int = strawberry.field(description="Last position in the record, inclusive.")
    length: int = strawberry.field(description="Characters.")
    graphql_field: str | None = strawberry.field(
        description="The `Code` field that serves it (repeated columns share a list field, in "
        "order); null for what is not served."
    )
    code_table: str | None = strawberry.field(
        description="The name of the code table of its values (see `codeTables`); null when "
        "it has none."
    )
    meaning: str | None = strawberry.field(
        description="What it means, in the record layout's words (two misspellings "
        "corrected); null for fillers."
    )
    note: str | None = strawberry.field(description="What this service adds about it.")


@strawberry.type(description="A value of a code table with its meaning.")
class DictionaryValue:
    code: str = strawberry.field(description="The value as CMS writes it.")
    description: str | None = strawberry.field(description="Its meaning.")
    category: str | None = strawberry.field(
        description="Its group: the layout's heading of a pricing indicator, the general "
        "certification of a lab certification, the body system of a MOG payment group, the "
        "category (first letter) of a BETOS code."
    )
    new_in_layout: int | None = strawberry.field(
        description="The year of the record layout that first lists the value, when a later "
        "layout added it (2026 for pricing indicator 40 and BETOS O1L, which the 2017, 2018 and "
        "2019 layouts lack); null otherwise."
    )
    source: str | None = strawberry.field(
        description="Where the layouts show that, for a value with `newInLayout`."
    )


@strawberry.type(description="A code table: the values of a coded field and their meanings.")
class DictionaryCodeTable:
    name: str = strawberry.field(description="Its name, as fields name it in `codeTable`.")
    title: str = strawberry.field(description="What it is.")
    columns: list[str] = strawberry.field(description="The columns whose values it lists.")
    root_field: str | None = strawberry.field(
        description="The root field that lists it with its codes; null when there is none."
    )
    source: str = strawberry.field(description="Where its values and meanings come from.")
    values: list[DictionaryValue] = strawberry.field(description="Its values, in code order.")

    @classmethod
    def of(cls, table: DictionaryTable) -> DictionaryCodeTable:
        return cls(
            name=table.table.name,
            title=table.table.title,
            columns=list(table.table.columns),
            root_field=table.table.root_field,
            source=table.table.source,
            values=[copied(DictionaryValue, value) for value in table.values],
        )


@strawberry.type(description="What every field of the CMS record and every coded value means.")
class DataDictionary:
    source: str = strawberry.field(description="The CMS record layout it follows.")
    record_length: int = strawberry.field(description="Characters in a record.")
    fields: list[DictionaryField] = strawberry.field(
        description="Every field of the record, in position order."
    )
    code_tables: list[DictionaryCodeTable] = strawberry.field(
        description="Every code table, in record order."
    )

    @classmethod
    def of(
        cls, fields: tuple[RecordField, ...], tables: tuple[DictionaryTable, ...]
    ) -> DataDictionary:
        return cls(
            source=LAYOUT_SOURCE,
            record_length=RECORD_LENGTH,
            fields=[copied(DictionaryField, field) for field in fields],
            code_tables=[DictionaryCodeTable.of(table) for table in tables],
        )
