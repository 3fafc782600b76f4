"""A value of a code that CMS wrote so that it does not parse."""

from __future__ import annotations

from typing import Self

import strawberry

from hcpcs_graphql.db.defects import DefectRow
from hcpcs_graphql.domain.export_format import export_column


@strawberry.type(
    description="A value of a code that does not parse as its field's type (CMS shifted an "
    "8-digit date two columns, say): its typed field is null, its text is kept here as CMS wrote "
    "it, and the export writes that text back."
)
class ValueDefect:
    field: str = strawberry.field(
        description="The field, named as the export names its column, e.g. ASC_DT."
    )
    cms_text: str = strawberry.field(
        description="The field's text as in CMS's file, spaces kept, e.g. '  202001'."
    )
    reason: str = strawberry.field(description="Why it does not parse, e.g. 'not a YYYYMMDD date'.")

    @classmethod
    def from_row(cls, row: DefectRow) -> Self:
        return cls(field=export_column(row.column), cms_text=row.cms_text, reason=row.reason)
