"""What a claim-line check finds: a stable verdict, how much it matters, in a sentence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import auto
from typing import Self

from hcpcs_graphql.domain.described import DescribedEnum


class Severity(DescribedEnum):
    """The most severe first."""

    ERROR = auto(), "The line is not valid as coded: a payer would reject it."
    WARNING = (
        auto(),
        "The line needs attention: a narrative, a service Medicare does not pay, or a code this "
        "service cannot check.",
    )
    INFO = auto(), "For information."


class Verdict(DescribedEnum):
    """Each member is `NAME = auto(), Severity.X, "What it means ({severity})."`: the severity is
    declared once, and the description names it where `{severity}` stands."""

    severity: Severity

    # The defaults are there only for mypy, as DescribedEnum's is: a member declared without
    # its severity fails at import.
    def __new__(
        cls, value: object, severity: Severity | None = None, description: str = ""
    ) -> Self:
        if severity is None:
            raise TypeError(f"Verdict {value}: no severity")
        member = object.__new__(cls)
        member._value_ = value
        member.severity = severity
        member.description = description.format(severity=severity.name)
        return member

    VALID = (
        auto(),
        Severity.INFO,
        "The code is in effect on the date of service ({severity}). Notes about it may follow.",
    )
    UNKNOWN_CODE = (
        auto(),
        Severity.ERROR,
        "No loaded release has the code ({severity}); `suggestions` lists the nearest valid codes.",
    )
    UNCHECKED_CODE = (
        auto(),
        Severity.WARNING,
        "The code has the shape of a CPT (Level I: five digits, or four digits and F, T, U or M) "
        "or CDT (dental: D and four digits) code, which the CMS HCPCS Level II file does not "
        "hold: not checked ({severity}).",
    )
    NOT_YET_EFFECTIVE = (
        auto(),
        Severity.ERROR,
        "The code takes effect after the date of service ({severity}): its added date is later, "
        "as a later release gives it.",
    )
    DISCONTINUED = (
        auto(),
        Severity.ERROR,
        "The code's last valid day (its termination date) is before the date of service "
        "({severity}); `replacements` lists the codes CMS cross-references.",
    )
    NO_RELEASE_IN_EFFECT = (
        auto(),
        Severity.ERROR,
        "The date of service is before every loaded release: the line could not be checked "
        "({severity}).",
    )
    RELEASE_NOT_LOADED = (
        auto(),
        Severity.WARNING,
        "CMS's release in effect on the date of service is newer than any loaded: the line was "
        "checked against the newest loaded release, which may be out of date ({severity}).",
    )
    NOT_OTHERWISE_CLASSIFIED = (
        auto(),
        Severity.WARNING,
        "The code is on CMS's list of not otherwise classified (NOC) codes (January 2026): the "
        "claim needs a narrative describing the item or service ({severity}).",
    )
    NOT_COVERED = (
        auto(),
        Severity.WARNING,
        "The code's coverage code means Medicare does not pay it: I (not payable by Medicare), M "
        "(non-covered by Medicare) or S (non-covered by Medicare statute); the message gives the "
        "meaning and `replacements` the codes CMS cross-references ({severity}).",
    )
    ANESTHESIA_BASE_UNITS = (
        auto(),
        Severity.INFO,
        "The code carries anesthesia base units (more than 0): payment is figured on them plus "
        "time units ({severity}).",
    )
    UNKNOWN_MODIFIER = auto(), Severity.ERROR, "No loaded release has the modifier ({severity})."
    UNCHECKED_MODIFIER = (
        auto(),
        Severity.WARNING,
        "The modifier starts with a digit, like a CPT (Level I) modifier (25, 59), which the CMS "
        "HCPCS Level II file does not hold: not checked ({severity}).",
    )
    MODIFIER_NOT_VALID = (
        auto(),
        Severity.ERROR,
        "The modifier is discontinued or not yet effective on the date of service ({severity}); "
        "the message gives its date.",
    )


@dataclass(frozen=True, slots=True)
class Finding:
    verdict: Verdict
    subject: str
    """The code or the modifier the finding is about."""
    message: str

    @property
    def severity(self) -> Severity:
        return self.verdict.severity


_RANK = {severity: rank for rank, severity in enumerate(Severity)}


def most_severe(findings: Iterable[Finding]) -> Severity:
    return min((finding.severity for finding in findings), key=_RANK.__getitem__)
