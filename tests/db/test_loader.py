"""Loading releases into SQLite: what is written, replacing a release, failing without a trace."""

from __future__ import annotations

import datetime
import shutil
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from hcpcs_graphql.db.loader import LoadSummary, load
from hcpcs_graphql.db.release_checks import cross_check
from hcpcs_graphql.db.tables import CODE_COLUMNS, SCHEMA_VERSION, SchemaVersionError
from hcpcs_graphql.db.verify import differences
from hcpcs_graphql.domain.code_tables import all_code_values
from hcpcs_graphql.domain.layout import DETAIL_FIELDS, HCPC, Field
from hcpcs_graphql.domain.records import CodeRecord, SourceError, Value
from hcpcs_graphql.ingest.sources import find_releases
from tests.conftest import FIXTURES, JANUARY_2026_TXT

JAN_TXT = "HCPC2026_JAN_ANWEB_01122026.txt"
JAN_XLSX = "HCPC2026_JAN_ANWEB_01122026.xlsx"
OCT_XLSX = "HCPC2025_OCT_ANWEB.xlsx"
FIELDS = {field.column: field for field in DETAIL_FIELDS}
BLANK: dict[str, Value] = dict.fromkeys(FIELDS, None)
JAN_NOTE = ("cross_check", f"{JAN_XLSX} differs in act_eff_dt for 1 code (A0021)")


def jan_lines() -> list[str]:
    """The lines of the January fixture, without their CRLF; A0021 is line 2 (index 1)."""
    return (FIXTURES / JAN_TXT).read_bytes().decode("ascii").split("\r\n")


def edit(line: str, field: Field, value: str) -> str:
    return line[: field.start - 1] + value.ljust(field.width) + line[field.end :]


def write_txt(path: Path, lines: list[str]) -> Path:
    path.write_bytes("\r\n".join(lines).encode("ascii"))
    return path


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql).fetchall()


def outline(summaries: list[LoadSummary]) -> list[tuple[object, ...]]:
    """A summary without its time."""
    return [
        (s.release_id, s.source_name, s.codes, s.procedures, s.modifiers, s.notes)
        for s in summaries
    ]


def releases(db: Path) -> list[tuple[object, ...]]:
    return query(
        db,
        "select id, effective_date, code_count, procedure_count, modifier_count,"
        " (select count(*) from code where release_id = release.id) from release order by id",
    )


def test_loading_releases_into_a_new_database(tmp_path: Path) -> None:
    db = tmp_path / "hcpcs.db"
    summaries = load(db, find_releases(FIXTURES))
    assert outline(summaries) == [
        ("2020-01", "HCPC2020_ANWEB_w_disclaimer.txt", 2, 1, 1, []),
        ("2025-10", OCT_XLSX, 4, 3, 1, []),
        ("2026-01", JAN_TXT, 5, 4, 1, [JAN_NOTE]),
    ]
    assert summaries[2].line().rsplit(" in ", 1)[0] == (
        f"loaded release 2026-01: 5 codes (4 procedures, 1 modifier) from {JAN_TXT}"
    )
    assert releases(db) == [
        ("2020-01", "2020-01-01", 2, 1, 1, 2),
        ("2025-10", "2025-10-01", 4, 3, 1, 4),
        ("2026-01", "2026-01-01", 5, 4, 1, 5),
    ]
    jan_txt, jan_xlsx = (FIXTURES / JAN_TXT).read_bytes(), (FIXTURES / JAN_XLSX).read_bytes()
    assert query(
        db,
        "select name, role, size from release_file where release_id = '2026-01' order by role",
    ) == [(JAN_XLSX, "cross_check", len(jan_xlsx)), (JAN_TXT, "source", len(jan_txt))]
    assert query(db, "select release_id, kind, message from release_note") == [
        ("2026-01", *JAN_NOTE)
    ]
    [(loaded_at,)] = query(db, "select loaded_at from release where id = '2026-01'")
    assert isinstance(loaded_at, str)
    assert datetime.datetime.fromisoformat(loaded_at).tzinfo == datetime.UTC
    assert query(db, "select count(*) from code_value") == [(len(all_code_values()),)]
    [row] = query(
        db,
        f"select {', '.join(CODE_COLUMNS)} from code where release_id = '2026-01'"
        " and code = 'A0080'",
    )
    assert dict(zip(CODE_COLUMNS, row, strict=True)) == BLANK | {
        "release_id": "2026-01",
        "code": "A0080",
        "kind": "PROCEDURE",
        "long_description": "Non-emergency transportation, per mile - vehicle provided by volunteer"
        " (individual or organization), with no vested interest",
        "short_description": "Noninterest escort in non er",
        "price1": "00",
        "mult_pi": "9",
        "cov": "I",
        "betos": "O1A",
        "tos1": "D",
        "anest_bu": 0,
        "add_dt": "1982-01-01",
        "act_eff_dt": "2003-01-01",
        "action_cd": "N",
    }
    assert query(db, "select code, kind from code where release_id = '2026-01' order by code") == [
        ("A0021", "PROCEDURE"),
        ("A0080", "PROCEDURE"),
        ("A1", "MODIFIER"),
        ("C5271", "PROCEDURE"),
        ("G0103", "PROCEDURE"),
    ]


def test_loading_a_release_again_replaces_it(tmp_path: Path) -> None:
    db = tmp_path / "hcpcs.db"
    load(db, find_releases(FIXTURES))
    files_and_notes = (
        "select (select count(*) from release_file), (select count(*) from release_note)"
    )
    before = releases(db)
    assert query(db, files_and_notes) == [(4, 1)]
    load(db, find_releases(FIXTURES / JAN_TXT))
    load(db, find_releases(FIXTURES / JAN_TXT))
    # January again without its xlsx: one file and the cross-check note fewer, as many codes.
    assert (releases(db), query(db, files_and_notes)) == (before, [(3, 0)])
    # A release loaded again from a file without G0103 loses G0103; the others stay.
    folder = tmp_path / "january"
    folder.mkdir()
    write_txt(folder / JAN_TXT, [line for line in jan_lines() if not line.startswith("G0103")])
    load(db, find_releases(folder))
    assert releases(db) == [
        ("2020-01", "2020-01-01", 2, 1, 1, 2),
        ("2025-10", "2025-10-01", 4, 3, 1, 4),
        ("2026-01", "2026-01-01", 4, 3, 1, 4),
    ]
    assert query(db, "select count(*) from code_value") == [(len(all_code_values()),)]


def pages(db: Path) -> bytes:
    """The database's bytes but the header's change counter (bytes 24-27, and its copy at
    92-95), which the loader's switches to WAL mode and back count even when nothing is kept."""
    data = db.read_bytes()
    return data[:24] + data[28:92] + data[96:]


def corrupt_release(folder: Path) -> Path:
    """A July 2025 file cut short inside its last record (line 7)."""
    folder.mkdir()
    path = folder / "HCPC2025_JUL_ANWEB.txt"
    path.write_bytes((FIXTURES / JAN_TXT).read_bytes()[:-400])
    return path


def test_a_failed_load_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "hcpcs.db"
    load(db, find_releases(FIXTURES / OCT_XLSX))
    before = pages(db)
    sources = [
        *find_releases(FIXTURES / JAN_TXT),
        *find_releases(corrupt_release(tmp_path / "bad")),
    ]
    with pytest.raises(SourceError) as raised:
        load(db, sources)
    assert str(raised.value) == (
        "HCPC2025_JUL_ANWEB.txt:7: refused by the truncation check: the last record has no"
        " line end (the file is cut short)"
    )
    assert pages(db) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad", "hcpcs.db"]


def test_a_failed_load_into_no_database_leaves_no_file(tmp_path: Path) -> None:
    db = tmp_path / "hcpcs.db"
    sources = [
        *find_releases(FIXTURES / JAN_TXT),
        *find_releases(corrupt_release(tmp_path / "bad")),
    ]
    with pytest.raises(SourceError):
        load(db, sources)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad"]


class Interrupted(Exception):
    pass


def interrupt_writing(message: str) -> None:
    if message.startswith("writing release 2026-01"):
        raise Interrupted(message)


def test_a_load_interrupted_while_writing_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "hcpcs.db"
    load(db, find_releases(FIXTURES / OCT_XLSX))
    before = pages(db)
    with pytest.raises(Interrupted):
        load(db, find_releases(FIXTURES), interrupt_writing)
    assert pages(db) == before
    assert [path.name for path in tmp_path.iterdir()] == ["hcpcs.db"]
    db.unlink()
    with pytest.raises(Interrupted):
        load(db, find_releases(FIXTURES), interrupt_writing)
    assert list(tmp_path.iterdir()) == []


def test_a_database_of_another_schema_version_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "hcpcs.db"
    load(db, find_releases(FIXTURES / OCT_XLSX))
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("update meta set value = '0' where key = 'schema_version'")
    before = pages(db)
    with pytest.raises(SchemaVersionError) as raised:
        load(db, find_releases(FIXTURES / JAN_TXT))
    assert str(raised.value) == (
        f"the database has schema version 0, this program writes {SCHEMA_VERSION}:"
        " load into a new file"
    )
    assert pages(db) == before


def test_unknown_coded_values_are_kept_and_noted(tmp_path: Path) -> None:
    lines = jan_lines()
    lines[1] = edit(lines[1], FIELDS["betos"], "ZZZ")  # A0021
    lines[6] = edit(edit(lines[6], FIELDS["cov"], "X"), FIELDS["betos"], "ZZZ")  # G0103
    db = tmp_path / "hcpcs.db"
    [summary] = load(db, find_releases(write_txt(tmp_path / JAN_TXT, lines)))
    notes = [
        ("unknown_value", "BETOS 'ZZZ' has no known meaning: 2 codes (A0021, G0103)"),
        ("unknown_value", "COV 'X' has no known meaning: 1 code (G0103)"),
    ]
    assert summary.notes == notes
    assert query(db, "select kind, message from release_note") == notes
    assert query(db, "select code, betos, cov from code where betos = 'ZZZ' order by code") == [
        ("A0021", "ZZZ", "I"),
        ("G0103", "ZZZ", "X"),
    ]


def test_an_unknown_value_on_many_codes_lists_the_first_five(tmp_path: Path) -> None:
    lines = [
        edit(line, FIELDS["mult_pi"], "Q") if line[10:11] == "3" else line for line in jan_lines()
    ]
    lines[0] = edit(lines[0], FIELDS["mult_pi"], "Q")
    extra = [edit(lines[1], HCPC, f"A010{n}") for n in range(3)]
    lines[2:2] = extra
    [summary] = load(tmp_path / "hcpcs.db", find_releases(write_txt(tmp_path / JAN_TXT, lines)))
    assert summary.notes == [
        (
            "unknown_value",
            "MULT_PI 'Q' has no known meaning: 8 codes (A1, A0021, A0100, A0101, A0102, ...)",
        )
    ]


def records(name: str) -> list[CodeRecord]:
    [release] = find_releases(FIXTURES / name)
    return list(release.primary.records())


def test_cross_check_reports_each_field_that_differs() -> None:
    mine = records(JAN_TXT)
    a1, a0021, a0080, c5271, _g0103 = mine
    others = [
        replace(a1, long_description="Dressing  for one\nwound"),
        replace(a0021, values=a0021.values | {"price1": "0", "anest_bu": None}),
        replace(a0080, values=a0080.values | {"price1": "01"}),
        c5271,
        replace(c5271, code="C9999"),
    ]
    assert cross_check(mine, "other.xlsx", others) == [
        (
            "cross_check",
            "other.xlsx differs in long_description (white space only) for 1 code (A1)",
        ),
        ("cross_check", "other.xlsx differs in price1 for 2 codes (A0021, A0080)"),
        ("cross_check", "other.xlsx differs in anest_bu for 1 code (A0021)"),
        ("cross_check", "other.xlsx lacks 1 code (G0103)"),
        ("cross_check", "other.xlsx has 1 code (C9999) that the source lacks"),
    ]
    assert cross_check(mine, "other.xlsx", mine) == []


def test_a_code_twice_in_a_file_is_an_error(tmp_path: Path) -> None:
    lines = jan_lines()
    lines.insert(7, lines[1])
    path = write_txt(tmp_path / JAN_TXT, lines)
    with pytest.raises(SourceError) as raised:
        load(tmp_path / "hcpcs.db", find_releases(path))
    assert str(raised.value) == f"{JAN_TXT}:8: code A0021 appears again (first at {JAN_TXT}:2)"
    assert [path.name for path in tmp_path.iterdir()] == [JAN_TXT]


@pytest.mark.parametrize(
    "content",
    [b"", b"\r\n" * 3, b"HCPCS 2026 January\r\nNo records here\r\n"],
    ids=["empty", "blank", "no records"],
)
def test_a_file_without_codes_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / JAN_TXT
    path.write_bytes(content)
    with pytest.raises(SourceError) as raised:
        load(tmp_path / "hcpcs.db", find_releases(path))
    assert str(raised.value) == f"{JAN_TXT}: holds no HCPCS code"


def test_a_code_missing_from_the_cross_check_xlsx_is_noted(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / JAN_XLSX, tmp_path)
    lines = jan_lines()
    lines.insert(7, edit(lines[1], HCPC, "A0022"))
    write_txt(tmp_path / JAN_TXT, lines)
    [summary] = load(tmp_path / "hcpcs.db", find_releases(tmp_path))
    assert summary.notes == [
        JAN_NOTE,
        ("cross_check", f"{JAN_XLSX} lacks 1 code (A0022)"),
    ]


@pytest.mark.realdata
def test_the_real_january_txt_loads_and_verifies(tmp_path: Path) -> None:
    db = tmp_path / "hcpcs.db"
    [source] = find_releases(JANUARY_2026_TXT)
    load(db, [source])
    assert differences(db, source) == []
