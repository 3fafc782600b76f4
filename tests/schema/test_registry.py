"""The Strawberry declarations agree with the code-table registry: each table's type, `Code`
field, browsing root field, filter and facet exist as the registry names them, and no root field
lists coded values without being a table's root field in the registry."""

from __future__ import annotations

import dataclasses

from graphql import GraphQLInputObjectType, GraphQLObjectType, get_named_type

from hcpcs_graphql.db.codeset import Facet
from hcpcs_graphql.db.filters import CodeFilter
from hcpcs_graphql.domain.code_tables import REGISTRY
from hcpcs_graphql.schema.coded import CODED_TYPES, TABLE_TYPES
from hcpcs_graphql.schema.schema import schema

TYPES = schema._schema.type_map


def object_type(name: str) -> GraphQLObjectType:
    kind = TYPES[name]
    assert isinstance(kind, GraphQLObjectType), name
    return kind


def test_each_table_type_is_a_coded_value() -> None:
    for table in REGISTRY:
        if table.graphql_type is not None:
            kind = object_type(table.graphql_type)
            assert [interface.name for interface in kind.interfaces] == ["CodedValue"], table


def test_each_coded_type_is_one_table_s() -> None:
    # coded() finds a value's table from its type: one table a type, and every type a table's.
    assert {table: kind.__name__ for table, kind in TABLE_TYPES.items()} == {
        table.name: table.graphql_type for table in REGISTRY if table.graphql_type is not None
    }
    assert sorted(kind.__name__ for kind in TABLE_TYPES.values()) == sorted(
        kind.__name__ for kind in CODED_TYPES
    )


def test_each_code_field_holds_its_table() -> None:
    code = object_type("Code")
    for table in REGISTRY:
        if table.code_field is not None:
            field = code.fields[table.code_field]
            assert get_named_type(field.type).name == table.graphql_type, table


def test_the_root_fields_of_coded_values_are_the_registry_s() -> None:
    query = object_type("Query")
    listed = {
        name: get_named_type(field.type).name
        for name, field in query.fields.items()
        if "CodedValue" in [i.name for i in getattr(get_named_type(field.type), "interfaces", [])]
    }
    assert listed == {
        table.root_field: table.graphql_type for table in REGISTRY if table.root_field is not None
    }


def camel(name: str) -> str:
    first, *rest = name.lower().split("_")
    return first + "".join(word.title() for word in rest)


def test_each_filter_and_facet_exists() -> None:
    filters = {field.name for field in dataclasses.fields(CodeFilter)}
    graphql_filter = TYPES["CodeFilter"]
    assert isinstance(graphql_filter, GraphQLInputObjectType)
    facets = object_type("CodeFacets")
    for table in REGISTRY:
        if table.filter_field is not None:
            assert table.filter_field in filters, table
            assert camel(table.filter_field) in graphql_filter.fields, table
        if table.facet is not None:
            assert Facet[table.facet], table
            assert camel(table.facet) in facets.fields, table
