"""No root field escapes the cost model: each list at the root has a bound of its own (an
argument's length, a code table's size, the loaded data's); a connection is measured by the
page size its `first` argument asks for."""

from __future__ import annotations

from graphql import GraphQLList, GraphQLNonNull

from hcpcs_graphql.schema.list_bounds import bounded_root_lists, data_bounds
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog


def root_lists() -> set[str]:
    query = schema._schema.query_type
    assert query is not None
    found = set()
    for name, field in query.fields.items():
        kind = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if isinstance(kind, GraphQLList):
            found.add(name)
    return found


def test_every_root_list_has_a_bound() -> None:
    catalog = Catalog(releases=(), code_values={}, most_referrers=0)
    assert root_lists() - bounded_root_lists(data_bounds(catalog)) == set()
