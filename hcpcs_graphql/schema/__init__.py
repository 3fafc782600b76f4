from __future__ import annotations

# Before any module of the package defines a Strawberry type: see the module.
import hcpcs_graphql.schema.annotation_failures  # noqa: F401
