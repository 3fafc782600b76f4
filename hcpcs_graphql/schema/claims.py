"""The types of a claim-line check."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Self

import strawberry

from hcpcs_graphql.schema.code import Code, CrossReference
from hcpcs_graphql.schema.release import Release, release_of
from hcpcs_graphql.schema.suggestion import CodeSuggestion
from hcpcs_graphql.services import claims
from hcpcs_graphql.services.claims import MAX_MODIFIERS, LineCheck
from hcpcs_graphql.services.context import Info
from hcpcs_graphql.services.suggestions import MAX_SUGGESTIONS


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


@strawberry.enum(description="What a check found about a claim line: a stable code.")
class ClaimLineVerdict(Enum):
    VALID = strawberry.enum_value(
        "VALID",
        description="The code is in effect on the date of service (INFO). Notes about it may "
        "follow.",
    )
    UNKNOWN_CODE = strawberry.enum_value(
        "UNKNOWN_CODE",
        description="No loaded release has the code (ERROR); `suggestions` lists the nearest "
        "valid codes.",
    )
    UNCHECKED_CODE = strawberry.enum_value(
        "UNCHECKED_CODE",
        description="The code has the shape of a CPT (Level I: five digits, or four digits and "
        "F, T, U or M) or CDT (dental: D and four digits) code, which the CMS HCPCS Level II "
        "file does not hold: not checked (WARNING).",
    )
    NOT_YET_EFFECTIVE = strawberry.enum_value(
        "NOT_YET_EFFECTIVE",
        description="The code takes effect after the date of service (ERROR): its added date "
        "is later, as a later release gives it.",
    )
    DISCONTINUED = strawberry.enum_value(
        "DISCONTINUED",
        description="The code's last valid day (its termination date) is before the date of "
        "service (ERROR); `replacements` lists the codes CMS cross-references.",
    )
    NO_RELEASE_IN_EFFECT = strawberry.enum_value(
        "NO_RELEASE_IN_EFFECT",
        description="The date of service is before every loaded release: the line could not "
        "be checked (ERROR).",
    )
    RELEASE_NOT_LOADED = strawberry.enum_value(
        "RELEASE_NOT_LOADED",
        description="CMS's release in effect on the date of service is newer than any loaded: "
        "the line was checked against the newest loaded release, which may be out of date "
        "(WARNING).",
    )
    NOT_OTHERWISE_CLASSIFIED = strawberry.enum_value(
        "NOT_OTHERWISE_CLASSIFIED",
        description="The code is on CMS's list of not otherwise classified (NOC) codes (January "
        "2026): the claim needs a narrative describing the item or service (WARNING).",
    )
    NOT_COVERED = strawberry.enum_value(
        "NOT_COVERED",
        description="The code's coverage code means Medicare does not pay it: I (not payable by "
        "Medicare), M (non-covered by Medicare) or S (non-covered by Medicare statute); the "
        "message gives the meaning and `replacements` the codes CMS cross-references (WARNING).",
    )
    ANESTHESIA_BASE_UNITS = strawberry.enum_value(
        "ANESTHESIA_BASE_UNITS",
        description="The code carries anesthesia base units (more than 0): payment is figured "
        "on them plus time units (INFO).",
    )
    UNKNOWN_MODIFIER = strawberry.enum_value(
        "UNKNOWN_MODIFIER", description="No loaded release has the modifier (ERROR)."
    )
    UNCHECKED_MODIFIER = strawberry.enum_value(
        "UNCHECKED_MODIFIER",
        description="The modifier starts with a digit, like a CPT (Level I) modifier (25, 59), "
        "which the CMS HCPCS Level II file does not hold: not checked (WARNING).",
    )
    MODIFIER_NOT_VALID = strawberry.enum_value(
        "MODIFIER_NOT_VALID",
        description="The modifier is discontinued or not yet effective on the date of service "
        "(ERROR); the message gives its date.",
    )


@strawberry.enum(description="How much a finding matters.")
class FindingSeverity(Enum):
    ERROR = strawberry.enum_value(
        "ERROR", description="The line is not valid as coded: a payer would reject it."
    )
    WARNING = strawberry.enum_value(
        "WARNING",
        description="The line needs attention: a narrative, a service Medicare does not pay, or "
        "a code this service cannot check.",
    )
    INFO = strawberry.enum_value("INFO", description="For information.")


@strawberry.type(description="One thing a check found about a claim line.")
class ClaimLineFinding:
    verdict: ClaimLineVerdict = strawberry.field(description="What was found: a stable code.")
    severity: FindingSeverity = strawberry.field(description="How much it matters.")
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
    severity: FindingSeverity = strawberry.field(
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
            severity=FindingSeverity(check.severity.value),
            findings=[
                ClaimLineFinding(
                    verdict=ClaimLineVerdict(finding.verdict.value),
                    severity=FindingSeverity(finding.severity.value),
                    subject=finding.subject,
                    message=finding.message,
                )
                for finding in check.findings
            ],
            record=None if record is None else Code.from_row(record, catalog),
            replacements=[
                CrossReference(code=code, release_id=record.release_id)
                for code in check.replacements
                if record is not None
            ],
            check=check,
        )
