"""checkClaimLines on the January 2026 and October 2025 releases: each verdict, the notes and
modifier findings, the request errors, and a constant number of statements for 100 lines."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from hcpcs_graphql.db.connection import connect_read_only
from hcpcs_graphql.db.loader import load
from hcpcs_graphql.domain.layout import DETAIL_FIELDS
from hcpcs_graphql.ingest.sources import find_releases
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context, make_context
from tests.conftest import FIXTURES
from tests.graphql import execute, failure

CHECK = """
query Check($lines: [ClaimLineInput!]!) {
  checkClaimLines(lines: $lines) {
    line
    code
    modifiers
    dateOfService
    release { id }
    severity
    findings { verdict severity subject message }
    record { code terminationDate }
    replacements { code target { code } }
    suggestions { code { code } reason }
  }
}
"""

JANUARY = "2026-01-15"
"""A date of service in the January 2026 release."""
NOVEMBER = "2025-11-15"
"""A date of service in the October 2025 release."""


async def check(context: Context, *lines: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await execute(context, CHECK, lines=list(lines)))[
        "checkClaimLines"
    ]
    return found


def line(code: str, day: str = JANUARY, *modifiers: str) -> dict[str, Any]:
    return {"code": code, "dateOfService": day, "modifiers": list(modifiers)}


def result(
    code: str,
    findings: list[tuple[str, str, str, str]],
    *,
    number: int = 1,
    day: str = JANUARY,
    release: str | None = "2026-01",
    modifiers: tuple[str, ...] = (),
    record: dict[str, Any] | None = None,
    replacements: list[dict[str, Any]] | None = None,
    suggestions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    severities = [severity for _, severity, _, _ in findings]
    worst = next(s for s in ("ERROR", "WARNING", "INFO") if s in severities)
    return {
        "line": number,
        "code": code,
        "modifiers": list(modifiers),
        "dateOfService": day,
        "release": None if release is None else {"id": release},
        "severity": worst,
        "findings": [
            {"verdict": verdict, "severity": severity, "subject": subject, "message": message}
            for verdict, severity, subject, message in findings
        ],
        "record": record,
        "replacements": replacements or [],
        "suggestions": suggestions or [],
    }


def valid(code: str, description: str, day: str = JANUARY, release: str = "2026-01") -> Any:
    return (
        "VALID",
        "INFO",
        code,
        f"{code} ({description}) is valid on {day} (release {release}).",
    )


async def test_a_valid_code(context: Context) -> None:
    assert await check(context, line("j9035")) == [
        result(
            "J9035",
            [valid("J9035", "Bevacizumab injection")],
            record={"code": "J9035", "terminationDate": None},
        )
    ]


async def test_an_unknown_code_with_the_nearest_codes_by_shape(context: Context) -> None:
    # One character away, the rightmost change first and the closest character first.
    assert await check(context, line("A0022")) == [
        result(
            "A0022",
            [
                (
                    "UNKNOWN_CODE",
                    "ERROR",
                    "A0022",
                    "A0022 is in no loaded release (release 2026-01 is in effect on 2026-01-15).",
                )
            ],
            suggestions=[
                {"code": {"code": code}, "reason": "CODE_SHAPE"}
                for code in ["A0021", "A0422", "A2022", "A6022", "G0022"]
            ],
        )
    ]


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("J9O35", ["J9035"]),  # a letter O for a zero
        ("9035", ["J9035", "P9035"]),  # the leading letter missing
        ("J90355", ["J9035", "J9055", "J9355"]),  # one character too many
        ("J935", ["J9350", "J9351", "J9352", "J9353", "J9354"]),  # one too few
    ],
)
async def test_typos_suggest_codes_by_shape(
    context: Context, typed: str, suggested: list[str]
) -> None:
    [found] = await check(context, line(typed))
    assert [finding["verdict"] for finding in found["findings"]] == ["UNKNOWN_CODE"]
    assert found["suggestions"] == [
        {"code": {"code": code}, "reason": "CODE_SHAPE"} for code in suggested
    ]


async def test_words_suggest_codes_by_description(context: Context) -> None:
    [found] = await check(context, line("bevacizumab"))
    assert found["findings"] == [
        {
            "verdict": "UNKNOWN_CODE",
            "severity": "ERROR",
            "subject": "BEVACIZUMAB",
            "message": "BEVACIZUMAB is in no loaded release (release 2026-01 is in effect on "
            "2026-01-15).",
        }
    ]
    # As `search` ranks them: the short description weighs double.
    assert found["suggestions"] == [
        {"code": {"code": code}, "reason": "DESCRIPTION"}
        for code in ["J9035", "C9257", "Q5107", "Q5118", "Q5126"]
    ]


async def test_suggestions_are_valid_on_the_date_of_service(context: Context) -> None:
    # J9037 (discontinued 2025-03-31) and J9031 (2019-06-30) are one character away from J9O37
    # and J9O31, but not valid: they are not suggested (J9331 is, for J9O31).
    found = await check(context, line("J9O37"), line("J9O31"), line("J9O36"))
    assert [line["suggestions"] for line in found] == [
        [],
        [{"code": {"code": "J9331"}, "reason": "CODE_SHAPE"}],
        [{"code": {"code": "J9036"}, "reason": "CODE_SHAPE"}],
    ]


async def test_a_code_added_in_a_later_release_is_not_yet_effective(context: Context) -> None:
    # A4297 is added on 2026-01-01: October 2025, in effect in November, does not have it.
    assert await check(context, line("A4297", NOVEMBER)) == [
        result(
            "A4297",
            [
                (
                    "NOT_YET_EFFECTIVE",
                    "ERROR",
                    "A4297",
                    "A4297 (Hydrophilic coat insert sup) is not yet effective on 2025-11-15: it "
                    "takes effect on 2026-01-01 (release 2026-01; release 2025-10, in effect "
                    "that day, lacks it).",
                )
            ],
            day=NOVEMBER,
            release="2025-10",
            record={"code": "A4297", "terminationDate": None},
        )
    ]


async def test_a_discontinued_code_with_its_replacement(context: Context) -> None:
    assert await check(context, line("A4466")) == [
        result(
            "A4466",
            [
                (
                    "DISCONTINUED",
                    "ERROR",
                    "A4466",
                    "A4466 (Elastic garment/covering) is discontinued on 2026-01-15: its last "
                    "valid day was 2016-12-31 (release 2026-01). CMS cross-references A4467.",
                )
            ],
            record={"code": "A4466", "terminationDate": "2016-12-31"},
            replacements=[{"code": "A4467", "target": {"code": "A4467"}}],
        )
    ]


async def test_a_code_discontinued_at_the_end_of_2025(context: Context) -> None:
    # Valid in November (October 2025 has no termination date yet; a NOC code), discontinued in
    # January (its last day 2025-12-31).
    assert await check(context, line("J9020", NOVEMBER), line("J9020")) == [
        result(
            "J9020",
            [
                valid("J9020", "Asparaginase, nos", NOVEMBER, "2025-10"),
                (
                    "NOT_OTHERWISE_CLASSIFIED",
                    "WARNING",
                    "J9020",
                    "J9020 is a not otherwise classified code: the claim needs a narrative "
                    "describing the item or service.",
                ),
            ],
            day=NOVEMBER,
            release="2025-10",
            record={"code": "J9020", "terminationDate": None},
        ),
        result(
            "J9020",
            [
                (
                    "DISCONTINUED",
                    "ERROR",
                    "J9020",
                    "J9020 (Asparaginase, nos) is discontinued on 2026-01-15: its last valid "
                    "day was 2025-12-31 (release 2026-01). CMS cross-references no other code.",
                )
            ],
            number=2,
            record={"code": "J9020", "terminationDate": "2025-12-31"},
        ),
    ]


async def test_a_date_before_every_release_is_a_verdict_of_its_line(context: Context) -> None:
    assert await check(context, line("J9035", "2025-09-30", "LT"), line("J9035")) == [
        result(
            "J9035",
            [
                (
                    "NO_RELEASE_IN_EFFECT",
                    "ERROR",
                    "J9035",
                    "No loaded release is in effect on 2025-09-30: the oldest, 2025-10, takes "
                    "effect on 2025-10-01.",
                )
            ],
            day="2025-09-30",
            release=None,
            modifiers=("LT",),
        ),
        result(
            "J9035",
            [valid("J9035", "Bevacizumab injection")],
            number=2,
            record={"code": "J9035", "terminationDate": None},
        ),
    ]


async def test_a_not_otherwise_classified_code_needs_a_narrative(context: Context) -> None:
    assert await check(context, line("J3490")) == [
        result(
            "J3490",
            [
                valid("J3490", "Drugs unclassified injection"),
                (
                    "NOT_OTHERWISE_CLASSIFIED",
                    "WARNING",
                    "J3490",
                    "J3490 is a not otherwise classified code: the claim needs a narrative "
                    "describing the item or service.",
                ),
            ],
            record={"code": "J3490", "terminationDate": None},
        )
    ]


async def test_a_noc_code_medicare_does_not_cover_has_both_notes(context: Context) -> None:
    # V5298 (Hearing aid noc): on the NOC list, coverage S.
    [found] = await check(context, line("V5298"))
    assert [(f["verdict"], f["severity"]) for f in found["findings"]] == [
        ("VALID", "INFO"),
        ("NOT_OTHERWISE_CLASSIFIED", "WARNING"),
        ("NOT_COVERED", "WARNING"),
    ]
    assert found["severity"] == "WARNING"


@pytest.mark.parametrize(
    ("code", "description", "coverage", "meaning", "replacements"),
    [
        ("A0021", "Outside state ambulance serv", "I", "Not payable by Medicare", ["A0030"]),
        ("A0888", "Noncovered ambulance mileage", "M", "Non-covered by Medicare", []),
        ("A4252", "Blood ketone test or strip", "S", "Non-covered by Medicare statute", []),
    ],
)
async def test_coverage_medicare_does_not_pay(
    context: Context,
    code: str,
    description: str,
    coverage: str,
    meaning: str,
    replacements: list[str],
) -> None:
    assert await check(context, line(code)) == [
        result(
            code,
            [
                valid(code, description),
                (
                    "NOT_COVERED",
                    "WARNING",
                    code,
                    f"{code} has coverage code {coverage}: {meaning}.",
                ),
            ],
            record={"code": code, "terminationDate": None},
            # A0030 is no longer in the file: the reference has no target.
            replacements=[{"code": reference, "target": None} for reference in replacements],
        )
    ]


@pytest.mark.parametrize(
    ("code", "coverage"),
    [("A0425", "C"), ("A4211", "D")],
)
async def test_coverage_medicare_may_pay_is_no_finding(
    context: Context, code: str, coverage: str
) -> None:
    [found] = await check(context, line(code))
    assert [finding["verdict"] for finding in found["findings"]] == ["VALID"]


async def test_modifiers(context: Context) -> None:
    # LT is valid; JG was discontinued on 2024-12-31; ZZ does not exist; 25 is a CPT modifier;
    # empty strings are left out and the others are read in any case.
    assert await check(context, line("J9035", JANUARY, "lt", "JG", "", " zz ", "25")) == [
        result(
            "J9035",
            [
                valid("J9035", "Bevacizumab injection"),
                (
                    "MODIFIER_NOT_VALID",
                    "ERROR",
                    "JG",
                    "Modifier JG is discontinued on 2026-01-15: its last valid day was "
                    "2024-12-31 (release 2026-01).",
                ),
                (
                    "UNKNOWN_MODIFIER",
                    "ERROR",
                    "ZZ",
                    "Modifier ZZ is in no loaded release (release 2026-01 is in effect on "
                    "2026-01-15).",
                ),
                (
                    "UNCHECKED_MODIFIER",
                    "WARNING",
                    "25",
                    "Modifier 25 has the shape of a CPT (Level I) modifier, which the CMS HCPCS "
                    "Level II file does not hold: not checked.",
                ),
            ],
            modifiers=("LT", "JG", "ZZ", "25"),
            record={"code": "J9035", "terminationDate": None},
        )
    ]


async def test_a_modifier_is_not_a_code_nor_a_code_a_modifier(context: Context) -> None:
    [found] = await check(context, line("LT", JANUARY, "J9035"))
    assert [(f["verdict"], f["subject"]) for f in found["findings"]] == [
        ("UNKNOWN_CODE", "LT"),
        ("UNKNOWN_MODIFIER", "J9035"),
    ]


@pytest.mark.parametrize(
    ("code", "shape"),
    [
        ("99213", "a CPT (Level I) code"),
        ("0001U", "a CPT (Level I) code"),
        ("1234F", "a CPT (Level I) code"),
        ("D0120", "a CDT (dental) code"),
    ],
)
async def test_codes_the_cms_file_does_not_hold_are_not_checked(
    context: Context, code: str, shape: str
) -> None:
    assert await check(context, line(code)) == [
        result(
            code,
            [
                (
                    "UNCHECKED_CODE",
                    "WARNING",
                    code,
                    f"{code} has the shape of {shape}, which the CMS HCPCS Level II file does "
                    "not hold: not checked.",
                )
            ],
        )
    ]


async def test_a_line_without_a_code(context: Context) -> None:
    [found] = await check(context, line(" "))
    assert (found["code"], found["findings"], found["suggestions"]) == (
        "",
        [
            {
                "verdict": "UNKNOWN_CODE",
                "severity": "ERROR",
                "subject": "",
                "message": "The line has no code.",
            }
        ],
        [],
    )


async def test_the_answering_releases_are_named(context: Context) -> None:
    result = await schema.execute(
        CHECK,
        variable_values={"lines": [line("J9035", NOVEMBER), line("J9035")]},
        context_value=context,
    )
    assert result.errors is None
    assert result.extensions == {"releases": ["2025-10", "2026-01"]}


async def errors(context: Context, lines: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return await failure(context, CHECK, lines=lines)


async def test_at_most_100_lines(context: Context) -> None:
    assert len(await check(context, *[line("J9035")] * 100)) == 100
    assert await errors(context, [line("J9035")] * 101) == [
        (
            "checkClaimLines takes at most 100 lines per request; 101 were given",
            {"code": "TOO_MANY_LINES"},
        )
    ]


async def test_at_most_four_modifiers_a_line(context: Context) -> None:
    assert await errors(context, [line("J9035"), line("J9035", JANUARY, *"ABCDE")]) == [
        (
            "line 2 has 5 modifiers; a claim line carries at most 4",
            {"code": "BAD_CLAIM_LINE"},
        )
    ]


def mixed_lines(count: int) -> list[dict[str, Any]]:
    """Lines of every kind, in turn: valid, discontinued with a replacement, not yet effective,
    unknown (by shape and by words), not covered with a replacement, NOC, a CPT code."""
    kinds = [
        line("J9035", JANUARY, "LT", "JG"),
        line("A4466"),
        line("A4297", NOVEMBER),
        line("A0022"),
        line("bevacizumab"),
        line("A0021", NOVEMBER, "ZZ"),
        line("J3490"),
        line("99213", JANUARY, "25"),
    ]
    return [kinds[n % len(kinds)] for n in range(count)]


async def test_100_lines_cost_as_many_statements_as_8(
    context: Context, connection: Any, catalog: Catalog, statements: list[str]
) -> None:
    await check(context, *mixed_lines(8))
    few = len(statements)
    statements.clear()
    # A fresh request (a context of its own: its loaders cache nothing yet).
    found = await check(make_context(connection, catalog), *mixed_lines(100))
    assert len(found) == 100
    # The codes and modifiers of every line in every release; the codes one edit away from the
    # unknown ones and the description matches; the cross-reference targets, per release.
    assert len(statements) == few == 5, statements


@pytest.fixture(scope="module")
async def anesthesia_context(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Context]:
    """The fixture January release with 7 anesthesia base units for A0021 (no real code has
    any: every procedure code of both real releases has 0)."""
    folder = tmp_path_factory.mktemp("anesthesia")
    lines = (FIXTURES / "HCPC2026_JAN_ANWEB_01122026.txt").read_bytes().decode("ascii")
    records = lines.split("\r\n")
    field = next(field for field in DETAIL_FIELDS if field.column == "anest_bu")
    record = records[1]
    assert record.startswith("A0021")
    records[1] = record[: field.start - 1] + "  7" + record[field.end :]
    (folder / "HCPC2026_JAN_ANWEB_01122026.txt").write_bytes("\r\n".join(records).encode())
    db = folder / "hcpcs.db"
    load(db, find_releases(folder))
    connection = await connect_read_only(db)
    yield make_context(connection, await Catalog.read(connection))
    await connection.close()


async def test_anesthesia_base_units(anesthesia_context: Context) -> None:
    [found] = await check(anesthesia_context, line("A0021"))
    assert found["findings"] == [
        {
            "verdict": "VALID",
            "severity": "INFO",
            "subject": "A0021",
            "message": "A0021 (Outside state ambulance serv) is valid on 2026-01-15 (release "
            "2026-01).",
        },
        {
            "verdict": "NOT_COVERED",
            "severity": "WARNING",
            "subject": "A0021",
            "message": "A0021 has coverage code I: Not payable by Medicare.",
        },
        {
            "verdict": "ANESTHESIA_BASE_UNITS",
            "severity": "INFO",
            "subject": "A0021",
            "message": "A0021 has 7 anesthesia base units: anesthesia is paid on its base "
            "units plus time units, times the conversion factor.",
        },
    ]


def test_no_real_code_has_anesthesia_base_units(real_db: Path) -> None:
    connection = sqlite3.connect(real_db)
    try:
        rows = connection.execute("select count(*) from code where anest_bu > 0").fetchall()
    finally:
        connection.close()
    assert rows == [(0,)]
