"""Every naming CMS has used since 2017, for files, release zips and folders."""

from __future__ import annotations

import pytest

from hcpcs_graphql.ingest.names import (
    is_anweb_name,
    release_from_container_name,
    release_from_file_name,
    release_from_path,
    version,
)


@pytest.mark.parametrize(
    ("name", "release_id"),
    [
        ("HCPC17_CONTR_ANWEB.txt", "2017-01"),
        ("HCPC2018_CONTR_ANWEB_disc.txt", "2018-01"),
        ("HCPC2019_CONTR_ANWEB.xlsx", "2019-01"),
        ("HCPC2020_ANWEB_w_disclaimer.txt", "2020-01"),
        ("HCPC2020_ANWEB.xls", "2020-01"),
        ("HCPC2025_OCT_ANWEB.xlsx", "2025-10"),
        ("HCPC2026_JAN_ANWEB_01122026.txt", "2026-01"),
        ("HCPC2026_OCT_ANWEB_09232026.txt", "2026-10"),
        ("HCPC2026_OCT_ANWEB_v2.txt", "2026-10"),
        ("anweb.xlsx", None),
        ("HCPC2026_JAN_ANWEB_Corrections_01122026.xlsx", None),
    ],
)
def test_release_from_file_name(name: str, release_id: str | None) -> None:
    assert release_from_file_name(name) == release_id


@pytest.mark.parametrize(
    ("name", "release_id"),
    [
        ("october-2026-alpha-numeric-hcpcs-file.zip", "2026-10"),
        ("january-2025-alpha-numeric-hcpcs-files.zip", "2025-01"),
        ("july-2026-alpha-numeric-hcpcs-file-corrected.zip", "2026-07"),
        ("may-2025-alpha-numeric-hcpcs-file.zip", "2025-04"),
        ("2020-alpha-numeric-hcpcs-file.zip", "2020-01"),
        ("2026-01_JAN", "2026-01"),
        ("2024-04", "2024-04"),
        ("April 2024", "2024-04"),
        ("HCPC2024_APR_ANWEB", "2024-04"),
        ("downloads", None),
        ("12024-01", None),
    ],
)
def test_release_from_container_name(name: str, release_id: str | None) -> None:
    assert release_from_container_name(name) == release_id


def test_the_file_name_wins_then_the_innermost_holder() -> None:
    assert release_from_path(["HCPC2026_JAN_ANWEB.txt", "2025-10"]) == "2026-01"
    assert release_from_path(["anweb.xlsx", "2024-04", "downloads"]) == "2024-04"
    assert release_from_path(["anweb.xlsx", "x", "april-2023-alpha-numeric-hcpcs-file.zip"]) == (
        "2023-04"
    )
    assert release_from_path(["anweb.xlsx", "x"]) is None


@pytest.mark.parametrize(
    ("name", "anweb"),
    [
        ("anweb.xlsx", True),
        ("ANWEB.XLS", True),
        ("HCPC2020_ANWEB.xls", True),
        ("HCPC17_CONTR_ANWEB.txt", True),
        ("anweb.pdf", False),
        ("anweb_corrections.xlsx", False),
        ("HCPC2026_JAN_ANWEB_Transaction Report_12292025.xlsx", False),
        ("~$anweb.xlsx", False),
    ],
)
def test_is_anweb_name(name: str, anweb: bool) -> None:
    assert is_anweb_name(name) is anweb


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("HCPC2026_OCT_ANWEB_v2.txt", 2),
        ("HCPC2026_OCT_ANWEB_V3.xlsx", 3),
        ("HCPC2026_OCT_ANWEB_09232026.txt", 1),
        ("hcpc2025_apr_anweb_v2.txt", 2),
    ],
)
def test_version(name: str, number: int) -> None:
    assert version(name) == number
