"""GraphQL enums made from the domain's own enums, so that a resolver hands Strawberry the
domain value itself and no mirror or by-name map stands between them."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition

E = TypeVar("E", bound=Enum)


class UndescribedEnumError(TypeError):
    pass


def graphql_enum(
    domain: type[E], descriptions: Mapping[E, str], *, name: str, description: str
) -> type[E]:
    """Declare DOMAIN as the GraphQL enum NAME, each value described by DESCRIPTIONS (declared
    beside the domain enum); a member without a description fails here, at import."""
    missing = [member.name for member in domain if not descriptions.get(member)]
    if missing:
        raise UndescribedEnumError(f"{domain.__qualname__}: no description for {missing}")
    strawberry.enum(domain, name=name, description=description)
    definition = domain.__strawberry_definition__  # type: ignore[attr-defined]
    assert isinstance(definition, StrawberryEnumDefinition)
    for value in definition.values:
        value.description = descriptions[domain[value.name]]
    return domain
