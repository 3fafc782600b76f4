"""What a diff compares: the kinds of change between two releases and the fields of a code
(one per field of `Code`, with the CMS columns each is made of), each described for the API."""

from __future__ import annotations

import datetime
from enum import auto

from hcpcs_graphql.db.rows import CodeRow
from hcpcs_graphql.domain.described import DescribedEnum
from hcpcs_graphql.domain.layout import DETAIL_FIELDS


class ChangeKind(DescribedEnum):
    ADDED = auto(), "In `to`, not in `from` (CMS action A)."
    REMOVED = (
        auto(),
        "In `from`, not in `to` (CMS drops a discontinued code from its file four years after its"
        " termination date).",
    )
    DISCONTINUED = (
        auto(),
        "In both; `to` gives it a termination date that `from` did not (CMS action D). A "
        "discontinued code stays in CMS's file.",
    )
    REACTIVATED = (
        auto(),
        "In both; `from` gave it a termination date that `to` does not (CMS action R).",
    )
    CHANGED = auto(), "In both, with compared fields that differ, and neither of the above."


def _columns(name: str, count: int) -> tuple[str, ...]:
    return tuple(f"{name}{n}" for n in range(1, count + 1))


class DiffField(DescribedEnum):
    """A field of a code as the API shows it, and the CMS columns it is made of, in order."""

    LONG_DESCRIPTION = ("long_description",), "longDescription (LONG DESCRIPTION)."
    SHORT_DESCRIPTION = ("short_description",), "shortDescription (SHORT DESCRIPTION)."
    PRICING_INDICATORS = _columns("price", 4), "pricingIndicators (PRICE1-4)."
    MULTIPLE_PRICING_INDICATOR = ("mult_pi",), "multiplePricingIndicator (MULT_PI)."
    CIM_REFERENCES = _columns("cim", 3), "cimReferences (CIM1-3)."
    MCM_REFERENCES = _columns("mcm", 3), "mcmReferences (MCM1-3)."
    STATUTE = ("statute",), "statute (STATUTE)."
    LAB_CERTIFICATIONS = _columns("labcert", 8), "labCertifications (LABCERT1-8)."
    CROSS_REFERENCES = _columns("xref", 5), "crossReferences (XREF1-5)."
    COVERAGE = ("cov",), "coverage (COV)."
    ASC_PAYMENT_GROUP = ("asc_grp",), "ascPaymentGroup (ASC_GRP)."
    ASC_PAYMENT_GROUP_EFFECTIVE_DATE = ("asc_dt",), "ascPaymentGroupEffectiveDate (ASC_DT)."
    MOG_PAYMENT_GROUP = ("opps",), "mogPaymentGroup (OPPS)."
    MOG_PAYMENT_POLICY_INDICATOR = ("opps_pi",), "mogPaymentPolicyIndicator (OPPS_PI)."
    MOG_EFFECTIVE_DATE = ("opps_dt",), "mogEffectiveDate (OPPS_DT)."
    PROCESSING_NOTE = ("procnote",), "processingNote (PROCNOTE)."
    BETOS = ("betos",), "betos (BETOS)."
    TYPES_OF_SERVICE = _columns("tos", 5), "typesOfService (TOS1-5)."
    ANESTHESIA_BASE_UNITS = ("anest_bu",), "anesthesiaBaseUnits (ANEST_BU)."
    ADDED_DATE = ("add_dt",), "addedDate (ADD DT)."
    ACTION_EFFECTIVE_DATE = (
        ("act_eff_dt",),
        "actionEffectiveDate (ACT EFF DT); not compared unless named.",
    )
    TERMINATION_DATE = ("term_dt",), "terminationDate (TERM DT)."
    ACTION = ("action_cd",), "action (ACTION CD); not compared unless named."

    @property
    def columns(self) -> tuple[str, ...]:
        return self.value  # type: ignore[no-any-return]

    @property
    def index(self) -> int:
        """Its place in the declaration: its bit in a diff's mask."""
        return _ORDER[self]

    @property
    def bit(self) -> int:
        return 1 << self.index

    @property
    def code_table(self) -> str | None:
        """The code table of the field's values; None for text, dates and numbers."""
        return _CODE_TABLES.get(self.columns[0])

    def values(self, row: CodeRow | None) -> tuple[str, ...]:
        """The field's values in ROW as text, blanks left out: dates ISO, numbers in digits."""
        if row is None:
            return ()
        found = (getattr(row, column) for column in self.columns)
        return tuple(
            value.isoformat() if isinstance(value, datetime.date) else str(value)
            for value in found
            if value is not None
        )


_ORDER = {field: index for index, field in enumerate(DiffField)}
_CODE_TABLES = {field.column: field.code_table for field in DETAIL_FIELDS if field.code_table}

BOOKKEEPING = frozenset({DiffField.ACTION, DiffField.ACTION_EFFECTIVE_DATE})
"""What CMS records about its own change (how and when), rather than the change itself."""
DEFAULT_FIELDS: tuple[DiffField, ...] = tuple(
    field for field in DiffField if field not in BOOKKEEPING
)
"""The fields compared when none are named."""
