"""The enums of `changes`: how a code differs between two releases, and the fields compared
(one per field of `Code`, named after it; db/diff.py says which CMS columns each is made of)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="How a code differs between two releases.")
class ChangeKind(Enum):
    ADDED = strawberry.enum_value("ADDED", description="In `to`, not in `from` (CMS action A).")
    REMOVED = strawberry.enum_value(
        "REMOVED",
        description="In `from`, not in `to` (CMS drops a discontinued code from its file "
        "four years after its termination date).",
    )
    DISCONTINUED = strawberry.enum_value(
        "DISCONTINUED",
        description="In both; `to` gives it a termination date that `from` did not "
        "(CMS action D). A discontinued code stays in CMS's file.",
    )
    REACTIVATED = strawberry.enum_value(
        "REACTIVATED",
        description="In both; `from` gave it a termination date that `to` does not (CMS action R).",
    )
    CHANGED = strawberry.enum_value(
        "CHANGED",
        description="In both, with compared fields that differ, and neither of the above.",
    )


@strawberry.enum(description="A field of a code that two releases are compared on.")
class CodeField(Enum):
    LONG_DESCRIPTION = strawberry.enum_value(
        "LONG_DESCRIPTION", description="longDescription (LONG DESCRIPTION)."
    )
    SHORT_DESCRIPTION = strawberry.enum_value(
        "SHORT_DESCRIPTION", description="shortDescription (SHORT DESCRIPTION)."
    )
    PRICING_INDICATORS = strawberry.enum_value(
        "PRICING_INDICATORS", description="pricingIndicators (PRICE1-4)."
    )
    MULTIPLE_PRICING_INDICATOR = strawberry.enum_value(
        "MULTIPLE_PRICING_INDICATOR", description="multiplePricingIndicator (MULT_PI)."
    )
    CIM_REFERENCES = strawberry.enum_value("CIM_REFERENCES", description="cimReferences (CIM1-3).")
    MCM_REFERENCES = strawberry.enum_value("MCM_REFERENCES", description="mcmReferences (MCM1-3).")
    STATUTE = strawberry.enum_value("STATUTE", description="statute (STATUTE).")
    LAB_CERTIFICATIONS = strawberry.enum_value(
        "LAB_CERTIFICATIONS", description="labCertifications (LABCERT1-8)."
    )
    CROSS_REFERENCES = strawberry.enum_value(
        "CROSS_REFERENCES", description="crossReferences (XREF1-5)."
    )
    COVERAGE = strawberry.enum_value("COVERAGE", description="coverage (COV).")
    ASC_PAYMENT_GROUP = strawberry.enum_value(
        "ASC_PAYMENT_GROUP", description="ascPaymentGroup (ASC_GRP)."
    )
    ASC_PAYMENT_GROUP_EFFECTIVE_DATE = strawberry.enum_value(
        "ASC_PAYMENT_GROUP_EFFECTIVE_DATE", description="ascPaymentGroupEffectiveDate (ASC_DT)."
    )
    MOG_PAYMENT_GROUP = strawberry.enum_value(
        "MOG_PAYMENT_GROUP", description="mogPaymentGroup (OPPS)."
    )
    MOG_PAYMENT_POLICY_INDICATOR = strawberry.enum_value(
        "MOG_PAYMENT_POLICY_INDICATOR", description="mogPaymentPolicyIndicator (OPPS_PI)."
    )
    MOG_EFFECTIVE_DATE = strawberry.enum_value(
        "MOG_EFFECTIVE_DATE", description="mogEffectiveDate (OPPS_DT)."
    )
    PROCESSING_NOTE = strawberry.enum_value(
        "PROCESSING_NOTE", description="processingNote (PROCNOTE)."
    )
    BETOS = strawberry.enum_value("BETOS", description="betos (BETOS).")
    TYPES_OF_SERVICE = strawberry.enum_value(
        "TYPES_OF_SERVICE", description="typesOfService (TOS1-5)."
    )
    ANESTHESIA_BASE_UNITS = strawberry.enum_value(
        "ANESTHESIA_BASE_UNITS", description="anesthesiaBaseUnits (ANEST_BU)."
    )
    ADDED_DATE = strawberry.enum_value("ADDED_DATE", description="addedDate (ADD DT).")
    ACTION_EFFECTIVE_DATE = strawberry.enum_value(
        "ACTION_EFFECTIVE_DATE",
        description="actionEffectiveDate (ACT EFF DT); not compared unless named.",
    )
    TERMINATION_DATE = strawberry.enum_value(
        "TERMINATION_DATE", description="terminationDate (TERM DT)."
    )
    ACTION = strawberry.enum_value(
        "ACTION", description="action (ACTION CD); not compared unless named."
    )
