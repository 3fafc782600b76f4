"""The root fields that list a code table's entries (each entry lists its codes)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hcpcs_graphql.db.rows import CodeValueRow
from hcpcs_graphql.domain.table_names import Table
from hcpcs_graphql.schema.coded import (
    ActionCode,
    Betos,
    BetosCategory,
    Coverage,
    LabCertification,
    MultiplePricingIndicator,
    PricingIndicator,
    T,
    TypeOfService,
    betos,
    coded,
)
from hcpcs_graphql.services.context import Info

EntriesArgument = Annotated[
    list[str] | None,
    strawberry.argument(description="Only these entries, by code; every entry when omitted."),
]


def _rows(info: Info, table: str, codes: list[str] | None) -> list[CodeValueRow]:
    rows = info.context.catalog.table(table)
    if codes is None:
        return rows
    wanted = set(codes)
    return [row for row in rows if row.code in wanted]


def _entries(info: Info, kind: type[T], table: str, codes: list[str] | None) -> list[T]:
    catalog = info.context.catalog
    return [coded(kind, catalog, table, row.code) for row in _rows(info, table, codes)]


def betos_codes(info: Info, codes: EntriesArgument = None) -> list[Betos]:
    return [betos(info.context.catalog, row.code) for row in _rows(info, Table.BETOS, codes)]


def betos_categories(info: Info, codes: EntriesArgument = None) -> list[BetosCategory]:
    return _entries(info, BetosCategory, Table.BETOS_CATEGORY, codes)


def pricing_indicators(info: Info, codes: EntriesArgument = None) -> list[PricingIndicator]:
    return _entries(info, PricingIndicator, Table.PRICING_INDICATOR, codes)


def multiple_pricing_indicators(
    info: Info, codes: EntriesArgument = None
) -> list[MultiplePricingIndicator]:
    return _entries(info, MultiplePricingIndicator, Table.MULTIPLE_PRICING_INDICATOR, codes)


def coverage_codes(info: Info, codes: EntriesArgument = None) -> list[Coverage]:
    return _entries(info, Coverage, Table.COVERAGE, codes)


def types_of_service(info: Info, codes: EntriesArgument = None) -> list[TypeOfService]:
    return _entries(info, TypeOfService, Table.TYPE_OF_SERVICE, codes)


def action_codes(info: Info, codes: EntriesArgument = None) -> list[ActionCode]:
    return _entries(info, ActionCode, Table.ACTION_CODE, codes)


def lab_certifications(info: Info, codes: EntriesArgument = None) -> list[LabCertification]:
    return _entries(info, LabCertification, Table.LAB_CERTIFICATION, codes)
