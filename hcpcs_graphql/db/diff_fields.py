"""What a diff compares: the kinds of change between two releases and the fields of a code
(one per field of `Code`, with the CMS columns each is made of), each described for the API."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from enum import Enum

from hcpcs_graphql.db.rows import CodeRow
from hcpcs_graphql.domain.layout import DETAIL_FIELDS


class ChangeKind(Enum):
    ADDED = "ADDED"
    REMOVED = "REMOVED"
    DISCONTINUED = "DISCONTINUED"
    REACTIVATED = "REACTIVATED"
    CHANGED = "CHANGED"


CHANGE_KIND_DESCRIPTIONS: Mapping[ChangeKind, str] = {
    ChangeKind.ADDED: "In `to`, not in `from` (CMS action A).",
    ChangeKind.REMOVED: (
        "In `from`, not in `to` (CMS drops a discontinued code from its file four years after its"
        " termination date)."
    ),
    ChangeKind.DISCONTINUED: (
        "In both; `to` gives it a termination date that `from` did not (CMS action D). A "
        "discontinued code stays in CMS's file."
    ),
    ChangeKind.REACTIVATED: (
        "In both; `from` gave it a termination date that `to` does not (CMS action R)."
    ),
    ChangeKind.CHANGED: "In both, with compared fields that differ, and neither of the above.",
}


def _columns(name: str, count: int) -> tuple[str, ...]:
    return tuple(f"{name}{n}" for n in range(1, count + 1))


class DiffField(Enum):
    """A field of a code as the API shows it, and the CMS columns it is made of, in order."""

    LONG_DESCRIPTION = ("long_description",)
    SHORT_DESCRIPTION = ("short_description",)
    PRICING_INDICATORS = _columns("price", 4)
    MULTIPLE_PRICING_INDICATOR = ("mult_pi",)
    CIM_REFERENCES = _columns("cim", 3)
    MCM_REFERENCES = _columns("mcm", 3)
    STATUTE = ("statute",)
    LAB_CERTIFICATIONS = _columns("labcert", 8)
    CROSS_REFERENCES = _columns("xref", 5)
    COVERAGE = ("cov",)
    ASC_PAYMENT_GROUP = ("asc_grp",)
    ASC_PAYMENT_GROUP_EFFECTIVE_DATE = ("asc_dt",)
    MOG_PAYMENT_GROUP = ("opps",)
    MOG_PAYMENT_POLICY_INDICATOR = ("opps_pi",)
    MOG_EFFECTIVE_DATE = ("opps_dt",)
    PROCESSING_NOTE = ("procnote",)
    BETOS = ("betos",)
    TYPES_OF_SERVICE = _columns("tos", 5)
    ANESTHESIA_BASE_UNITS = ("anest_bu",)
    ADDED_DATE = ("add_dt",)
    ACTION_EFFECTIVE_DATE = ("act_eff_dt",)
    TERMINATION_DATE = ("term_dt",)
    ACTION = ("action_cd",)

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


DIFF_FIELD_DESCRIPTIONS: Mapping[DiffField, str] = {
    DiffField.LONG_DESCRIPTION: "longDescription (LONG DESCRIPTION).",
    DiffField.SHORT_DESCRIPTION: "shortDescription (SHORT DESCRIPTION).",
    DiffField.PRICING_INDICATORS: "pricingIndicators (PRICE1-4).",
    DiffField.MULTIPLE_PRICING_INDICATOR: "multiplePricingIndicator (MULT_PI).",
    DiffField.CIM_REFERENCES: "cimReferences (CIM1-3).",
    DiffField.MCM_REFERENCES: "mcmReferences (MCM1-3).",
    DiffField.STATUTE: "statute (STATUTE).",
    DiffField.LAB_CERTIFICATIONS: "labCertifications (LABCERT1-8).",
    DiffField.CROSS_REFERENCES: "crossReferences (XREF1-5).",
    DiffField.COVERAGE: "coverage (COV).",
    DiffField.ASC_PAYMENT_GROUP: "ascPaymentGroup (ASC_GRP).",
    DiffField.ASC_PAYMENT_GROUP_EFFECTIVE_DATE: "ascPaymentGroupEffectiveDate (ASC_DT).",
    DiffField.MOG_PAYMENT_GROUP: "mogPaymentGroup (OPPS).",
    DiffField.MOG_PAYMENT_POLICY_INDICATOR: "mogPaymentPolicyIndicator (OPPS_PI).",
    DiffField.MOG_EFFECTIVE_DATE: "mogEffectiveDate (OPPS_DT).",
    DiffField.PROCESSING_NOTE: "processingNote (PROCNOTE).",
    DiffField.BETOS: "betos (BETOS).",
    DiffField.TYPES_OF_SERVICE: "typesOfService (TOS1-5).",
    DiffField.ANESTHESIA_BASE_UNITS: "anesthesiaBaseUnits (ANEST_BU).",
    DiffField.ADDED_DATE: "addedDate (ADD DT).",
    DiffField.ACTION_EFFECTIVE_DATE: "actionEffectiveDate (ACT EFF DT); not compared unless named.",
    DiffField.TERMINATION_DATE: "terminationDate (TERM DT).",
    DiffField.ACTION: "action (ACTION CD); not compared unless named.",
}


_ORDER = {field: index for index, field in enumerate(DiffField)}
_CODE_TABLES = {field.column: field.code_table for field in DETAIL_FIELDS if field.code_table}

BOOKKEEPING = frozenset({DiffField.ACTION, DiffField.ACTION_EFFECTIVE_DATE})
"""What CMS records about its own change (how and when), rather than the change itself."""
DEFAULT_FIELDS: tuple[DiffField, ...] = tuple(
    field for field in DiffField if field not in BOOKKEEPING
)
"""The fields compared when none are named."""
