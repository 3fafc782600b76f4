from __future__ import annotations

import datetime
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, ClassVar, Self

import strawberry

from hcpcs_graphql.db.rows import ReleaseFileRow, ReleaseRow
from hcpcs_graphql.schema.copied import copied
from hcpcs_graphql.services.changes import summary_from_previous
from hcpcs_graphql.services.context import Info

if TYPE_CHECKING:
    from hcpcs_graphql.schema.changes import ChangeSummary


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


@strawberry.type(description="A release's codes by status on its effective date.")
class ReleaseStatusCounts:
    active: int = strawberry.field(
        description="Codes in effect: added on or before the date, not terminated before it."
    )
    discontinued: int = strawberry.field(
        description="Codes terminated before the date; CMS keeps them in the file for four years."
    )
    not_yet_effective: int = strawberry.field(description="Codes added after the date.")


async def _changes_from_previous(
    root: Release, info: Info
) -> Annotated[ChangeSummary, strawberry.lazy("hcpcs_graphql.schema.changes")] | None:
    from hcpcs_graphql.schema.changes import ChangeSummary  # noqa: PLC0415 (imports this module)

    found = await summary_from_previous(info.context, root.id)
    return None if found is None else ChangeSummary.of(found)


def _is_newest(root: Release, info: Info) -> bool:
    return info.context.catalog.releases[0].id == root.id


def _superseded_by(root: Release, info: Info) -> Release | None:
    newer = [row for row in info.context.catalog.releases if row.id > root.id]
    return release_of(newer[-1]) if newer else None


@strawberry.type(description="A quarterly CMS HCPCS release loaded into this service.")
class Release:
    id: str = strawberry.field(
        description="YYYY-MM: the year and first month of the quarter the release takes "
        "effect (the annual file is the January release)."
    )
    effective_date: datetime.date = strawberry.field(
        description="The first day of the quarter the release takes effect."
    )
    file_date: datetime.date | None = strawberry.field(
        description="The publication date CMS put in the file names (HCPC2026_JAN_ANWEB_01122026: "
        "2026-01-12); null when the names carry none."
    )
    loaded_at: datetime.datetime = strawberry.field(
        description="When the release was loaded into this database (UTC)."
    )
    code_count: int = strawberry.field(description="Codes in the release, modifiers included.")
    procedure_count: int = strawberry.field(description="Procedure codes in the release.")
    modifier_count: int = strawberry.field(description="Modifier codes in the release.")
    status_counts: ReleaseStatusCounts = strawberry.field(
        description="Its codes by status on its effective date, judged from their own dates."
    )
    files: list[ReleaseFile] = strawberry.field(description="The CMS files it was loaded from.")
    notes: list[str] = strawberry.field(
        description="What the load reported: values that do not parse (kept here as CMS wrote "
        "them, with code, field and position; the field is left blank), coded values without a "
        "known meaning, and differences between the release's txt and xlsx files."
    )
    is_newest: bool = strawberry.field(
        resolver=_is_newest,
        description="Whether it is the newest release loaded.",
    )
    changes_from_previous: (
        Annotated[ChangeSummary, strawberry.lazy("hcpcs_graphql.schema.changes")] | None
    ) = strawberry.field(
        resolver=_changes_from_previous,
        description="How many codes differ from the loaded release before it, by kind and by "
        "field (the fields `changes` compares by default); null for the oldest loaded. The "
        "codes themselves: `changes(from: ..., to: ...)`.",
    )
    superseded_by: Release | None = strawberry.field(
        resolver=_superseded_by,
        description="The loaded release that takes effect after it, which supersedes it; null "
        "for the newest loaded (CMS may have published a newer one: see `extensions.warnings`).",
    )

    shared_facts: ClassVar[bool] = True
    """Built once per release (`release_of`) and never changed (schema/plan/build.py)."""

    @classmethod
    def from_row(cls, row: ReleaseRow) -> Self:
        return copied(
            cls,
            row,
            status_counts=ReleaseStatusCounts(
                active=row.active_count,
                discontinued=row.discontinued_count,
                not_yet_effective=row.not_yet_effective_count,
            ),
            files=[ReleaseFile.from_row(file) for file in row.files],
            notes=list(row.notes),
        )


RELEASES_KEPT = 64
"""How many Release objects stay built: a database holds a few years of quarterly releases (four
a year); bounded because a reload while serving brings new rows (with new loaded_at), and an
unbounded cache would keep every row it was ever given."""


@lru_cache(maxsize=RELEASES_KEPT)
def release_of(row: ReleaseRow) -> Release:
    """The shared object for a release (a row never changes, so its object can be shared)."""
    return Release.from_row(row)
