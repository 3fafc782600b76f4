"""Finding a release's ANWEB files in a folder, a zip or one file, and naming the release."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest
import xlwt

from hcpcs_graphql.domain.export_format import ExportFormat
from hcpcs_graphql.domain.records import SourceError
from hcpcs_graphql.ingest.sources import (
    ReleaseIdError,
    ReleaseSource,
    check_release_id,
    find_releases,
    is_anweb,
    release_id_from_name,
)
from tests.conftest import FIXTURES
from tests.fixture_files import SOURCES as FIXTURE_SOURCES

JAN_TXT = "HCPC2026_JAN_ANWEB_01122026.txt"
JAN_XLSX = "HCPC2026_JAN_ANWEB_01122026.xlsx"
OCT_XLSX = "HCPC2025_OCT_ANWEB.xlsx"
ANNUAL_TXT = "HCPC2020_ANWEB_w_disclaimer.txt"
# Files of a CMS release zip that are not ANWEB files.
OTHERS = (
    "HCPC2026_JAN_ANWEB_Corrections_01122026.xlsx",
    "HCPC2026_JAN_ANWEB_Transaction Report_12292025.xlsx",
    "HCPC2026_recordlayout.txt",
    "NOC codes_JAN2026.xlsx",
    "proc_notes_JAN2026.txt",
)


def summary(releases: list[ReleaseSource]) -> list[tuple[str, str, str | None]]:
    return [
        (
            release.release_id,
            release.primary.name,
            None if release.cross_check is None else release.cross_check.name,
        )
        for release in releases
    ]


def error(path: Path, release_id: str | None = None) -> str:
    with pytest.raises(SourceError) as raised:
        find_releases(path, release_id)
    return str(raised.value)


@pytest.mark.parametrize(
    ("name", "release_id"),
    [
        (JAN_TXT, "2026-01"),
        (JAN_XLSX, "2026-01"),
        (OCT_XLSX, "2025-10"),
        (ANNUAL_TXT, "2020-01"),
        ("HCPC2019_ANWEB.xlsx", "2019-01"),
        ("hcpc2025_apr_anweb_v2.txt", "2025-04"),
        ("HCPC2025_JUL_ANWEB_07012025.txt", "2025-07"),
        ("HCPC2025_MAY_ANWEB.txt", "2025-04"),  # a mid-quarter update belongs to its quarter
        ("HCPC2025_DEC_ANWEB.xlsx", "2025-10"),
        ("HCPC2025_FEB_ANWEB.xlsx", "2025-01"),
        ("january-2026/HCPC2026_JAN_ANWEB_01122026.txt", "2026-01"),
        ("HCPC2025_XYZ_ANWEB.txt", None),
        ("hcpcs.txt", None),
        *((other, None) for other in OTHERS),
        # Files `hcpcs export` wrote: the release in the name.
        ("hcpcs-2026-01.csv", "2026-01"),
        ("2025-10.ndjson", "2025-10"),
        ("hcpcs-2026-01 (1).CSV", "2026-01"),
        ("hcpcs-2026-02.csv", "2026-02"),  # then refused by check_release_id
        ("codes-12026-01.csv", None),
        ("HCPC2026_JAN_ANWEB.csv", None),
        ("codes.ndjson", None),
    ],
)
def test_release_id_from_name(name: str, release_id: str | None) -> None:
    assert release_id_from_name(name) == release_id


@pytest.mark.parametrize(
    ("name", "anweb"),
    [
        (JAN_TXT, True),
        (JAN_XLSX, True),
        (ANNUAL_TXT, True),
        *((other, False) for other in OTHERS),
        ("HCPC2026_JAN_ANWEB_01122026.pdf", False),
        ("HCPC2026_JAN_ANWEB_01122026.zip", False),
        ("~$HCPC2026_JAN_ANWEB_01122026.xlsx", False),
        ("__MACOSX/._HCPC2026_JAN_ANWEB_01122026.txt", False),
        ("__MACOSX/HCPC2026_JAN_ANWEB_01122026.txt", False),
    ],
)
def test_corrections_and_transaction_reports_are_not_anweb_files(name: str, anweb: bool) -> None:
    assert is_anweb(name) is anweb


@pytest.mark.parametrize("release_id", ["2026-01", "2025-04", "2025-07", "2025-10"])
def test_good_release_ids(release_id: str) -> None:
    assert check_release_id(release_id) == release_id


@pytest.mark.parametrize(
    "release_id", ["2026-02", "2026-1", "26-01", "2026/01", "2026-13", "2026-01-01", "", "latest"]
)
def test_bad_release_ids_are_rejected(release_id: str) -> None:
    with pytest.raises(ReleaseIdError) as raised:
        check_release_id(release_id)
    assert str(raised.value) == (
        f"release id {release_id!r} is not YYYY-MM with MM the first month of a quarter"
        " (01, 04, 07 or 10)"
    )


def test_a_folder_gives_each_release_its_txt_and_xlsx_cross_check() -> None:
    releases = find_releases(FIXTURES)
    assert summary(releases) == [
        ("2020-01", ANNUAL_TXT, None),
        ("2025-10", OCT_XLSX, None),
        ("2026-01", JAN_TXT, JAN_XLSX),
    ]
    jan = releases[2]
    data = (FIXTURES / JAN_TXT).read_bytes()
    assert (jan.primary.data, jan.primary.sha256) == (data, hashlib.sha256(data).hexdigest())


def test_a_folder_ignores_the_other_files_of_a_release(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / JAN_TXT, tmp_path)
    shutil.copy(FIXTURES / JAN_XLSX, tmp_path)
    for other in OTHERS:
        (tmp_path / other).write_bytes(b"not an ANWEB file")
    (tmp_path / "HCPC2025_OCT_ANWEB.txt").mkdir()  # a folder, not a file
    assert summary(find_releases(tmp_path)) == [("2026-01", JAN_TXT, JAN_XLSX)]


def test_a_release_zip_as_cms_publishes_it(tmp_path: Path) -> None:
    path = tmp_path / "january-2026-alpha-numeric-hcpcs-file.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("january-2026/", "")
        archive.write(FIXTURES / JAN_XLSX, f"january-2026/{JAN_XLSX}")
        archive.write(FIXTURES / JAN_TXT, f"january-2026/{JAN_TXT}")
        for other in OTHERS:
            archive.writestr(f"january-2026/{other}", b"not an ANWEB file")
    releases = find_releases(path)
    assert summary(releases) == [("2026-01", JAN_TXT, JAN_XLSX)]
    assert [release.primary.data for release in releases] == [(FIXTURES / JAN_TXT).read_bytes()]


def test_a_zip_of_several_releases(tmp_path: Path) -> None:
    path = tmp_path / "releases.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name in (OCT_XLSX, JAN_TXT, ANNUAL_TXT):
            archive.write(FIXTURES / name, name)
    assert summary(find_releases(path)) == [
        ("2020-01", ANNUAL_TXT, None),
        ("2025-10", OCT_XLSX, None),
        ("2026-01", JAN_TXT, None),
    ]


def test_a_single_txt_file() -> None:
    assert summary(find_releases(FIXTURES / JAN_TXT)) == [("2026-01", JAN_TXT, None)]


def test_a_single_xlsx_file_is_a_workbook_not_a_release_zip() -> None:
    path = FIXTURES / OCT_XLSX
    assert zipfile.is_zipfile(path)
    releases = find_releases(path)
    assert summary(releases) == [("2025-10", OCT_XLSX, None)]
    assert [record.code for record in releases[0].primary.records()] == [
        "A1",
        "A0021",
        "A0080",
        "C5271",
    ]


@pytest.mark.parametrize("name", ["hcpcs-2026-01.csv", "2026-01.ndjson"])
def test_a_single_export_file_is_the_release_alone(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    (release,) = find_releases(path)
    assert summary([release]) == [("2026-01", name, None)]
    assert release.primary.export_format is ExportFormat.from_suffix(path.suffix)
    assert summary(find_releases(path, "2026-04")) == [("2026-04", name, None)]


def test_export_files_in_a_folder_are_not_release_files(tmp_path: Path) -> None:
    (tmp_path / "hcpcs-2026-01.csv").write_bytes(b"")
    assert error(tmp_path) == f"{tmp_path}: holds no ANWEB .txt, .xlsx or .xls file"


def test_a_file_whose_name_tells_no_release_needs_the_release_id(tmp_path: Path) -> None:
    path = tmp_path / "codes" / "hcpcs.txt"
    path.parent.mkdir()
    shutil.copy(FIXTURES / JAN_TXT, path)
    assert error(path) == (
        "hcpcs.txt: cannot tell the release from the file name nor from what holds it (codes);"
        " give it with --release"
    )
    assert summary(find_releases(path, "2026-04")) == [("2026-04", "hcpcs.txt", None)]


def test_the_release_id_given_overrides_the_file_names() -> None:
    assert summary(find_releases(FIXTURES / JAN_TXT, "2026-04")) == [("2026-04", JAN_TXT, None)]


def test_a_bad_release_id_given_is_rejected() -> None:
    with pytest.raises(ReleaseIdError):
        find_releases(FIXTURES / JAN_TXT, "2026-03")


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    assert error(tmp_path / "missing.zip") == f"{tmp_path / 'missing.zip'}: no such file or folder"


def test_a_file_that_is_no_release_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "release.bin"
    path.write_bytes(b"not a zip")
    assert error(path) == (
        f"{path}: not a CMS release zip, folder, .txt, .xlsx or .xls file, nor a .csv or .ndjson"
        " export"
    )


def test_a_folder_or_zip_without_anweb_files_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / OTHERS[0]).write_bytes(b"not an ANWEB file")
    assert error(folder) == f"{folder}: holds no ANWEB .txt, .xlsx or .xls file"
    path = tmp_path / "release.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(OTHERS[1], b"not an ANWEB file")
    assert error(path) == f"{path}: holds no ANWEB .txt, .xlsx or .xls file"


def test_two_files_of_one_kind_for_a_release_are_an_error(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / JAN_TXT, tmp_path)
    shutil.copy(FIXTURES / JAN_TXT, tmp_path / "HCPC2026_FEB_ANWEB.txt")
    assert error(tmp_path) == (
        f"{tmp_path}: more than one ANWEB file of release 2026-01:"
        f" HCPC2026_FEB_ANWEB.txt, {JAN_TXT}"
    )


def write_xls(path: Path, rows: list[list[str]]) -> Path:
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Sheet1")
    for number, cells in enumerate(rows):
        for column, value in enumerate(cells):
            sheet.write(number, column, value)
    workbook.save(str(path))
    return path


def test_an_xls_workbook_of_2020_loads_like_its_xlsx(tmp_path: Path) -> None:
    cells = json.loads((FIXTURE_SOURCES / "october.json").read_text())["rows"]
    path = write_xls(tmp_path / "HCPC2020_ANWEB.xls", cells)
    (xls,) = find_releases(path)
    (xlsx,) = find_releases(FIXTURES / OCT_XLSX)
    assert (xls.release_id, xls.primary.name) == ("2020-01", "HCPC2020_ANWEB.xls")
    assert [r.as_dict() for r in xls.primary.records()] == [
        r.as_dict() for r in xlsx.primary.records()
    ]


def test_anweb_xlsx_in_a_dated_folder_of_a_zip_takes_the_release_of_the_folder(
    tmp_path: Path,
) -> None:
    path = tmp_path / "downloads.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(FIXTURES / OCT_XLSX, "2024-04/anweb.xlsx")
        archive.write(FIXTURES / JAN_TXT, "2024-04/HCPC2024_APR_ANWEB.txt")
    assert summary(find_releases(path)) == [
        ("2024-04", "HCPC2024_APR_ANWEB.txt", "anweb.xlsx"),
    ]


def test_a_zip_named_as_cms_names_it_gives_the_release(tmp_path: Path) -> None:
    path = tmp_path / "october-2026-alpha-numeric-hcpcs-file.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(FIXTURES / OCT_XLSX, "anweb.xlsx")
    assert summary(find_releases(path)) == [("2026-10", "anweb.xlsx", None)]


def test_a_corrected_re_post_replaces_the_file_first_posted(tmp_path: Path) -> None:
    for name in ("HCPC2026_OCT_ANWEB_09232026.txt", "HCPC2026_OCT_ANWEB_v2.txt"):
        shutil.copy(FIXTURES / JAN_TXT, tmp_path / name)
    assert summary(find_releases(tmp_path)) == [("2026-10", "HCPC2026_OCT_ANWEB_v2.txt", None)]


def test_a_zip_failing_its_crc_is_refused_by_the_zip_check(tmp_path: Path) -> None:
    path = tmp_path / "january-2026-alpha-numeric-hcpcs-file.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.write(FIXTURES / JAN_TXT, JAN_TXT)
    data = bytearray(path.read_bytes())
    data[data.index(b"A0021") + 1] ^= 0x01  # one bit flipped in the stored member
    path.write_bytes(bytes(data))
    assert error(path) == (
        f"{path}: refused by the zip check: a damaged zip (Bad CRC-32 for file '{JAN_TXT}')"
    )


def test_a_zip_cut_short_is_refused_by_the_zip_check(tmp_path: Path) -> None:
    path = tmp_path / "january-2026-alpha-numeric-hcpcs-file.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(FIXTURES / JAN_TXT, JAN_TXT)
    path.write_bytes(path.read_bytes()[:-100])
    assert error(path) == (
        f"{path}: refused by the zip check: no zip directory at its end (cut short?)"
    )


def test_a_data_folder_gives_the_releases_of_its_folders_and_zips(tmp_path: Path) -> None:
    january = tmp_path / "2026-01_JAN"
    january.mkdir()
    shutil.copy(FIXTURES / JAN_TXT, january)
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "coverage.csv").write_text("code\n")
    with zipfile.ZipFile(tmp_path / "october-2025-alpha-numeric-hcpcs-file.zip", "w") as archive:
        archive.write(FIXTURES / OCT_XLSX, OCT_XLSX)
    assert summary(find_releases(tmp_path)) == [
        ("2026-01", JAN_TXT, None),
        ("2025-10", OCT_XLSX, None),
    ]
