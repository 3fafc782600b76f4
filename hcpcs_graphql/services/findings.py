"""What a claim-line check finds: a stable verdict, how much it matters, in a sentence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import auto

from hcpcs_graphql.domain.described import DescribedEnum


class Verdict(DescribedEnum):
    VALID = (
        auto(),
        "The code is in effect on the date of service (INFO). Notes about it may follow.",
    )
    UNKNOWN_CODE = (
        auto(),
        "No loaded release has the code (ERROR); `suggestions` lists the nearest valid codes.",
    )
    UNCHECKED_CODE = (
        auto(),
        "The code has the shape of a CPT (Level I: five digits, or four digits and F, T, U or M) "
        "or CDT (dental: D and four digits) code, which the CMS HCPCS Level II file does not "
        "hold: not checked (WARNING).",
    )
    NOT_YET_EFFECTIVE = (
        auto(),
        "The code takes effect after the date of service (ERROR): its added date is later, as a "
        "later release gives it.",
    )
    DISCONTINUED = (
        auto(),
        "The code's last valid day (its termination date) is before the date of service (ERROR); "
        "`replacements` lists the codes CMS cross-references.",
    )
    NO_RELEASE_IN_EFFECT = (
        auto(),
        "The date of service is before every loaded release: the line could not be checked "
        "(ERROR).",
    )
    RELEASE_NOT_LOADED = (
        auto(),
        "CMS's release in effect on the date of service is newer than any loaded: the line was "
        "checked against the newest loaded release, which may be out of date (WARNING).",
    )
    NOT_OTHERWISE_CLASSIFIED = (
        auto(),
        "The code is on CMS's list of not otherwise classified (NOC) codes (January 2026): the "
        "claim needs a narrative describing the item or service (WARNING).",
    )
    NOT_COVERED = (
        auto(),
        "The code's coverage code means Medicare does not pay it: I (not payable by Medicare), M "
        "(non-covered by Medicare) or S (non-covered by Medicare statute); the message gives the "
        "meaning and `replacements` the codes CMS cross-references (WARNING).",
    )
    ANESTHESIA_BASE_UNITS = (
        auto(),
        "The code carries anesthesia base units (more than 0): payment is figured on them plus "
        "time units (INFO).",
    )
    UNKNOWN_MODIFIER = auto(), "No loaded release has the modifier (ERROR)."
    UNCHECKED_MODIFIER = (
        auto(),
        "The modifier starts with a digit, like a CPT (Level I) modifier (25, 59), which the CMS "
        "HCPCS Level II file does not hold: not checked (WARNING).",
    )
    MODIFIER_NOT_VALID = (
        auto(),
        "The modifier is discontinued or not yet effective on the date of service (ERROR); the "
        "message gives its date.",
    )


class Severity(DescribedEnum):
    """The most severe first."""

    ERROR = auto(), "The line is not valid as coded: a payer would reject it."
    WARNING = (
        auto(),
        "The line needs attention: a narrative, a service Medicare does not pay, or a code this "
        "service cannot check.",
    )
    INFO = auto(), "For information."


SEVERITIES = {
    Verdict.VALID: Severity.INFO,
    Verdict.UNKNOWN_CODE: Severity.ERROR,
    Verdict.UNCHECKED_CODE: Severity.WARNING,
    Verdict.NOT_YET_EFFECTIVE: Severity.ERROR,
    Verdict.DISCONTINUED: Severity.ERROR,
    Verdict.NO_RELEASE_IN_EFFECT: Severity.ERROR,
    Verdict.RELEASE_NOT_LOADED: Severity.WARNING,
    Verdict.NOT_OTHERWISE_CLASSIFIED: Severity.WARNING,
    Verdict.NOT_COVERED: Severity.WARNING,
    Verdict.ANESTHESIA_BASE_UNITS: Severity.INFO,
    Verdict.UNKNOWN_MODIFIER: Severity.ERROR,
    Verdict.UNCHECKED_MODIFIER: Severity.WARNING,
    Verdict.MODIFIER_NOT_VALID: Severity.ERROR,
}


@dataclass(frozen=True, slots=True)
class Finding:
    verdict: Verdict
    subject: str
    """The code or the modifier the finding is about."""
    message: str

    @property
    def severity(self) -> Severity:
        return SEVERITIES[self.verdict]


_RANK = {severity: rank for rank, severity in enumerate(Severity)}


def most_severe(findings: Iterable[Finding]) -> Severity:
    return min((finding.severity for finding in findings), key=_RANK.__getitem__)
