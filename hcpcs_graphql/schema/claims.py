"""The types of a claim-line check."""

from __future__ import annotations

import datetime
from typing import Self

import strawberry

from hcpcs_graphql.schema.code import Code, CrossReference
from hcpcs_graphql.schema.enums import graphql_enum
from hcpcs_graphql.schema.release import Release, release_of
from hcpcs_graphql.schema.suggestion import CodeSuggestion
from hcpcs_graphql.services import claims
from hcpcs_graphql.services.claims import MAX_MODIFIERS, LineCheck
from hcpcs_graphql.services.context import Info
from hcpcs_graphql.services.findings import Severity, Verdict
from hcpcs_graphql.services.suggestions import MAX_SUGGESTIONS

graphql_enum(
    Verdict,
    name="ClaimLineVerdict",
    description="What a check found about a claim line: a stable code.",
)
graphql_enum(Severity, name="FindingSeverity", description="How much a finding matters.")


@strawberry.input(description="A line of a claim: a code, its modifiers, its date of service.")
class ClaimLineInput:
    code: str = strawberry.field(description="The HCPCS code billed, in any case.")
    date_of_service: datetime.date = strawberry.field(
        description="The date of service: it chooses the release (the one in effect that day) "
        "and the day the code and modifiers must be valid on."
    )
    modifiers: list[str] = strawberry.field(
        default_factory=list,
        description=f"Up to {MAX_MODIFIERS} modifiers, in any case; empty strings are left out.",
    )

    def to_line(self) -> claims.ClaimLine:
        return claims.ClaimLine(self.code, tuple(self.modifiers), self.date_of_service)


@strawberry.type(description="One thing a check found about a claim line.")
class ClaimLineFinding:
    verdict: Verdict = strawberry.field(description="What was found: a stable code.")
    severity: Severity = strawberry.field(description="How much it matters.")
    subject: str = strawberry.field(description="The code or the modifier it is about.")
    message: str = strawberry.field(description="What was found, in a sentence.")


async def _suggestions(root: ClaimLineCheck, info: Info) -> list[CodeSuggestion]:
    key = root.check.suggestions
    if key is None:
        return []
    found = await root.check.suggester.load(key)
    return [CodeSuggestion.of(suggestion, info.context.catalog) for suggestion in found]


@strawberry.type(description="What a check found about one claim line.")
class ClaimLineCheck:
    line: int = strawberry.field(description="The line's position in the request, from 1.")
    code: str = strawberry.field(description="The code as checked (upper case, no blanks).")
    modifiers: list[str] = strawberry.field(description="The modifiers as checked.")
    date_of_service: datetime.date = strawberry.field(description="The date of service.")
    release: Release | None = strawberry.field(
        description="The release in effect on the date of service; null when none is loaded."
    )
    severity: Severity = strawberry.field(
        description="The most severe of the findings: ERROR when the line is not valid."
    )
    findings: list[ClaimLineFinding] = strawberry.field(
        description="What the check found: first the code's verdict, then notes about a valid "
        "code (not otherwise classified, not covered, anesthesia base units), then each modifier "
        "that is not valid, in the order given."
    )
    record: Code | None = strawberry.field(
        description="The code's record: from the release in effect on the date of service, or, "
        "when that release lacks it, from the oldest later release that has it (a code not yet "
        "effective) or the newest earlier one; null for an unknown code."
    )
    replacements: list[CrossReference] = strawberry.field(
        description="For a discontinued code, or one Medicare does not cover, the codes CMS "
        "cross-references (XREF1-5, at most five); empty otherwise."
    )
    suggestions: list[CodeSuggestion] = strawberry.field(
        resolver=_suggestions,
        description=f"For an unknown code, at most {MAX_SUGGESTIONS} valid codes it may have "
        "meant: by shape for a code, by description for words; empty otherwise.",
    )
    check: strawberry.Private[LineCheck]

    @classmethod
    def of(cls, check: LineCheck, info: Info) -> Self:
        catalog = info.context.catalog
        record = check.record
        return cls(
            line=check.number,
            code=check.line.code,
            modifiers=list(check.line.modifiers),
            date_of_service=check.line.date_of_service,
            release=None if check.release is None else release_of(check.release),
            severity=check.severity,
            findings=[
                ClaimLineFinding(
                    verdict=finding.verdict,
                    severity=finding.severity,
                    subject=finding.subject,
                    message=finding.message,
                )
                for finding in check.findings
            ],
            record=Code.from_row_or_none(record, catalog),
            replacements=[
                CrossReference(code=code, release_id=record.release_id)
                for code in check.replacements
                if record is not None
            ],
            check=check,
        )
