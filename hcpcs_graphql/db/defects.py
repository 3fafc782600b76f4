"""CMS's text of the values that do not parse (table code_defect), by code and by release."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from hcpcs_graphql.db.queries import MAX_BATCH
from hcpcs_graphql.domain.layout import DETAIL_FIELDS

_POSITION = {field.column: index for index, field in enumerate(DETAIL_FIELDS)}


@dataclass(frozen=True, slots=True)
class DefectRow:
    column: str
    """The field's column (lowercase, as in table code)."""
    cms_text: str
    """The field's text as in CMS's file, spaces kept."""
    reason: str


async def fetch_defects(
    connection: aiosqlite.Connection, release_id: str, codes: Sequence[str]
) -> dict[str, list[DefectRow]]:
    """The defects of the codes of one release, by code, each code's in record layout order."""
    found: dict[str, list[DefectRow]] = {code: [] for code in codes}
    unique = list(found)
    for start in range(0, len(unique), MAX_BATCH):
        batch = unique[start : start + MAX_BATCH]
        rows = await connection.execute_fetchall(
            "select code, field, cms_text, reason from code_defect"
            f" where release_id = ? and code in ({', '.join('?' for _ in batch)})",
            (release_id, *batch),
        )
        for code, column, cms_text, reason in rows:
            found[code].append(DefectRow(column, cms_text, reason))
    for defects in found.values():
        defects.sort(key=lambda defect: _POSITION[defect.column])
    return found


async def fetch_release_cms_texts(
    connection: aiosqlite.Connection, release_id: str
) -> dict[str, dict[str, str]]:
    """CMS's text of every value of a release that does not parse, by code and column."""
    found: dict[str, dict[str, str]] = {}
    for code, column, cms_text in await connection.execute_fetchall(
        "select code, field, cms_text from code_defect where release_id = ?", (release_id,)
    ):
        found.setdefault(code, {})[column] = cms_text
    return found
