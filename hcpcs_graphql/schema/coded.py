"""The coded attributes of a code, each with its code and official meaning."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, ClassVar, Self, TypeVar

import strawberry

from hcpcs_graphql.db.rows import CodeValueRow
from hcpcs_graphql.domain.code_tables import REGISTRY
from hcpcs_graphql.domain.table_names import Table
from hcpcs_graphql.schema.arguments import (
    AfterArgument,
    AsOfArgument,
    BeforeArgument,
    FirstArgument,
    LastArgument,
    ReleaseArgument,
)
from hcpcs_graphql.schema.paging import page_of
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Info
from hcpcs_graphql.services.listing import codes_carrying

if TYPE_CHECKING:
    from hcpcs_graphql.schema.connection import CodeConnection


async def _codes(
    root: CodedValue,
    info: Info,
    release: ReleaseArgument = None,
    as_of: AsOfArgument = None,
    first: FirstArgument = None,
    after: AfterArgument = None,
    last: LastArgument = None,
    before: BeforeArgument = None,
) -> Annotated[CodeConnection, strawberry.lazy("hcpcs_graphql.schema.connection")]:
    from hcpcs_graphql.schema.connection import CodeConnection  # noqa: PLC0415 (a cycle)

    source = codes_carrying(
        info.context,
        table=root.code_table,
        value=root.code,
        release=release,
        as_of=as_of,
        page=page_of(
            info, root.code_table, root.code, first=first, after=after, last=last, before=before
        ),
    )
    return CodeConnection(source=source)


@strawberry.interface(
    description="A coded value of the CMS record with its meaning from the CMS record layout."
)
class CodedValue:
    code: str = strawberry.field(description="The value exactly as CMS writes it.")
    description: str | None = strawberry.field(
        description="The official meaning; null when the value has no known meaning "
        "(the load reports such values)."
    )
    code_table: strawberry.Private[str]
    codes: Annotated[CodeConnection, strawberry.lazy("hcpcs_graphql.schema.connection")] = (
        strawberry.field(
            resolver=_codes,
            description="The codes of a release that carry this value, in code order.",
        )
    )

    category_field: ClassVar[str | None] = None
    """The field that holds the row's category, for the tables that have one."""
    shared_facts: ClassVar[bool] = True
    """Built once per value (`coded`, `betos`) and never changed: the execution plan keeps what
    it completed of one (schema/plan/build.py)."""

    @classmethod
    def from_row(cls, row: CodeValueRow) -> Self:
        extra = {} if cls.category_field is None else {cls.category_field: row.category}
        return cls(code=row.code, description=row.description, code_table=row.code_table, **extra)


@strawberry.type(
    description="Pricing indicator (PRICE1-4): the methodology for pricing under Medicare part B."
)
class PricingIndicator(CodedValue):
    category: str | None = strawberry.field(
        description="The record layout's group heading, e.g. 'Clinical Lab Fee Schedule'."
    )

    category_field: ClassVar[str | None] = "category"


@strawberry.type(
    description="Multiple pricing indicator (MULT_PI): whether a code could be priced under "
    "several methodologies."
)
class MultiplePricingIndicator(CodedValue):
    pass


@strawberry.type(description="Coverage code (COV): the Medicare coverage status.")
class Coverage(CodedValue):
    pass


@strawberry.type(
    description="A BETOS category: the first letter of a BETOS code, e.g. I for imaging."
)
class BetosCategory(CodedValue):
    pass


@strawberry.type(
    description="Berenson-Eggers type of service (BETOS): a clinically meaningful grouping."
)
class Betos(CodedValue):
    category: BetosCategory = strawberry.field(
        description="The BETOS category the code belongs to (its first letter)."
    )


@strawberry.type(description="CMS type of service (TOS1-5) assigned by the carrier.")
class TypeOfService(CodedValue):
    pass


@strawberry.type(
    description="Lab certification (LABCERT1-8): the CLIA specialty certification category."
)
class LabCertification(CodedValue):
    general_certification_code: str | None = strawberry.field(
        description="The general certification whose labs may perform tests of this "
        "subgroup (e.g. 100 for 110), null for a general certification."
    )

    category_field: ClassVar[str | None] = "general_certification_code"


@strawberry.type(
    description="Action code (ACTION_CD): the change CMS made to the code in this release."
)
class ActionCode(CodedValue):
    pass


@strawberry.type(
    description="Processing note (PROCNOTE): a note in Appendix A of the HCPCS manual."
)
class ProcessingNote(CodedValue):
    pass


@strawberry.type(
    description="ASC payment group (ASC_GRP): YY when the procedure may be performed in an "
    "ambulatory surgical center."
)
class AscPaymentGroup(CodedValue):
    pass


@strawberry.type(description="Medicare outpatient group (MOG) payment group (OPPS).")
class MogPaymentGroup(CodedValue):
    body_system: str | None = strawberry.field(description="The body system of the group.")

    category_field: ClassVar[str | None] = "body_system"


@strawberry.type(description="MOG payment policy indicator (OPPS_PI).")
class MogPaymentPolicyIndicator(CodedValue):
    pass


CODED_TYPES: tuple[type[CodedValue], ...] = (
    PricingIndicator,
    MultiplePricingIndicator,
    Coverage,
    Betos,
    BetosCategory,
    TypeOfService,
    LabCertification,
    ActionCode,
    ProcessingNote,
    AscPaymentGroup,
    MogPaymentGroup,
    MogPaymentPolicyIndicator,
)


CODED_VALUES_KEPT = 4096
"""How many coded-value objects stay built: the code tables of several releases hold about a
thousand; bounded so that releases loaded while serving cannot grow it without end."""

_BY_NAME: dict[str, type[CodedValue]] = {kind.__name__: kind for kind in CODED_TYPES}
TABLE_TYPES: dict[str, type[CodedValue]] = {
    table.name: _BY_NAME[table.graphql_type] for table in REGISTRY if table.graphql_type
}
"""The type of each code table's values, by table, as the registry names it."""
_TABLES: dict[type[CodedValue], str] = {kind: table for table, kind in TABLE_TYPES.items()}

T = TypeVar("T", bound=CodedValue)


def coded(kind: type[T], catalog: Catalog, code: str) -> T:
    """The shared, immutable object for a value of KIND's code table (built once while it is
    kept); a BETOS code, which carries its category, is `betos`'s."""
    # typeshed types lru_cache's arguments as Hashable, which mypy does not see a class as.
    row = catalog.meaning(_TABLES[kind], code)
    return _built(kind, row)  # type: ignore[arg-type,return-value]


def coded_value(catalog: Catalog, table: str, code: str) -> CodedValue:
    """A value of TABLE as the table's own type (a BETOS code with its category)."""
    if table == Table.BETOS:
        return betos(catalog, code)
    return coded(TABLE_TYPES[table], catalog, code)


@lru_cache(maxsize=CODED_VALUES_KEPT)
def _built(kind: type[CodedValue], row: CodeValueRow) -> CodedValue:
    return kind.from_row(row)


def betos(catalog: Catalog, code: str) -> Betos:
    return _betos(
        catalog.meaning(Table.BETOS, code), catalog.meaning(Table.BETOS_CATEGORY, code[0])
    )


@lru_cache(maxsize=CODED_VALUES_KEPT)
def _betos(row: CodeValueRow, category: CodeValueRow) -> Betos:
    return Betos(
        code=row.code,
        description=row.description,
        code_table=row.code_table,
        category=BetosCategory.from_row(category),
    )
