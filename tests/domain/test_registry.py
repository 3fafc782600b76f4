"""The code tables are named in one place: no module of the package spells a table's name
outside domain/table_names.py, and every layer's table facts come from domain/code_tables.py."""

from __future__ import annotations

import ast
from pathlib import Path

from hcpcs_graphql.domain.code_tables import REGISTRY, TABLES, code_table
from hcpcs_graphql.domain.layout import DETAIL_FIELDS
from hcpcs_graphql.domain.table_names import Table

PACKAGE = Path(__file__).parents[2] / "hcpcs_graphql"
REGISTRY_MODULES = {PACKAGE / "domain" / "table_names.py", PACKAGE / "domain" / "code_tables.py"}
# A database column may share its table's name (betos): as a column it is not a table's name.
COLUMNS = {field.column for field in DETAIL_FIELDS}


def literal_table_names(source: str) -> list[tuple[int, str]]:
    names = {table.value for table in Table} - COLUMNS
    return [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and node.value in names
    ]


def test_no_literal_table_name_outside_the_registry() -> None:
    found = [
        (str(path.relative_to(PACKAGE.parent)), line, name)
        for path in sorted(PACKAGE.rglob("*.py"))
        if path not in REGISTRY_MODULES
        for line, name in literal_table_names(path.read_text())
    ]
    assert found == []


def test_the_grep_sees_a_literal() -> None:
    source = 'TABLE = "type_of_service"\nCOLUMN = "betos"\nTEXT = f"{x} coverage"\n'
    assert literal_table_names(source) == [(1, "type_of_service")]


def test_every_table_is_registered_once() -> None:
    assert sorted(table.name for table in REGISTRY) == sorted(Table)


def test_every_table_with_values_has_package_data_and_columns() -> None:
    for name in TABLES:
        entry = next(table for table in REGISTRY if table.name == name)
        assert code_table(name), name
        assert entry.columns, name
        assert len(entry.headers) == len(entry.columns), name
