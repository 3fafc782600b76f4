"""A valid code suggested for a code that does not exist."""

from __future__ import annotations

from typing import Self

import strawberry

from hcpcs_graphql.schema.code import Code
from hcpcs_graphql.schema.enums import graphql_enum
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.suggestions import Suggestion, SuggestionReason

graphql_enum(SuggestionReason, name="SuggestionReason", description="Why a code is suggested.")


@strawberry.type(
    description="A code valid on the date in question (a procedure code of the release in "
    "effect, neither discontinued nor not yet effective) that the text may have meant."
)
class CodeSuggestion:
    code: Code = strawberry.field(description="The suggested code.")
    reason: SuggestionReason = strawberry.field(description="Why it is suggested.")

    @classmethod
    def of(cls, suggestion: Suggestion, catalog: Catalog) -> Self:
        return cls(
            code=Code.from_row(suggestion.row, catalog),
            reason=suggestion.reason,
        )
