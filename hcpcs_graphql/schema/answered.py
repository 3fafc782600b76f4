"""Names the releases that answered in the response's `extensions`, so that a client that let
the server choose (no `release`, or `asOf`) knows which release it got."""

from __future__ import annotations

from strawberry.extensions import SchemaExtension

from hcpcs_graphql.resolvers.context import Context


class AnsweringReleases(SchemaExtension):
    def get_results(self) -> dict[str, object]:
        context = self.execution_context.context
        if isinstance(context, Context) and context.answered:
            return {"releases": list(context.answered)}
        return {}
