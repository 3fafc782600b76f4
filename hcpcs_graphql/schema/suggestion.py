"""A valid code suggested for a code that does not exist."""

from __future__ import annotations

from enum import Enum
from typing import Self

import strawberry

from hcpcs_graphql.schema.code import Code
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.suggestions import Suggestion


@strawberry.enum(description="Why a code is suggested.")
class SuggestionReason(Enum):
    CODE_SHAPE = strawberry.enum_value(
        "CODE_SHAPE",
        description="One character away from the text: a letter O for a zero or an I for a one "
        "(or a missing leading letter) first, then two neighbouring characters swapped, then one "
        "character changed (the rightmost first, the closest character first), then one "
        "character too many or too few.",
    )
    DESCRIPTION = strawberry.enum_value(
        "DESCRIPTION",
        description="The text is words (not a code), and they match the code's descriptions "
        "as `search` matches them; the best matches first.",
    )


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
            reason=SuggestionReason(suggestion.reason.value),
        )
