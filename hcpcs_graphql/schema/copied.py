"""GraphQL objects built from a row or a domain fact whose attributes bear their fields' names."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

_Kind = TypeVar("_Kind")


def copied(kind: type[_Kind], source: object, **given: Any) -> _Kind:
    """KIND with each of its fields SOURCE's attribute of the same name, but for those GIVEN
    (a field with a resolver is not the constructor's)."""
    copies = {
        field.name: getattr(source, field.name)
        for field in dataclasses.fields(kind)  # type: ignore[arg-type]  # a Strawberry type
        if field.init and field.name not in given
    }
    return kind(**copies, **given)
