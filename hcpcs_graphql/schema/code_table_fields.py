"""The root fields that list a code table's entries (each entry lists its codes): one for each
table of domain/code_tables.py's REGISTRY with a `root_field`, which names the field and its
type; this module says what each one lists."""

from __future__ import annotations

import re
from collections.abc import Callable
from types import GenericAlias
from typing import Annotated, Any, TypeVar, cast

import strawberry
from strawberry.types.field import StrawberryField

from hcpcs_graphql.db.rows import CodeValueRow
from hcpcs_graphql.domain.code_tables import BY_NAME
from hcpcs_graphql.domain.table_names import Table
from hcpcs_graphql.schema.coded import TABLE_TYPES, CodedValue, coded_value
from hcpcs_graphql.services.context import Info

EntriesArgument = Annotated[
    list[str] | None,
    strawberry.argument(description="Only these entries, by code; every entry when omitted."),
]

DESCRIPTIONS: dict[Table, str] = {
    Table.BETOS: "Every BETOS code of the record layout.",
    Table.BETOS_CATEGORY: "The BETOS categories (first letters).",
    Table.PRICING_INDICATOR: "Every pricing indicator of the record layout.",
    Table.MULTIPLE_PRICING_INDICATOR: "Every multiple pricing indicator of the record layout.",
    Table.COVERAGE: "Every coverage code of the record layout.",
    Table.TYPE_OF_SERVICE: "Every type of service of the record layout.",
    Table.ACTION_CODE: "Every action code of the record layout.",
    Table.LAB_CERTIFICATION: "Every lab certification of the record layout.",
}
"""Each field's description, in the order Query lists the fields (the order they always had)."""

_Class = TypeVar("_Class", bound=type)


def _rows(info: Info, table: str, codes: list[str] | None) -> list[CodeValueRow]:
    rows = info.context.catalog.table(table)
    if codes is None:
        return rows
    wanted = set(codes)
    return [row for row in rows if row.code in wanted]


def _resolver(table: Table, python_name: str) -> Callable[..., list[CodedValue]]:
    kind = TABLE_TYPES[table]

    def resolve(info: Info, codes: EntriesArgument = None) -> list[CodedValue]:
        catalog = info.context.catalog
        return [coded_value(catalog, table, row.code) for row in _rows(info, table, codes)]

    # Strawberry reads the field's types from the annotations: the table's own type.
    annotations: dict[str, Any] = {
        "info": Info,
        "codes": EntriesArgument,
        "return": GenericAlias(list, (kind,)),
    }
    resolve.__annotations__ = annotations
    resolve.__name__ = resolve.__qualname__ = python_name
    return resolve


def _field(table: Table, description: str) -> tuple[str, StrawberryField]:
    name = BY_NAME[table].root_field
    assert name is not None
    python_name = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()  # betosCodes: betos_codes
    resolver = _resolver(table, python_name)
    field = strawberry.field(resolver=resolver, name=name, description=description)
    return python_name, cast(StrawberryField, field)  # typed as the resolver's answer


FIELDS: dict[str, StrawberryField] = dict(
    _field(table, description) for table, description in DESCRIPTIONS.items()
)


def with_code_table_fields(cls: _Class) -> _Class:
    """The root type with the code tables' fields after its own (for strawberry.type to read)."""
    for python_name, field in FIELDS.items():
        setattr(cls, python_name, field)
    return cls
