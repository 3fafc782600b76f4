"""The fixed-width ANWEB reader, on records built here field by field from db/layout.py."""

from __future__ import annotations

import io

import pytest

from hcpcs_graphql.domain import layout
from hcpcs_graphql.domain.records import CodeRecord, SourceError, Value
from hcpcs_graphql.ingest.fixed_width import read_lines
from tests.conftest import FIXTURES
from tests.ingest.records import A0080_AND_A1, A1, BLANK

_FIELDS = {
    field.column: field
    for field in (
        layout.HCPC,
        layout.SEQNUM,
        layout.RECID,
        layout.LONG_DESCRIPTION,
        *layout.DETAIL_FIELDS,
    )
}


def record(code: str, seqnum: int, recid: str, description: str = "", **values: str) -> str:
    """A 320-character record; a modifier code lands after three blanks, ANEST_BU right-aligned."""
    line = " " * layout.RECORD_LENGTH
    fields = {
        "hcpc": code.rjust(layout.HCPC.width),
        "seqnum": f"{seqnum:05d}",
        "recid": recid,
        "long_description": description,
        **values,
    }
    for column, value in fields.items():
        field = _FIELDS[column]
        assert len(value) <= field.width, f"{column} {value!r} is wider than {field.width}"
        text = (
            value.rjust(field.width)
            if field.type is layout.FieldType.INTEGER
            else value.ljust(field.width)
        )
        line = line[: field.start - 1] + text + line[field.end :]
    return line


def read(*lines: str | bytes, end: bytes = b"\r\n") -> list[CodeRecord]:
    data = b"".join(
        (line.encode("ascii") if isinstance(line, str) else line) + end for line in lines
    )
    return list(read_lines("test.txt", io.BytesIO(data)))


def as_dicts(records: list[CodeRecord]) -> list[dict[str, Value]]:
    return [record.as_dict() for record in records]


def error(*lines: str | bytes) -> str:
    with pytest.raises(SourceError) as raised:
        read(*lines)
    return str(raised.value)


FULL = record(
    "G0103",
    100,
    "3",
    "Prostate cancer screening; prostate specific antigen test (psa)",
    short_description="Psa screening",
    price1="21",
    price2="00",
    mult_pi="A",
    cim1="50-55",
    mcm1="4182",
    statute="1861(s)(2)",
    labcert1="010",
    labcert2="310",
    xref1="G0102",
    cov="D",
    asc_grp="YY",
    asc_dt="20080101",
    opps="000",
    opps_pi="1",
    opps_dt="20240701",
    procnote="0064",
    betos="T1H",
    tos1="5",
    tos2="F",
    anest_bu="5",
    add_dt="20000101",
    act_eff_dt="20070101",
    term_dt="20251231",
    action_cd="P",
)


def test_a_first_record_gives_every_field_text_dates_iso_and_anest_bu_an_int() -> None:
    assert FULL[265:268] == "  5"  # ANEST_BU right-aligned, as CMS writes it
    [found] = read(FULL)
    assert (found.as_dict(), found.where) == (
        BLANK
        | {
            "code": "G0103",
            "kind": "PROCEDURE",
            "long_description": "Prostate cancer screening; prostate specific antigen test (psa)",
            "short_description": "Psa screening",
            "price1": "21",
            "price2": "00",
            "mult_pi": "A",
            "cim1": "50-55",
            "mcm1": "4182",
            "statute": "1861(s)(2)",
            "labcert1": "010",
            "labcert2": "310",
            "xref1": "G0102",
            "cov": "D",
            "asc_grp": "YY",
            "asc_dt": "2008-01-01",
            "opps": "000",
            "opps_pi": "1",
            "opps_dt": "2024-07-01",
            "procnote": "0064",
            "betos": "T1H",
            "tos1": "5",
            "tos2": "F",
            "anest_bu": 5,
            "add_dt": "2000-01-01",
            "act_eff_dt": "2007-01-01",
            "term_dt": "2025-12-31",
            "action_cd": "P",
        },
        "test.txt:1",
    )


def test_blank_fields_are_none_and_a_zero_anest_bu_is_zero() -> None:
    [found] = read(record("A0021", 100, "3", "Ambulance service", anest_bu="0"))
    assert found.as_dict() == BLANK | {
        "code": "A0021",
        "kind": "PROCEDURE",
        "long_description": "Ambulance service",
        "anest_bu": 0,
    }


def test_modifiers_sit_after_three_blanks_and_have_kind_modifier() -> None:
    lines = (
        record("A1", 100, "7", "Dressing for one wound", cov="C", action_cd="N"),
        record("25", 100, "7", "Significant, separately identifiable evaluation and management"),
        record("25", 200, "8", "service by the same physician on the same day of the procedure"),
    )
    assert lines[0].startswith("   A1001007Dressing")
    assert as_dicts(read(*lines)) == [
        A1 | {"cov": "C", "action_cd": "N"},
        BLANK
        | {
            "code": "25",
            "kind": "MODIFIER",
            "long_description": "Significant, separately identifiable evaluation and management"
            " service by the same physician on the same day of the procedure",
        },
    ]


def test_continuation_records_join_in_seqnum_order() -> None:
    records = read(
        record(
            "C5271", 100, "3", "Application of low cost skin substitute graft to trunk,", cov="D"
        ),
        record("C5271", 400, "4", "wound surface area"),
        record("C5271", 200, "4", "arms, legs, total wound surface area up to 100 sq cm;"),
        record("C5271", 300, "4", "first 25 sq cm or less"),
        record("A0021", 100, "3", "Ambulance service"),
    )
    assert [(found.code, found.long_description, found.where) for found in records] == [
        (
            "C5271",
            "Application of low cost skin substitute graft to trunk, arms, legs, total wound"
            " surface area up to 100 sq cm; first 25 sq cm or less wound surface area",
            "test.txt:1",
        ),
        ("A0021", "Ambulance service", "test.txt:5"),
    ]
    # Only the first record carries the other fields.
    assert records[0].values == BLANK | {"cov": "D"}


CLEAN = (
    record("A0080", 100, "3", "Non-emergency transportation, per mile", betos="O1A"),
    record("A0080", 200, "4", "(individual or organization), with no vested interest"),
    record("A1", 100, "7", "Dressing for one wound"),
)


@pytest.mark.parametrize("end", [b"\r\n", b"\n"], ids=["crlf", "lf"])
def test_line_ends_short_lines_stray_spaces_and_blank_lines_read_the_same(end: bytes) -> None:
    untidy = (
        "",
        CLEAN[0] + "      ",  # stray trailing spaces beyond 320
        "   ",
        CLEAN[1].rstrip(),  # a continuation line cut short
        CLEAN[2][:96],  # a first record cut short too
        " " * 296,  # a final line of blanks
    )
    assert len(CLEAN[1].rstrip()) < layout.RECORD_LENGTH
    assert as_dicts(read(*untidy, end=end)) == as_dicts(read(*CLEAN))
    assert as_dicts(read(*CLEAN)) == A0080_AND_A1


def test_a_file_without_a_final_line_end_reads_its_last_record() -> None:
    data = "\r\n".join(CLEAN).encode("ascii")
    assert as_dicts(list(read_lines("test.txt", io.BytesIO(data)))) == as_dicts(read(*CLEAN))


def test_disclaimer_lines_with_cp1252_bytes_before_the_data_are_skipped() -> None:
    records = read(
        b"HCPCS 2020 Annual Alpha-Numeric HCPCS File",
        b"CPT\xae is a registered trademark of the American Medical Association.",
        b"\x93Applicable FARS\\DFARS Restrictions Apply to Government Use\x94 \x96 see below.",
        b"",
        *CLEAN,
    )
    assert [(found.code, found.where) for found in records] == [
        ("A0080", "test.txt:5"),
        ("A1", "test.txt:7"),
    ]


def test_the_annual_fixture_with_a_disclaimer_and_lf_line_ends() -> None:
    path = FIXTURES / "HCPC2020_ANWEB_w_disclaimer.txt"
    with path.open("rb") as lines:
        records = list(read_lines(path.name, lines))
    assert [(found.code, found.kind.value, found.where) for found in records] == [
        ("A1", "MODIFIER", "HCPC2020_ANWEB_w_disclaimer.txt:5"),
        ("A0021", "PROCEDURE", "HCPC2020_ANWEB_w_disclaimer.txt:6"),
    ]


def test_the_quarterly_fixture_with_crlf_line_ends() -> None:
    path = FIXTURES / "HCPC2026_JAN_ANWEB_01122026.txt"
    assert path.read_bytes().count(b"\r\n") == 8
    with path.open("rb") as lines:
        records = list(read_lines(path.name, lines))
    assert [(found.code, found.kind.value, found.where) for found in records] == [
        ("A1", "MODIFIER", "HCPC2026_JAN_ANWEB_01122026.txt:1"),
        ("A0021", "PROCEDURE", "HCPC2026_JAN_ANWEB_01122026.txt:2"),
        ("A0080", "PROCEDURE", "HCPC2026_JAN_ANWEB_01122026.txt:3"),
        ("C5271", "PROCEDURE", "HCPC2026_JAN_ANWEB_01122026.txt:5"),
        ("G0103", "PROCEDURE", "HCPC2026_JAN_ANWEB_01122026.txt:7"),
    ]


def test_a_garbage_line_after_the_data_started_is_an_error() -> None:
    assert (
        error(CLEAN[0], "End of file: 3 codes", CLEAN[2])
        == "test.txt:2: not a HCPCS record: 'End of file: 3 codes'"
    )


def defects(*lines: str) -> list[str]:
    return [defect.message() for found in read(*lines) for defect in found.defects]


def test_a_bad_date_is_kept_as_a_defect_naming_code_field_and_positions() -> None:
    records = read(CLEAN[2], record("A0021", 100, "3", "Ambulance", add_dt="20250230"))
    assert records[1].values["add_dt"] is None
    assert [defect.message() for defect in records[1].defects] == [
        "ADD DT of A0021 at test.txt:2, positions 269-276 is not a YYYYMMDD date: '20250230'"
        " (kept here as written; the field is left blank)"
    ]


def test_every_defect_is_reported_not_the_first_alone() -> None:
    # CMS shifted an 8-digit ASC_DT two columns in five records of one annual release.
    shifted = [
        record(f"A00{n}1", 100, "3", "Ambulance", asc_dt="  202001", opps="01 ") for n in range(5)
    ]
    assert defects(*shifted, record("A0100", 100, "3", "Taxi", anest_bu="1A")) == [
        *(
            f"ASC_DT of A00{n}1 at test.txt:{n + 1}, positions 233-240 is not a YYYYMMDD date:"
            " '  202001' (kept here as written; the field is left blank)"
            for n in range(5)
        ),
        "ANEST_BU of A0100 at test.txt:6, positions 266-268 is not a whole number: ' 1A'"
        " (kept here as written; the field is left blank)",
    ]


def test_a_record_that_stops_inside_a_date_is_refused() -> None:
    cut = record("A0021", 100, "3", "Ambulance", add_dt="20250101")[:272]
    assert error(CLEAN[2], cut) == (
        "test.txt:2: refused by the record length check: the record stops at character 272,"
        " inside ADD DT (positions 269-276)"
    )


def test_a_last_record_cut_short_is_refused() -> None:
    data = ("\r\n".join(CLEAN)).encode("ascii")[:-200]
    with pytest.raises(SourceError) as raised:
        list(read_lines("test.txt", io.BytesIO(data)))
    assert str(raised.value) == (
        f"test.txt:{len(CLEAN)}: refused by the truncation check: the last record has no line end"
        " (the file is cut short)"
    )


def test_a_continuation_record_without_its_first_record_is_an_error() -> None:
    assert (
        error(CLEAN[1], CLEAN[2])
        == "test.txt:1: continuation record of A0080 follows no first record"
    )
    # After another code's first record, or a procedure continuing a modifier.
    assert (
        error(CLEAN[2], CLEAN[1])
        == "test.txt:2: continuation record of A0080 follows no first record"
    )
    assert (
        error(CLEAN[2], record("A1", 200, "4", "for one wound"))
        == "test.txt:2: continuation record of A1 follows no first record"
    )


def test_text_beyond_320_characters_is_an_error() -> None:
    assert error(CLEAN[2], CLEAN[0] + "   X") == "test.txt:2: record longer than 320 characters"


def test_a_repeated_seqnum_is_an_error() -> None:
    assert (
        error(CLEAN[0], CLEAN[1], CLEAN[1])
        == "test.txt:3: sequence number 200 of A0080 is repeated"
    )
    assert (
        error(CLEAN[0], record("A0080", 100, "4", "again"))
        == "test.txt:2: sequence number 100 of A0080 is repeated"
    )
