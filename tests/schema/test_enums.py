from __future__ import annotations

from enum import auto

import pytest
import strawberry

from hcpcs_graphql.domain.described import DescribedEnum
from hcpcs_graphql.schema.enums import UndescribedEnumError, graphql_enum


class Colour(DescribedEnum):
    RED = ("r", 1), "Red."
    GREEN = ("g", 2), "Green."


QUERY = "query Echo($colour: Paint!) { echo(colour: $colour) }"


def test_a_member_without_a_description_fails_when_declared() -> None:
    class Shade(DescribedEnum):
        DARK = auto(), "Dark."
        LIGHT = "LIGHT"

    with pytest.raises(UndescribedEnumError, match=r"Shade: no description for \['LIGHT'\]"):
        graphql_enum(Shade, name="Shade", description="A shade.")


def test_the_domain_enum_itself_goes_in_and_out() -> None:
    graphql_enum(Colour, name="Paint", description="A paint.")

    @strawberry.type
    class Query:
        @strawberry.field
        def echo(self, colour: Colour) -> Colour:
            assert isinstance(colour, Colour)
            return colour

    schema = strawberry.Schema(query=Query)
    result = schema.execute_sync(QUERY, variable_values={"colour": "GREEN"})
    assert result.errors is None
    assert result.data == {"echo": "GREEN"}
    assert '"""Green."""\n  GREEN' in schema.as_str()
