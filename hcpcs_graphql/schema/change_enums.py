"""The enums of `changes`: how a code differs between two releases, and the fields compared
(one per field of `Code`, named after it; db/diff_fields.py says which CMS columns each is made
of). Importing them from here declares them to GraphQL."""

from __future__ import annotations

from hcpcs_graphql.db.diff_fields import (
    CHANGE_KIND_DESCRIPTIONS,
    DIFF_FIELD_DESCRIPTIONS,
    ChangeKind,
    DiffField,
)
from hcpcs_graphql.schema.enums import graphql_enum

__all__ = ["ChangeKind", "DiffField"]

graphql_enum(
    ChangeKind,
    CHANGE_KIND_DESCRIPTIONS,
    name="ChangeKind",
    description="How a code differs between two releases.",
)
graphql_enum(
    DiffField,
    DIFF_FIELD_DESCRIPTIONS,
    name="CodeField",
    description="A field of a code that two releases are compared on.",
)
