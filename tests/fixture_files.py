"""The small release files the loader tests read, written by hand (tests/fixtures/) and laid out
under the names CMS gives its files, in a folder of their own for the test session. The
workbooks are built with openpyxl from the cell values in tests/fixtures/*.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl

SOURCES = Path(__file__).with_name("fixtures")

# name in the session folder: hand-written source
TEXT_FILES = {
    "HCPC2026_JAN_ANWEB_01122026.txt": "january.txt",
    "HCPC2020_ANWEB_w_disclaimer.txt": "annual.txt",
}
WORKBOOKS = {
    "HCPC2026_JAN_ANWEB_01122026.xlsx": "january.json",
    "HCPC2025_OCT_ANWEB.xlsx": "october.json",
}


def write_workbook(path: Path, cells: dict[str, object]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(cells["sheet"])
    rows = cells["rows"]
    assert isinstance(rows, list)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def lay_out(folder: Path) -> Path:
    """Write the fixture release files into FOLDER (made if missing) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in TEXT_FILES.items():
        shutil.copyfile(SOURCES / source, folder / name)
    for name, source in WORKBOOKS.items():
        write_workbook(folder / name, json.loads((SOURCES / source).read_text()))
    return folder
