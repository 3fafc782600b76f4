"""The checks of a release as it is loaded: coded values without a known meaning, the
differences between its txt and its workbook (both kept as notes), and the code count that
refuses a release far smaller than the one before it (a file cut short)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from hcpcs_graphql.domain.code_tables import code_table
from hcpcs_graphql.domain.layout import DETAIL_FIELDS
from hcpcs_graphql.domain.records import CodeRecord, SourceError

MAX_CODE_DROP = 0.05
"""A release with more than this share fewer codes than the release before it is refused
(a file cut short) unless the load allows it."""

_CODED_FIELDS = [field for field in DETAIL_FIELDS if field.code_table is not None]


def counted(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _listed(codes: list[str]) -> str:
    shown = ", ".join(codes[:5]) + (", ..." if len(codes) > 5 else "")
    return f"{counted(len(codes), 'code')} ({shown})"


def unknown_values(records: Iterable[CodeRecord]) -> list[tuple[str, str]]:
    """Coded values that the code tables do not know: kept as they are, and reported."""
    unknown: dict[tuple[str, str], list[str]] = {}
    for record in records:
        for coded in _CODED_FIELDS:
            value = record.values[coded.column]
            assert coded.code_table is not None
            if isinstance(value, str) and value not in code_table(coded.code_table):
                unknown.setdefault((coded.header, value), []).append(record.code)
    return [
        (
            "unknown_value",
            f"{header} {value!r} has no known meaning: {_listed(codes)}",
        )
        for (header, value), codes in sorted(unknown.items())
    ]


def cross_check(
    records: list[CodeRecord], other_name: str, others: list[CodeRecord]
) -> list[tuple[str, str]]:
    """The differences between the primary file and the release's other file, by field."""
    by_code = {record.code: record for record in others}
    differences: dict[str, list[str]] = {}
    for record in records:
        other = by_code.pop(record.code, None)
        if other is None:
            differences.setdefault("lacks", []).append(record.code)
            continue
        mine, theirs = record.as_dict(), other.as_dict()
        for column, value in mine.items():
            if value == theirs[column]:
                continue
            label = column
            if column == "long_description" and _words(value) == _words(theirs[column]):
                label = "long_description (white space only)"
            differences.setdefault(label, []).append(record.code)
    if by_code:
        differences["has more"] = sorted(by_code)
    return [
        (
            "cross_check",
            f"{other_name} lacks {_listed(codes)}"
            if label == "lacks"
            else f"{other_name} has {_listed(codes)} that the source lacks"
            if label == "has more"
            else f"{other_name} differs in {label} for {_listed(codes)}",
        )
        for label, codes in differences.items()
    ]


def _words(value: object) -> list[str]:
    return str(value).split()


def check_code_count(connection: sqlite3.Connection, release_id: str, count: int) -> None:
    """Refuse a release with far fewer codes than the loaded release before it."""
    row = connection.execute(
        "select id, code_count from release where id < ? order by id desc limit 1", (release_id,)
    ).fetchone()
    if row is None:
        return
    previous, previous_count = row
    if count < previous_count * (1 - MAX_CODE_DROP):
        raise SourceError(
            f"release {release_id}: refused by the code count check: {counted(count, 'code')},"
            f" {1 - count / previous_count:.0%} fewer than the {previous_count:,} of release"
            f" {previous} (more than {MAX_CODE_DROP:.0%} fewer: a file cut short?); load it with"
            " --allow-fewer-codes if CMS did drop them"
        )
