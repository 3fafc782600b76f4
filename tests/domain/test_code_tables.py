"""The meanings of coded values shipped as package data are facts of the CMS record layout:
checked against the layout file itself, the CSV transcriptions in the shared data folder, the
processing notes file, and the values that occur in the real releases."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from hcpcs_graphql.db.release_checks import unknown_values
from hcpcs_graphql.domain.code_tables import TABLES, code_table
from hcpcs_graphql.domain.layout import DETAIL_FIELDS
from hcpcs_graphql.domain.records import CodeRecord
from hcpcs_graphql.ingest.fixed_width import read_lines
from hcpcs_graphql.ingest.workbook import read_workbook
from tests.conftest import (
    DATA,
    JANUARY_2026,
    JANUARY_2026_TXT,
    JANUARY_2026_XLSX,
    OCTOBER_2025_XLSX,
)

LAYOUT = JANUARY_2026 / "HCPC2026_recordlayout.txt"
PROC_NOTES = JANUARY_2026 / "proc_notes_JAN2026.txt"
TRANSCRIPTIONS = DATA / "tables"

# Our table -> the layout section that defines it: a numbered field or an appendix table.
LAYOUT_SECTIONS = {
    "pricing_indicator": "9",
    "multiple_pricing_indicator": "10",
    "lab_certification": "14",
    "coverage": "16",
    "mog_payment_group": "19",
    "mog_payment_policy_indicator": "20",
    "action_code": "30",
    "betos": "BETOS_TB",
    "type_of_service": "CMS_TYPE_SRVC_TB",
}

# --- a small reader of the record layout -------------------------------------------------------

_FIELD = re.compile(r"^  (\d+)\.\s+\S")
_APPENDIX_TABLE = re.compile(r"^ ([A-Z_]+_TB)\s")
_CODES = re.compile(r"^CODES\s*:$")
_ENTRY = re.compile(r"^([0-9A-Z]{1,3})\s+=\s+(\S.*)$")


@dataclass(frozen=True, slots=True)
class LayoutCode:
    code: str
    description: str
    heading: str | None
    """The group heading above the code (field 9's underlined ones, field 19's body systems)."""
    parent: str | None
    """The code above, less indented, that this one is a sub-code of (field 14)."""


@dataclass(slots=True)
class _Pending:
    code: str
    indent: int
    words: list[str]
    heading: str | None
    parent: str | None


def _normal(text: str | None) -> str:
    return " ".join((text or "").split())


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


@cache
def layout_sections() -> dict[str, tuple[str, ...]]:
    """The lines of each numbered field ("9") and each appendix table ("BETOS_TB")."""
    text = LAYOUT.read_bytes().decode("ascii")
    lines = text.split("\r\n")
    assert not any("\r" in line or "\n" in line for line in lines)
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in lines:
        line = raw.expandtabs(8).rstrip()
        start = _FIELD.match(line) or _APPENDIX_TABLE.match(line)
        if start is not None:
            assert start[1] not in sections, f"section {start[1]} appears twice"
            current = sections[start[1]] = []
        elif "TABLE OF CODES APPENDIX" in line:
            current = None
        elif current is not None:
            current.append(line)
    return {name: tuple(section) for name, section in sections.items()}


def _code_block(section: str) -> tuple[str, ...]:
    """A field's lines after its "CODES :" line; an appendix table's lines."""
    lines = layout_sections()[section]
    if section.isdigit():
        starts = [n for n, line in enumerate(lines) if _CODES.match(line.strip())]
        assert len(starts) == 1, f"field {section} has {len(starts)} CODES sections"
        return lines[starts[0] + 1 :]
    return lines


def _entries(block: tuple[str, ...]) -> Iterator[_Pending]:
    """ "NN = text" entries, their text continued on the lines right below, indented deeper.
    A line at the entries' indent that is no entry is a group heading; a heading underlined by
    dashes goes on over the next line. An entry indented deeper than the first is a sub-code of
    the last one at the first's indent. A line indented less than the first ends the block."""
    base: int | None = None
    pending: _Pending | None = None
    heading: str | None = None
    top_code: str | None = None
    previous = "blank"  # what the line above was: blank, entry (or its text), heading, dashes
    for line in block:
        text = line.strip()
        if not text:
            previous = "blank"
            continue
        indent = _indent(line)
        base = indent if base is None else base
        if indent < base:
            break
        entry = _ENTRY.match(text)
        if set(text) == {"-"}:
            assert previous == "heading", f"dashes under no heading: {line!r}"
            previous = "dashes"
        elif entry is not None:
            if pending is not None:
                yield pending
            parent = top_code if indent > base else None
            if indent == base:
                top_code = entry[1]
            pending = _Pending(entry[1], indent, [entry[2]], heading, parent)
            previous = "entry"
        elif pending is not None and previous == "entry" and indent > pending.indent:
            pending.words.append(text)
        elif indent == base:
            heading = f"{heading} {text}" if previous == "dashes" else text
            previous = "heading"
        else:
            raise AssertionError(f"line not understood: {line!r}")
    if pending is not None:
        yield pending


@cache
def layout_codes(section: str) -> dict[str, LayoutCode]:
    codes: dict[str, LayoutCode] = {}
    for entry in _entries(_code_block(section)):
        assert entry.code not in codes, f"{entry.code} twice in layout section {section}"
        codes[entry.code] = LayoutCode(
            entry.code, _normal(" ".join(entry.words)), entry.heading, entry.parent
        )
    return codes


def _folded(descriptions: Mapping[str, str | None]) -> dict[str, str]:
    # Case-insensitive: the transcription fixed the layout's "e.G." to "e.g.".
    return {code: _normal(text).casefold() for code, text in descriptions.items()}


# --- against the layout file -------------------------------------------------------------------


@pytest.mark.realdata
def test_the_layout_parser_finds_every_codes_section() -> None:
    with_codes = {
        name
        for name, lines in layout_sections().items()
        if any(_CODES.match(line.strip()) for line in lines)
    }
    # Field 6 (RECID) describes the file's records, not a value of a code.
    assert with_codes == {"6", *(s for s in LAYOUT_SECTIONS.values() if s.isdigit())}
    assert {name for name in layout_sections() if not name.isdigit()} == {
        "BETOS_TB",
        "CMS_TYPE_SRVC_TB",
    }
    assert list(layout_codes("6")) == ["3", "4", "7", "8"]


@pytest.mark.realdata
def test_the_layout_parser_reads_continued_text_headings_and_sub_codes() -> None:
    assert layout_codes("9")["37"] == LayoutCode(
        "37",
        "Ostomy, tracheostomy and urological supplies (price subject to floors and ceilings)",
        "Durable Medical Equipment, Prosthetics, Orthotics, Supplies And Surgical Dressings",
        None,
    )
    assert layout_codes("14")["115"] == LayoutCode("115", "Mycobacteriology", None, "100")
    assert layout_codes("19")["450"] == LayoutCode(
        "450", "Endoscopic retrograde cholangio-pancreatography (ERCP)", "Digestive", None
    )
    assert layout_codes("CMS_TYPE_SRVC_TB")["V"].description == (
        "Pneumococcal/flu vaccine (eff 01/96), Pneumococcal/flu/hepatitis B vaccine"
        " (eff 04/95-12/95), Pneumococcal only before 04/95"
    )
    assert layout_codes("BETOS_TB")["M3"].description == "Emergency room visit"


def test_every_table_is_a_field_code_table_or_the_betos_category() -> None:
    used = {field.code_table for field in DETAIL_FIELDS if field.code_table is not None}
    assert sorted(used | {"betos_category"}) == sorted(TABLES)
    assert set(LAYOUT_SECTIONS) | {"asc_payment_group", "processing_note", "betos_category"} == (
        set(TABLES)
    )


@pytest.mark.parametrize(("table", "section"), LAYOUT_SECTIONS.items())
@pytest.mark.realdata
def test_codes_and_descriptions_are_the_layouts(table: str, section: str) -> None:
    ours = {code: value.description for code, value in code_table(table).items()}
    layout = {code: value.description for code, value in layout_codes(section).items()}
    assert _folded(ours) == _folded(layout)


@pytest.mark.realdata
def test_pricing_indicator_categories_are_the_layout_group_headings() -> None:
    headings = {code: value.heading for code, value in layout_codes("9").items()}
    # 00 stands above the first heading in the layout; "Not separately priced" is the
    # transcription's own label (tables/pricing_indicator.csv has it too).
    assert headings["00"] is None
    headings["00"] = "Not separately priced"
    ours = {code: value.category for code, value in code_table("pricing_indicator").items()}
    assert ours == headings
    assert set(headings.values()) == {
        "Not separately priced",
        "Physician Fee Schedule And Non-Physician Practitioners Linked To The Physician Fee"
        " Schedule",
        "Clinical Lab Fee Schedule",
        "Durable Medical Equipment, Prosthetics, Orthotics, Supplies And Surgical Dressings",
        "Other",
    }


@pytest.mark.realdata
def test_lab_certification_categories_are_the_general_certifications() -> None:
    parents = {code: value.parent for code, value in layout_codes("14").items()}
    ours = {code: value.category for code, value in code_table("lab_certification").items()}
    assert ours == parents
    assert sorted({parent for parent in parents.values() if parent}) == [
        "100",
        "200",
        "300",
        "500",
        "600",
    ]


@pytest.mark.realdata
def test_mog_payment_group_categories_are_the_body_systems() -> None:
    headings = {code: value.heading for code, value in layout_codes("19").items()}
    ours = {code: value.category for code, value in code_table("mog_payment_group").items()}
    assert ours == headings
    assert sorted(set(headings.values()), key=str) == [
        "Digestive",
        "ENT/Respiratory/Cardiovascular/Lymphatic/Endocrine",
        "Integumentary",
        "Musculoskeletal",
        "Nervous/Eye",
        "No MOG applies",
        "Urinary/Genital",
    ]


@pytest.mark.parametrize(
    "table",
    [
        "multiple_pricing_indicator",
        "coverage",
        "mog_payment_policy_indicator",
        "action_code",
        "type_of_service",
        "asc_payment_group",
        "processing_note",
        "betos_category",
    ],
)
def test_tables_without_groups_have_no_category(table: str) -> None:
    assert {value.category for value in code_table(table).values()} == {None}


@pytest.mark.realdata
def test_every_betos_code_has_a_betos_category() -> None:
    betos = code_table("betos")
    assert {code: value.category for code, value in betos.items()} == {
        code: code[0] for code in layout_codes("BETOS_TB")
    }
    assert sorted({code[0] for code in betos}) == sorted(code_table("betos_category"))


@pytest.mark.realdata
def test_asc_payment_group_is_the_layouts_only_code() -> None:
    # Field 17 has no CODES section; its EDIT RULES name YY and BLANK (not approved for ASC).
    rules = [line.strip() for line in layout_sections()["17"]]
    assert "CODE: YY" in rules
    assert "BLANK = Not Approved For ASC" in rules
    assert list(code_table("asc_payment_group")) == ["YY"]


# --- against the CSV transcriptions ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Transcription:
    table: str
    file: str
    category_column: str | None = None
    code_column: str = "code"
    text_column: str = "description"


TRANSCRIBED = [
    Transcription("pricing_indicator", "pricing_indicator.csv", "category"),
    Transcription("multiple_pricing_indicator", "multiple_pricing_indicator.csv"),
    Transcription("coverage", "coverage.csv"),
    Transcription("betos", "betos.csv"),
    Transcription("type_of_service", "type_of_service.csv"),
    Transcription("action_code", "action_code.csv"),
    Transcription("lab_certification", "lab_certification.csv", "parent_code"),
    Transcription("asc_payment_group", "asc_payment_group.csv"),
    Transcription("mog_payment_group", "mog_payment_group_opps.csv", "body_system"),
    Transcription("mog_payment_policy_indicator", "mog_payment_policy_indicator_opps_pi.csv"),
    Transcription("processing_note", "processing_notes_JAN2026.csv", None, "procnote", "text"),
]


def _transcribed_rows(transcription: Transcription) -> list[dict[str, str]]:
    with (TRANSCRIPTIONS / transcription.file).open(newline="", encoding="ascii") as file:
        rows = list(csv.DictReader(file))
    # asc_payment_group.csv also lists the blank code ("(blank) Not approved for ASC"),
    # which is no value: a blank field is stored as null.
    return [row for row in rows if row[transcription.code_column]]


@pytest.mark.parametrize("transcription", TRANSCRIBED, ids=lambda t: t.file)
@pytest.mark.realdata
def test_descriptions_equal_the_shared_transcriptions(transcription: Transcription) -> None:
    rows = _transcribed_rows(transcription)
    expected = {row[transcription.code_column]: row[transcription.text_column] for row in rows}
    ours = {code: value.description for code, value in code_table(transcription.table).items()}
    assert ours == expected
    assert len(rows) == len(expected)


@pytest.mark.parametrize(
    "transcription", [t for t in TRANSCRIBED if t.category_column], ids=lambda t: t.file
)
@pytest.mark.realdata
def test_categories_equal_the_shared_transcriptions(transcription: Transcription) -> None:
    assert transcription.category_column is not None
    expected = {
        row[transcription.code_column]: row[transcription.category_column] or None
        for row in _transcribed_rows(transcription)
    }
    ours = {code: value.category for code, value in code_table(transcription.table).items()}
    assert ours == expected


# --- against the processing notes file ---------------------------------------------------------

_NOTE = re.compile(r"^(\d{4})--(.*)$")


def processing_notes() -> dict[str, str]:
    """ "NNNN--TEXT" entries continued on the following lines; each line ends with a '*' column
    border (some lines lack it, some have tabs or blanks around it)."""
    text = PROC_NOTES.read_bytes().decode("ascii")
    notes: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.split("\r\n"):
        content = line.strip().removesuffix("*").strip()
        note = _NOTE.match(content)
        if note is not None:
            assert note[1] not in notes
            current = notes[note[1]] = [note[2]]
        elif content and current is not None:
            current.append(content)
        elif content:
            assert content in {"PROCESSING NOTES", "_" * len(content)}, content
    return {code: _normal(" ".join(parts)) for code, parts in notes.items()}


@pytest.mark.realdata
def test_the_notes_parser_reads_continued_and_tabbed_notes() -> None:
    notes = processing_notes()
    assert list(notes) == [f"{number:04d}" for number in range(1, 235)]
    assert notes["0135"] == (
        "MEDICARE BENEFIT POLICY MANUAL, PUB 100.2, CHAPTER 15, SECTION 110.3 (100.02,15,110.3)."
    )
    assert notes["0234"] == "CMS DOES NOT RECOGNIZE ATHLETIC TRAINERS AS PROVIDERS."


@pytest.mark.realdata
def test_processing_notes_are_the_notes_file() -> None:
    ours = {
        code: _normal(value.description) for code, value in code_table("processing_note").items()
    }
    assert ours == processing_notes()


# --- against the real releases -----------------------------------------------------------------

_CODED_FIELDS = [field for field in DETAIL_FIELDS if field.code_table is not None]


@cache
def _records(path: Path) -> tuple[CodeRecord, ...]:
    if path.suffix == ".txt":
        with path.open("rb") as lines:
            return tuple(read_lines(path.name, lines))
    return tuple(read_workbook(path.name, path))


@pytest.mark.parametrize(
    "path", [JANUARY_2026_TXT, JANUARY_2026_XLSX, OCTOBER_2025_XLSX], ids=lambda p: p.name
)
@pytest.mark.realdata
def test_every_coded_value_in_a_release_has_a_meaning(path: Path) -> None:
    records = _records(path)
    found: dict[str, set[str]] = {}
    for record in records:
        for coded in _CODED_FIELDS:
            assert coded.code_table is not None
            value = record.values[coded.column]
            if value is not None:
                assert isinstance(value, str)
                found.setdefault(coded.code_table, set()).add(value)
    unknown = {
        table: sorted(values - set(code_table(table)))
        for table, values in found.items()
        if not values <= set(code_table(table))
    }
    assert unknown == {}
    assert unknown_values(records) == []
    # The values are really there (the MOG fields are blank in every release here).
    assert sorted(found) == [
        "action_code",
        "asc_payment_group",
        "betos",
        "coverage",
        "lab_certification",
        "multiple_pricing_indicator",
        "pricing_indicator",
        "processing_note",
        "type_of_service",
    ]
