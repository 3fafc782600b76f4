"""Text that is not valid Unicode (a lone surrogate, which JSON can carry as `"\\ud800"`) is
refused before validation, whatever carried the request: no encoder downstream (SQLite's
binding, the JSON answer) can take it. Over HTTP the app refuses it sooner, as a bad request."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from hcpcs_graphql.domain.unicode import lone_surrogate
from hcpcs_graphql.resolvers.errors import ClientError


class ValidText(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        found = False
        with contextlib.suppress(RecursionError):  # graphql-core refuses such nesting itself
            found = lone_surrogate([context.query, context.variables, context.operation_name])
        if found:
            raise ClientError("The request holds a lone surrogate: not valid Unicode")
        yield
