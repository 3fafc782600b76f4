"""The loader is exact on the real CMS files: January 2026 (txt loaded, xlsx cross-checked) and
October 2025 (xlsx only), read from the shared data folder."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from hcpcs_graphql.db.tables import CODE_COLUMNS
from hcpcs_graphql.db.verify import database_codes
from hcpcs_graphql.domain.records import CodeRecord, Value
from hcpcs_graphql.ingest.fixed_width import read_lines
from hcpcs_graphql.ingest.workbook import read_workbook
from tests.conftest import JANUARY_2026_TXT, JANUARY_2026_XLSX, OCTOBER_2025_XLSX

Row = dict[str, Value]

# What the seed record (a published A9597 card, 2026) shows, as the `code` table holds it.
A9597 = {
    **dict.fromkeys(CODE_COLUMNS[1:]),
    "code": "A9597",
    "kind": "PROCEDURE",
    "long_description": "Positron emission tomography radiopharmaceutical, diagnostic, for tumor"
    " identification, not otherwise classified",
    "short_description": "Pet, dx, for tumor id, noc",
    "price1": "57",
    "mult_pi": "A",
    "cov": "C",
    "betos": "I1E",
    "tos1": "4",
    "anest_bu": 0,
    "add_dt": "2017-01-01",
    "act_eff_dt": "2017-01-01",
    "action_cd": "N",
}

# Codes whose long description differs between the January 2026 txt and xlsx in white space
# only: where the txt broke the text into 80-character pieces at a double space, the xlsx keeps
# the double space and the padded txt piece cannot show it.
WHITE_SPACE_ONLY = {
    "C9754",
    "G0023",
    "G0417",
    "G0418",
    "G0419",
    "G0502",
    "G0503",
    "G0558",
    "G2211",
    "G9482",
    "G9486",
    "G9488",
    "G9627",
    "G9986",
    "M1377",
}

_RECORD = re.compile(r"^(?:[A-Z0-9]{5}|   [A-Z0-9]{2})\d{5}[3478]")


def _words(text: Value) -> str:
    assert isinstance(text, str)
    return " ".join(text.split())


def _txt_records() -> Iterator[CodeRecord]:
    with JANUARY_2026_TXT.open("rb") as lines:
        yield from read_lines(JANUARY_2026_TXT.name, lines)


@pytest.fixture(scope="module")
def txt() -> dict[str, Row]:
    return {record.code: record.as_dict() for record in _txt_records()}


@pytest.fixture(scope="module")
def xlsx() -> dict[str, Row]:
    return {
        record.code: record.as_dict()
        for record in read_workbook(JANUARY_2026_XLSX.name, JANUARY_2026_XLSX)
    }


@pytest.fixture(scope="module")
def txt_pieces() -> dict[str, list[tuple[str, str, str]]]:
    """(SEQNUM, RECID, long description piece) of each record of the txt, by code: cut by
    the positions of the README, independently of the loader."""
    text = JANUARY_2026_TXT.read_bytes().decode("ascii")
    pieces: dict[str, list[tuple[str, str, str]]] = {}
    for line in text.split("\r\n"):
        if _RECORD.match(line):
            pieces.setdefault(line[0:5].strip(), []).append((line[5:10], line[10], line[11:91]))
    return pieces


@pytest.fixture(scope="module")
def january(real_db: Path) -> dict[str, Row]:
    return database_codes(real_db, "2026-01")


@pytest.fixture(scope="module")
def october(real_db: Path) -> dict[str, Row]:
    return database_codes(real_db, "2025-10")


def _query(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        return db.execute(sql).fetchall()


def test_a9597_is_the_seed_card(january: dict[str, Row], october: dict[str, Row]) -> None:
    assert january["A9597"] == A9597
    assert october["A9597"] == A9597


def test_code_counts(real_db: Path) -> None:
    assert _query(
        real_db, "select release_id, kind, count(*) from code group by 1, 2 order by 1, 2"
    ) == [
        ("2025-10", "MODIFIER", 383),
        ("2025-10", "PROCEDURE", 8463),
        ("2026-01", "MODIFIER", 383),
        ("2026-01", "PROCEDURE", 8623),
    ]
    assert _query(
        real_db,
        "select id, effective_date, code_count, procedure_count, modifier_count"
        " from release order by id",
    ) == [("2025-10", "2025-10-01", 8846, 8463, 383), ("2026-01", "2026-01-01", 9006, 8623, 383)]


def test_releases_record_their_source_files(real_db: Path) -> None:
    files = _query(
        real_db, "select release_id, name, role, sha256, size from release_file order by 1, 3"
    )
    assert files == [
        (
            "2025-10",
            "HCPC2025_OCT_ANWEB.xlsx",
            "source",
            "6fcd04186caa69af047915d16426a05ba20e49c3eba2367f472a94b534f9be52",
            1867538,
        ),
        (
            "2026-01",
            "HCPC2026_JAN_ANWEB_01122026.xlsx",
            "cross_check",
            "808433ef2bdd17a511127549964a35923f97f96ae5c7f26b91d38618449ef9b7",
            1903339,
        ),
        (
            "2026-01",
            "HCPC2026_JAN_ANWEB_01122026.txt",
            "source",
            "1a9ce53ae6546c54e8150fc51b25d2b3e3eeefbca657c2ab2f7f1d7888a2239e",
            5350232,
        ),
    ]
    on_disk = [
        (path.name, hashlib.sha256(data).hexdigest(), len(data))
        for path in (OCTOBER_2025_XLSX, JANUARY_2026_XLSX, JANUARY_2026_TXT)
        for data in [path.read_bytes()]
    ]
    assert on_disk == [(name, sha256, size) for _, name, _, sha256, size in files]
    assert [str(sha256)[:16] for _, _, _, sha256, _ in files] == [
        "6fcd04186caa69af",
        "808433ef2bdd17a5",
        "1a9ce53ae6546c54",
    ]


def test_the_database_holds_what_the_primary_files_say(
    january: dict[str, Row], october: dict[str, Row], txt: dict[str, Row]
) -> None:
    assert january == txt
    assert october == {
        record.code: record.as_dict()
        for record in read_workbook(OCTOBER_2025_XLSX.name, OCTOBER_2025_XLSX)
    }


def test_g0556_spans_60_records_and_equals_the_xlsx(
    january: dict[str, Row], xlsx: dict[str, Row], txt_pieces: dict[str, list[tuple[str, str, str]]]
) -> None:
    records = txt_pieces["G0556"]
    assert [(seqnum, recid) for seqnum, recid, _ in records] == [
        (f"{100 * n:05d}", "3" if n == 1 else "4") for n in range(1, 61)
    ]
    stored = january["G0556"]["long_description"]
    assert _words(stored) == _words(xlsx["G0556"]["long_description"])
    assert _words(stored) == _words(" ".join(piece for _, _, piece in records))
    assert max(january.values(), key=lambda row: len(str(row["long_description"])))["code"] == (
        "G0556"
    )
    assert max(len(pieces) for pieces in txt_pieces.values()) == 60


@pytest.mark.realdata
def test_txt_and_xlsx_agree_except_where_cms_files_differ(
    txt: dict[str, Row], xlsx: dict[str, Row], txt_pieces: dict[str, list[tuple[str, str, str]]]
) -> None:
    assert sorted(txt) == sorted(xlsx)
    differences = {
        (code, column): (value, xlsx[code][column])
        for code, row in txt.items()
        for column, value in row.items()
        if value != xlsx[code][column]
    }
    # ACT_EFF_DT: present in the txt, blank in the xlsx, for 117 codes (all action N).
    action_dates = {key: pair for key, pair in differences.items() if key[1] == "act_eff_dt"}
    assert len(action_dates) == 117
    assert all(
        isinstance(in_txt, str) and in_xlsx is None for in_txt, in_xlsx in action_dates.values()
    )
    assert {txt[code]["action_cd"] for code, _ in action_dates} == {"N"}
    # Long descriptions that differ in white space only, at the txt's piece boundaries.
    white_space = {key: pair for key, pair in differences.items() if key[1] == "long_description"}
    assert {code for code, _ in white_space} == WHITE_SPACE_ONLY
    for (code, _), (in_txt, in_xlsx) in white_space.items():
        assert _words(in_txt) == _words(in_xlsx)
        assert str(in_xlsx).count("  ") > str(in_txt).count("  ")
        assert _double_spaced_words(str(in_xlsx)) - _double_spaced_words(str(in_txt)) <= (
            _piece_ends(txt_pieces[code])
        ), code
    # Everything else: one cell, PRICE3 of C9248, blank in the txt and "11" in the xlsx.
    rest = {key: pair for key, pair in differences.items() if key not in action_dates | white_space}
    assert rest == {("C9248", "price3"): (None, "11")}


def _double_spaced_words(text: str) -> set[int]:
    """The numbers of the words that two or more blanks follow."""
    return {n for n, gap in enumerate(re.findall(r"\S+(\s*)", text)) if len(gap) > 1}


def _piece_ends(pieces: list[tuple[str, str, str]]) -> set[int]:
    """The numbers of the words that end a piece of the txt."""
    ends: set[int] = set()
    words = 0
    for _, _, piece in pieces:
        words += len(piece.split())
        ends.add(words - 1)
    return ends


def test_the_load_notes_name_the_cms_differences(real_db: Path) -> None:
    xlsx_name = JANUARY_2026_XLSX.name
    assert sorted(_query(real_db, "select release_id, kind, message from release_note")) == [
        (
            "2026-01",
            "cross_check",
            f"{xlsx_name} differs in act_eff_dt for 117 codes (A0130, A0180, A0190, A0200,"
            " A0210, ...)",
        ),
        (
            "2026-01",
            "cross_check",
            f"{xlsx_name} differs in long_description (white space only) for 15 codes"
            " (C9754, G0023, G0417, G0418, G0419, ...)",
        ),
        ("2026-01", "cross_check", f"{xlsx_name} differs in price3 for 1 code (C9248)"),
    ]


def test_modifiers_are_stored_without_their_padding(
    real_db: Path, january: dict[str, Row], october: dict[str, Row]
) -> None:
    a1 = {
        **dict.fromkeys(CODE_COLUMNS[1:]),
        "code": "A1",
        "kind": "MODIFIER",
        "long_description": "Dressing for one wound",
        "short_description": "Dressing for one wound",
        "cov": "C",
        "add_dt": "2002-07-01",
        "act_eff_dt": "2002-07-01",
        "action_cd": "N",
    }
    assert january["A1"] == a1
    assert october["A1"] == a1
    assert (january["LT"]["code"], january["LT"]["kind"]) == ("LT", "MODIFIER")
    assert (october["LT"]["code"], october["LT"]["kind"]) == ("LT", "MODIFIER")
    assert _query(
        real_db,
        "select release_id, kind, length(code), count(*) from code"
        " where code = trim(code) and code not like '% %' group by 1, 2, 3 order by 1, 2",
    ) == [
        ("2025-10", "MODIFIER", 2, 383),
        ("2025-10", "PROCEDURE", 5, 8463),
        ("2026-01", "MODIFIER", 2, 383),
        ("2026-01", "PROCEDURE", 5, 8623),
    ]


def test_leading_zeros_are_kept(
    real_db: Path, january: dict[str, Row], october: dict[str, Row]
) -> None:
    for codes in (january, october):
        assert codes["A0021"]["price1"] == "00"
        assert codes["AM"]["procnote"] == "0069"
        assert codes["AM"]["kind"] == "MODIFIER"
    # No coded value lost a leading zero anywhere: each has its full width, as text.
    widths = {
        **{f"price{n}": 2 for n in range(1, 5)},
        **{f"labcert{n}": 3 for n in range(1, 9)},
        "procnote": 4,
    }
    for column, width in widths.items():
        assert _query(
            real_db,
            f"select count(*) from code where {column} is not null"
            f" and (typeof({column}) <> 'text' or length({column}) <> {width})",
        ) == [(0,)], column
    assert _query(
        real_db, "select count(*) from code where release_id = '2026-01' and price1 = '00'"
    ) == [(3393,)]
