"""Names the releases that answered in the response's `extensions`, so that a client that let
the server choose (no `release`, or `asOf`) knows which release it got; and warns there when
that release is older than the one CMS has in effect (`warnings`, code STALE_RELEASE)."""

from __future__ import annotations

from strawberry.extensions import SchemaExtension

from hcpcs_graphql.services.context import Context


def answer_extensions(context: object) -> dict[str, object]:
    """The response's `extensions` (the extension's and the prepared operation's)."""
    results: dict[str, object] = {}
    if isinstance(context, Context) and context.answered:
        results["releases"] = list(context.answered)
    if isinstance(context, Context) and context.warnings:
        results["warnings"] = [warning.extension() for warning in context.warnings]
    return results


class AnsweringReleases(SchemaExtension):
    def get_results(self) -> dict[str, object]:
        return answer_extensions(self.execution_context.context)
