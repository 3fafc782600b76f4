"""Code.from_row builds a code once while its row lives, for the catalog that holds the row."""

from __future__ import annotations

import dataclasses
import gc

from hcpcs_graphql.schema.code import Code
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context
from tests.graphql import execute

CODE = "query Code($code: String!) { code(code: $code) { code coverage { code } } }"


async def test_a_row_builds_its_code_once(context: Context) -> None:
    catalog = context.catalog
    await execute(context, CODE, code="A9597")
    row = catalog.rows["2026-01", "A9597"]
    assert row is not None
    code = Code.from_row(row, catalog)
    assert Code.from_row(row, catalog) is code
    assert code == Code.build(row, catalog)
    # Another catalog (another load, say) builds its own.
    other = Catalog(releases=catalog.releases, code_values=catalog.code_values)
    assert Code.from_row(row, other) is not code
    assert Code.from_row(row, other) == code
    # An equal row that is another object is another row: its own code.
    twin = dataclasses.replace(row)
    assert Code.from_row(twin, catalog) is not code


async def test_what_is_built_of_a_row_goes_with_it(context: Context) -> None:
    catalog = context.catalog
    await execute(context, CODE, code="A9597")
    row = catalog.rows["2026-01", "A9597"]
    assert row is not None
    before = len(catalog.built)
    twin = dataclasses.replace(row)
    Code.from_row(twin, catalog)
    assert len(catalog.built) == before + 1
    del twin
    gc.collect()
    assert len(catalog.built) == before
