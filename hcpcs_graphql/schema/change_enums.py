"""The enums of `changes`: how a code differs between two releases, and the fields compared
(one per field of `Code`, named after it; db/diff_fields.py says which CMS columns each is made
of). Importing them from here declares them to GraphQL."""

from __future__ import annotations

from hcpcs_graphql.db.diff_fields import ChangeKind, DiffField
from hcpcs_graphql.schema.enums import graphql_enum

__all__ = ["ChangeKind", "DiffField"]

graphql_enum(ChangeKind, name="ChangeKind", description="How a code differs between two releases.")
graphql_enum(
    DiffField,
    name="CodeField",
    description="A field of a code that two releases are compared on.",
)
