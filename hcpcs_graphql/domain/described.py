"""Enums whose members are declared with what each one means, so that a member and the API's
description of it are written once, together (schema/enums.py hands both to GraphQL)."""

from __future__ import annotations

from enum import Enum
from typing import Self


class DescribedEnum(Enum):
    """Each member is `NAME = value, "What it means."`: `auto()` as the value makes it the
    member's own name, as most of the API's enums are; a tuple value stands in parentheses of
    its own. A member declared without a description gets an empty one, which schema/enums.py
    refuses at import."""

    description: str

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[object]) -> str:
        return name

    # The description has a default only because mypy reads a lookup by value, `Kind("MODIFIER")`,
    # as a call of __new__; Enum never calls it so.
    def __new__(cls, value: object, description: str = "") -> Self:
        member = object.__new__(cls)
        member._value_ = value
        member.description = description
        return member
