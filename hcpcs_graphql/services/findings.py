"""What a claim-line check finds: a stable verdict, how much it matters, in a sentence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum


class Verdict(Enum):
    VALID = "VALID"
    UNKNOWN_CODE = "UNKNOWN_CODE"
    UNCHECKED_CODE = "UNCHECKED_CODE"
    NOT_YET_EFFECTIVE = "NOT_YET_EFFECTIVE"
    DISCONTINUED = "DISCONTINUED"
    NO_RELEASE_IN_EFFECT = "NO_RELEASE_IN_EFFECT"
    RELEASE_NOT_LOADED = "RELEASE_NOT_LOADED"
    NOT_OTHERWISE_CLASSIFIED = "NOT_OTHERWISE_CLASSIFIED"
    NOT_COVERED = "NOT_COVERED"
    ANESTHESIA_BASE_UNITS = "ANESTHESIA_BASE_UNITS"
    UNKNOWN_MODIFIER = "UNKNOWN_MODIFIER"
    UNCHECKED_MODIFIER = "UNCHECKED_MODIFIER"
    MODIFIER_NOT_VALID = "MODIFIER_NOT_VALID"


VERDICT_DESCRIPTIONS: Mapping[Verdict, str] = {
    Verdict.VALID: (
        "The code is in effect on the date of service (INFO). Notes about it may follow."
    ),
    Verdict.UNKNOWN_CODE: (
        "No loaded release has the code (ERROR); `suggestions` lists the nearest valid codes."
    ),
    Verdict.UNCHECKED_CODE: (
        "The code has the shape of a CPT (Level I: five digits, or four digits and F, T, U or M) "
        "or CDT (dental: D and four digits) code, which the CMS HCPCS Level II file does not "
        "hold: not checked (WARNING)."
    ),
    Verdict.NOT_YET_EFFECTIVE: (
        "The code takes effect after the date of service (ERROR): its added date is later, as a "
        "later release gives it."
    ),
    Verdict.DISCONTINUED: (
        "The code's last valid day (its termination date) is before the date of service (ERROR); "
        "`replacements` lists the codes CMS cross-references."
    ),
    Verdict.NO_RELEASE_IN_EFFECT: (
        "The date of service is before every loaded release: the line could not be checked (ERROR)."
    ),
    Verdict.RELEASE_NOT_LOADED: (
        "CMS's release in effect on the date of service is newer than any loaded: the line was "
        "checked against the newest loaded release, which may be out of date (WARNING)."
    ),
    Verdict.NOT_OTHERWISE_CLASSIFIED: (
        "The code is on CMS's list of not otherwise classified (NOC) codes (January 2026): the "
        "claim needs a narrative describing the item or service (WARNING)."
    ),
    Verdict.NOT_COVERED: (
        "The code's coverage code means Medicare does not pay it: I (not payable by Medicare), M "
        "(non-covered by Medicare) or S (non-covered by Medicare statute); the message gives the "
        "meaning and `replacements` the codes CMS cross-references (WARNING)."
    ),
    Verdict.ANESTHESIA_BASE_UNITS: (
        "The code carries anesthesia base units (more than 0): payment is figured on them plus "
        "time units (INFO)."
    ),
    Verdict.UNKNOWN_MODIFIER: "No loaded release has the modifier (ERROR).",
    Verdict.UNCHECKED_MODIFIER: (
        "The modifier starts with a digit, like a CPT (Level I) modifier (25, 59), which the CMS "
        "HCPCS Level II file does not hold: not checked (WARNING)."
    ),
    Verdict.MODIFIER_NOT_VALID: (
        "The modifier is discontinued or not yet effective on the date of service (ERROR); the "
        "message gives its date."
    ),
}


class Severity(Enum):
    """The most severe first."""

    ERROR = "ERROR"
    WARNING = "WARNING"
    INFO = "INFO"


SEVERITY_DESCRIPTIONS: Mapping[Severity, str] = {
    Severity.ERROR: "The line is not valid as coded: a payer would reject it.",
    Severity.WARNING: (
        "The line needs attention: a narrative, a service Medicare does not pay, or a code this "
        "service cannot check."
    ),
    Severity.INFO: "For information.",
}


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
