from __future__ import annotations

import datetime
from enum import Enum
from functools import cache
from typing import Self

import strawberry

from hcpcs_graphql.db.rows import ReleaseFileRow, ReleaseRow


@strawberry.enum(description="What the loader did with a file of the release.")
class ReleaseFileRole(Enum):
    SOURCE = strawberry.enum_value("source", description="The file the codes were loaded from.")
    CROSS_CHECK = strawberry.enum_value(
        "cross_check",
        description="The release's other file (the xlsx beside the txt), compared with the "
        "source; its differences are in the release's notes.",
    )


@strawberry.type(description="A CMS file a release was loaded from.")
class ReleaseFile:
    name: str = strawberry.field(description="The file name as CMS published it.")
    role: ReleaseFileRole = strawberry.field(description="What the loader did with the file.")
    sha256: str = strawberry.field(description="SHA-256 of the file's bytes, in hex.")
    size: int = strawberry.field(description="The file's size in bytes.")

    @classmethod
    def from_row(cls, row: ReleaseFileRow) -> Self:
        return cls(name=row.name, role=ReleaseFileRole(row.role), sha256=row.sha256, size=row.size)


@strawberry.type(description="A quarterly CMS HCPCS release loaded into this service.")
class Release:
    id: str = strawberry.field(
        description="YYYY-MM: the year and first month of the quarter the release takes "
        "effect (the annual file is the January release)."
    )
    effective_date: datetime.date = strawberry.field(
        description="The first day of the quarter the release takes effect."
    )
    loaded_at: datetime.datetime = strawberry.field(
        description="When the release was loaded into this database (UTC)."
    )
    code_count: int = strawberry.field(description="Codes in the release, modifiers included.")
    procedure_count: int = strawberry.field(description="Procedure codes in the release.")
    modifier_count: int = strawberry.field(description="Modifier codes in the release.")
    files: list[ReleaseFile] = strawberry.field(description="The CMS files it was loaded from.")
    notes: list[str] = strawberry.field(
        description="What the load reported: coded values without a known meaning, and "
        "differences between the release's txt and xlsx files."
    )

    @classmethod
    def from_row(cls, row: ReleaseRow) -> Self:
        return cls(
            id=row.id,
            effective_date=row.effective_date,
            loaded_at=row.loaded_at,
            code_count=row.code_count,
            procedure_count=row.procedure_count,
            modifier_count=row.modifier_count,
            files=[ReleaseFile.from_row(file) for file in row.files],
            notes=list(row.notes),
        )


@cache
def release_of(row: ReleaseRow) -> Release:
    """The shared object for a release (releases never change while the server runs)."""
    return Release.from_row(row)
