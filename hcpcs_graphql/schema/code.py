from __future__ import annotations

import datetime
from enum import Enum
from typing import Self

import strawberry

from hcpcs_graphql.db.rows import CodeRow
from hcpcs_graphql.resolvers.catalog import Catalog
from hcpcs_graphql.resolvers.context import Info
from hcpcs_graphql.schema.coded import (
    ActionCode,
    AscPaymentGroup,
    Betos,
    Coverage,
    LabCertification,
    MogPaymentGroup,
    MogPaymentPolicyIndicator,
    MultiplePricingIndicator,
    PricingIndicator,
    ProcessingNote,
    T,
    TypeOfService,
    betos,
    coded,
)
from hcpcs_graphql.schema.release import Release, release_of


@strawberry.enum(description="Whether a code is a procedure code or a modifier.")
class CodeKind(Enum):
    PROCEDURE = strawberry.enum_value(
        "PROCEDURE", description="A procedure, supply, product or service (RECID 3 and 4)."
    )
    MODIFIER = strawberry.enum_value(
        "MODIFIER", description="A two-character modifier (RECID 7 and 8)."
    )


async def _target(root: CrossReference, info: Info) -> Code | None:
    row = await info.context.loaders.code.load((root.release_id, root.code))
    return None if row is None else Code.from_row(row, info.context.catalog)


@strawberry.type(description="A cross-reference (XREF1-5) from a code to another code.")
class CrossReference:
    code: str = strawberry.field(description="The referenced code as CMS writes it.")
    target: Code | None = strawberry.field(
        resolver=_target, description="The referenced code in the same release; null when absent."
    )
    release_id: strawberry.Private[str]


@strawberry.type(description="A HCPCS Level II code (or modifier) as one CMS release gives it.")
class Code:
    code: str = strawberry.field(
        description="The code, e.g. A9597; a modifier's two characters, e.g. LT."
    )
    kind: CodeKind = strawberry.field(description="Procedure code or modifier.")
    long_description: str = strawberry.field(
        description="The full description, joined from all of the code's records."
    )
    short_description: str | None = strawberry.field(
        description="The short description (28 characters at most)."
    )
    pricing_indicators: list[PricingIndicator] = strawberry.field(
        description="Pricing indicators PRICE1-4, in order; one to four for a procedure."
    )
    multiple_pricing_indicator: MultiplePricingIndicator | None = strawberry.field(
        description="Multiple pricing indicator (MULT_PI)."
    )
    coverage: Coverage | None = strawberry.field(description="Medicare coverage code (COV).")
    betos: Betos | None = strawberry.field(description="Berenson-Eggers type of service (BETOS).")
    types_of_service: list[TypeOfService] = strawberry.field(
        description="Types of service TOS1-5, in order."
    )
    lab_certifications: list[LabCertification] = strawberry.field(
        description="Lab certifications LABCERT1-8, in order."
    )
    cross_references: list[CrossReference] = strawberry.field(
        description="Cross-references XREF1-5, in order: typically the replacement of a "
        "discontinued code."
    )
    cim_references: list[str] = strawberry.field(
        description="Coverage Issues Manual reference sections (CIM1-3)."
    )
    mcm_references: list[str] = strawberry.field(
        description="Medicare Carriers Manual reference sections (MCM1-3)."
    )
    statute: str | None = strawberry.field(
        description="Statute reference for coverage or non-coverage (STATUTE), as CMS writes it."
    )
    asc_payment_group: AscPaymentGroup | None = strawberry.field(
        description="ASC payment group (ASC_GRP); null when not approved for an ASC."
    )
    asc_payment_group_effective_date: datetime.date | None = strawberry.field(
        description="When the code was assigned to the ASC payment group (ASC_DT)."
    )
    mog_payment_group: MogPaymentGroup | None = strawberry.field(
        description="Medicare outpatient group payment group (OPPS)."
    )
    mog_payment_policy_indicator: MogPaymentPolicyIndicator | None = strawberry.field(
        description="MOG payment policy indicator (OPPS_PI)."
    )
    mog_effective_date: datetime.date | None = strawberry.field(
        description="When the code was assigned to the MOG payment group (OPPS_DT)."
    )
    processing_note: ProcessingNote | None = strawberry.field(
        description="Processing note (PROCNOTE) with its text."
    )
    anesthesia_base_units: int | None = strawberry.field(
        description="Anesthesia base unit quantity (ANEST_BU)."
    )
    added_date: datetime.date | None = strawberry.field(
        description="When the code was added to HCPCS (ADD_DT)."
    )
    action_effective_date: datetime.date | None = strawberry.field(
        description="When the action of this release took effect (ACT_EFF_DT)."
    )
    termination_date: datetime.date | None = strawberry.field(
        description="The last day the code is valid (TERM_DT); null while it is valid."
    )
    action: ActionCode | None = strawberry.field(
        description="The change CMS made to the code in this release (ACTION_CD)."
    )
    release: Release = strawberry.field(description="The release this record belongs to.")

    @classmethod
    def from_row(cls, row: CodeRow, catalog: Catalog) -> Self:
        def value(kind: type[T], table: str, code: str | None) -> T | None:
            return None if code is None else coded(kind, catalog, table, code)

        return cls(
            code=row.code,
            kind=CodeKind(row.kind),
            long_description=row.long_description,
            short_description=row.short_description,
            pricing_indicators=[
                coded(PricingIndicator, catalog, "pricing_indicator", code)
                for code in row.pricing_indicators
            ],
            multiple_pricing_indicator=value(
                MultiplePricingIndicator, "multiple_pricing_indicator", row.mult_pi
            ),
            coverage=value(Coverage, "coverage", row.cov),
            betos=None if row.betos is None else betos(catalog, row.betos),
            types_of_service=[
                coded(TypeOfService, catalog, "type_of_service", code)
                for code in row.types_of_service
            ],
            lab_certifications=[
                coded(LabCertification, catalog, "lab_certification", code)
                for code in row.lab_certifications
            ],
            cross_references=[
                CrossReference(code=code, release_id=row.release_id)
                for code in row.cross_references
            ],
            cim_references=row.cim_references,
            mcm_references=row.mcm_references,
            statute=row.statute,
            asc_payment_group=value(AscPaymentGroup, "asc_payment_group", row.asc_grp),
            asc_payment_group_effective_date=row.asc_dt,
            mog_payment_group=value(MogPaymentGroup, "mog_payment_group", row.opps),
            mog_payment_policy_indicator=value(
                MogPaymentPolicyIndicator, "mog_payment_policy_indicator", row.opps_pi
            ),
            mog_effective_date=row.opps_dt,
            processing_note=value(ProcessingNote, "processing_note", row.procnote),
            anesthesia_base_units=row.anest_bu,
            added_date=row.add_dt,
            action_effective_date=row.act_eff_dt,
            termination_date=row.term_dt,
            action=value(ActionCode, "action_code", row.action_cd),
            release=release_of(catalog.release(row.release_id)),
        )
