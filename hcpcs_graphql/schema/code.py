from __future__ import annotations

import datetime
from collections.abc import Awaitable
from typing import ClassVar, Self

import strawberry

from hcpcs_graphql.db.rows import CodeRow
from hcpcs_graphql.domain.noc import is_noc
from hcpcs_graphql.domain.records import Kind
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
from hcpcs_graphql.schema.defects import ValueDefect
from hcpcs_graphql.schema.enums import graphql_enum
from hcpcs_graphql.schema.node import Node
from hcpcs_graphql.schema.per_row import once_per_row
from hcpcs_graphql.schema.release import Release, release_of
from hcpcs_graphql.schema.status import CodeStatusOnDate, status_on_date
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Info
from hcpcs_graphql.services.global_ids import code_id
from hcpcs_graphql.services.loaders import CodeKey, known_rows

graphql_enum(Kind, name="CodeKind", description="Whether a code is a procedure code or a modifier.")


def _target(root: CrossReference, info: Info) -> Code | Awaitable[Code | None] | None:
    """At once when the catalog's row cache knows the code (graphql-core awaits what a resolver
    returns only when it is awaitable): a page of codes seen before completes without a turn of
    the event loop. Else through the loader, batched with the page's other targets."""
    catalog = info.context.catalog
    key = (root.release_id, root.code)
    known = known_rows(catalog, [key])
    if known is None:
        return _load_target(key, info)
    return Code.from_row_or_none(known[0], catalog)


async def _load_target(key: CodeKey, info: Info) -> Code | None:
    row = await info.context.loaders.code.load(key)
    return Code.from_row_or_none(row, info.context.catalog)


def _code_id(root: Code) -> strawberry.ID:
    return strawberry.ID(code_id(root.release.id, root.code))


def _is_not_otherwise_classified(root: Code) -> bool:
    return is_noc(root.code)


async def _history(root: Code, info: Info) -> CodeHistory:
    rows = await info.context.loaders.history.load(root.code)
    catalog = info.context.catalog
    records = [Code.from_row(row, catalog) for row in rows]
    return CodeHistory(
        records=records, first_release=records[0].release, last_release=records[-1].release
    )


async def _referenced_by(root: Code, info: Info) -> list[Code]:
    loaders = info.context.loaders
    referrers = await loaders.referrers.load(root.release.id)
    keys = [(root.release.id, code) for code in referrers.get(root.code, ())]
    catalog = info.context.catalog
    return [Code.from_row(row, catalog) for row in await loaders.code.load_many(keys) if row]


async def _cms_defects(root: Code, info: Info) -> list[ValueDefect]:
    rows = await info.context.loaders.defects.load((root.release.id, root.code))
    return [ValueDefect.from_row(row) for row in rows]


@strawberry.type(description="A code across the loaded releases.")
class CodeHistory:
    records: list[Code] = strawberry.field(
        description="The code in each loaded release that has it, the oldest first: each with "
        "its release, action code and action effective date."
    )

    first_release: Release = strawberry.field(
        description="The oldest loaded release that has the code."
    )
    last_release: Release = strawberry.field(
        description="The newest loaded release that has the code."
    )


@strawberry.type(description="A HCPCS Level II code (or modifier) as one CMS release gives it.")
class Code(Node):
    id: strawberry.ID = strawberry.field(
        resolver=_code_id,
        description="The global id of the code in this release (Relay): the same code of the "
        "same release has the same id in every query; `node(id:)` finds it again.",
    )
    code: str = strawberry.field(
        description="The code, e.g. A9597; a modifier's two characters, e.g. LT."
    )
    kind: Kind = strawberry.field(description="Procedure code or modifier.")
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

    status: CodeStatusOnDate = strawberry.field(
        resolver=status_on_date,
        description="Whether the code is in effect on a date: active, not yet effective (before "
        "ADD_DT) or discontinued (after TERM_DT, its last valid day).",
    )
    is_not_otherwise_classified: bool = strawberry.field(
        resolver=_is_not_otherwise_classified,
        description="Whether the code is on CMS's list of not otherwise classified (NOC) codes "
        "(NOC codes_JAN2026.xlsx): a claim line with one needs a narrative of what was provided.",
    )
    history: CodeHistory = strawberry.field(
        resolver=_history, description="The code in every loaded release that has it."
    )
    referenced_by: list[Code] = strawberry.field(
        resolver=_referenced_by,
        description="The codes of the same release that cross-reference this one (XREF1-5), "
        "in code order: typically discontinued codes this one replaces.",
    )

    cms_defects: list[ValueDefect] = strawberry.field(
        resolver=_cms_defects,
        description="The code's values that do not parse, in record layout order, each with "
        "CMS's text: their typed fields are null. Empty for almost every code.",
    )

    shared_facts: ClassVar[bool] = True
    """Built once while its row lives (`from_row`) and never changed: a plan keeps a template
    of what its plain fields complete to (schema/plan/build.py)."""

    @classmethod
    def from_row(cls, row: CodeRow, catalog: Catalog) -> Code:
        """Built once while the row lives (nothing changes a code once built): the catalog's
        row cache shares rows across requests, so a page of codes seen before builds nothing."""
        return once_per_row(row, catalog, Code.build)

    @classmethod
    def from_row_or_none(cls, row: CodeRow | None, catalog: Catalog) -> Code | None:
        """The code of a lookup: None where the release has none."""
        return None if row is None else cls.from_row(row, catalog)

    @classmethod
    def build(cls, row: CodeRow, catalog: Catalog) -> Self:
        def value(kind: type[T], code: str | None) -> T | None:
            return None if code is None else coded(kind, catalog, code)

        return cls(
            code=row.code,
            kind=Kind(row.kind),
            long_description=row.long_description,
            short_description=row.short_description,
            pricing_indicators=[
                coded(PricingIndicator, catalog, code) for code in row.pricing_indicators
            ],
            multiple_pricing_indicator=value(MultiplePricingIndicator, row.mult_pi),
            coverage=value(Coverage, row.cov),
            betos=None if row.betos is None else betos(catalog, row.betos),
            types_of_service=[coded(TypeOfService, catalog, code) for code in row.types_of_service],
            lab_certifications=[
                coded(LabCertification, catalog, code) for code in row.lab_certifications
            ],
            cross_references=[
                CrossReference(code=code, release_id=row.release_id)
                for code in row.cross_references
            ],
            cim_references=row.cim_references,
            mcm_references=row.mcm_references,
            statute=row.statute,
            asc_payment_group=value(AscPaymentGroup, row.asc_grp),
            asc_payment_group_effective_date=row.asc_dt,
            mog_payment_group=value(MogPaymentGroup, row.opps),
            mog_payment_policy_indicator=value(MogPaymentPolicyIndicator, row.opps_pi),
            mog_effective_date=row.opps_dt,
            processing_note=value(ProcessingNote, row.procnote),
            anesthesia_base_units=row.anest_bu,
            added_date=row.add_dt,
            action_effective_date=row.act_eff_dt,
            termination_date=row.term_dt,
            action=value(ActionCode, row.action_cd),
            release=release_of(catalog.release(row.release_id)),
        )


@strawberry.type(description="A cross-reference (XREF1-5) from a code to another code.")
class CrossReference:
    code: str = strawberry.field(description="The referenced code as CMS writes it.")
    target: Code | None = strawberry.field(  # type: ignore[assignment]
        resolver=_target,
        graphql_type=Code | None,  # what _target gives, at once or awaited
        description="The referenced code in the same release; null when absent.",
    )
    release_id: strawberry.Private[str]

    shared_facts: ClassVar[bool] = True
    """Built with its code, never changed (schema/plan/build.py)."""
