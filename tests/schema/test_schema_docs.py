"""The API documents itself: every type, field, argument and enum value has a description, and
the exported SDL in the repository is the schema's."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from hcpcs_graphql.schema.schema import SDL_PATH, checked_in_sdl, export_sdl, schema


def undescribed() -> list[str]:
    missing = []
    for name, kind in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Boolean", "Float", "ID"}:
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing.extend(
                    f"{name}.{field_name}({argument_name})"
                    for argument_name, argument in field.args.items()
                    if not argument.description
                )
        elif isinstance(kind, GraphQLInputObjectType):
            missing.extend(
                f"{name}.{field_name}"
                for field_name, field in kind.fields.items()
                if not field.description
            )
        elif isinstance(kind, GraphQLEnumType):
            missing.extend(
                f"{name}.{value_name}"
                for value_name, value in kind.values.items()
                if not value.description
            )
    return missing


def test_everything_is_described() -> None:
    assert undescribed() == []


def test_exported_sdl_is_current() -> None:
    # What the server reads as its SDL (checked_in_sdl, for the HTTP cache's fingerprint) is
    # what it would print.
    assert checked_in_sdl() == SDL_PATH.read_text() == export_sdl(), (
        "schema.graphql is stale: run `hcpcs schema --output hcpcs_graphql/schema/schema.graphql`"
    )


def test_no_type_carries_a_schema_directive() -> None:
    # Federation's neither: why the schema skips Strawberry's warning for one (schema/schema.py).
    assert [
        directive
        for converted in schema.schema_converter.type_map.values()
        for directive in converted.definition.directives or ()
    ] == []
