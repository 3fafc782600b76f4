"""GraphQL enums made from the domain's own enums, so that a resolver hands Strawberry the
domain value itself and no mirror or by-name map stands between them."""

from __future__ import annotations

from typing import TypeVar

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition

from hcpcs_graphql.domain.described import DescribedEnum

E = TypeVar("E", bound=DescribedEnum)


class UndescribedEnumError(TypeError):
    pass


def graphql_enum(domain: type[E], *, name: str, description: str) -> type[E]:
    """Declare DOMAIN as the GraphQL enum NAME, each value described as its member is (declared
    with the domain enum); a member without a description fails here, at import."""
    missing = [member.name for member in domain if not member.description]
    if missing:
        raise UndescribedEnumError(f"{domain.__qualname__}: no description for {missing}")
    strawberry.enum(domain, name=name, description=description)
    definition = domain.__strawberry_definition__  # type: ignore[attr-defined]
    assert isinstance(definition, StrawberryEnumDefinition)
    for value in definition.values:
        value.description = domain[value.name].description
    return domain
