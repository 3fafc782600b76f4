"""The trial of issue 11: CMS shifted an 8-digit ASC_DT two columns in a few records. Here, in
a copy of the real January 2026 txt, the first records of five codes that have an ASC_DT."""

from __future__ import annotations

from pathlib import Path

from hcpcs_graphql.domain.layout import DETAIL_FIELDS, RECID
from tests.conftest import JANUARY_2026_TXT

ASC_DT = next(field for field in DETAIL_FIELDS if field.column == "asc_dt")
SHIFTED = ("A2001", "A2002", "A2005", "A2006", "A2007")
CMS_TEXT = "  202601"
"""ASC_DT 20260101 moved two columns right: its last two digits fall into OPPS."""


def shifted_january(folder: Path) -> Path:
    """A folder holding the copy of the January txt (alone, without the xlsx to cross-check)."""
    lines = JANUARY_2026_TXT.read_bytes().split(b"\r\n")
    start, end = ASC_DT.start - 1, ASC_DT.end
    for index, line in enumerate(lines):
        code = line[:5].decode().strip()
        if code in SHIFTED and line[RECID.start - 1 : RECID.end] == b"3":
            assert line[start:end] == b"20260101", code
            lines[index] = line[:start] + b"  " + line[start:end] + line[end + 2 :]
    (folder / JANUARY_2026_TXT.name).write_bytes(b"\r\n".join(lines))
    return folder
