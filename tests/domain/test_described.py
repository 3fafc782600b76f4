from __future__ import annotations

from enum import auto

from hcpcs_graphql.domain.described import DescribedEnum


class Shade(DescribedEnum):
    DARK = auto(), "Dark."
    TEAL = ("t", 1), "Teal."
    LIGHT = "LIGHT"


def test_a_member_declared_by_auto_has_its_name_as_its_value() -> None:
    assert Shade.DARK.value == "DARK"
    assert Shade("DARK") is Shade.DARK
    assert Shade.DARK.description == "Dark."


def test_a_tuple_value_in_its_own_parentheses_stays_whole() -> None:
    assert Shade.TEAL.value == ("t", 1)
    assert Shade(("t", 1)) is Shade.TEAL


def test_a_member_without_a_description_has_an_empty_one() -> None:
    assert Shade.LIGHT.value == "LIGHT"
    assert Shade.LIGHT.description == ""
