"""A chargemaster review: each code of a list put in one bucket by comparing its records in two
releases, field by field, with the fields that changed.

Payment-relevant fields are those the issue names (pricing indicators, multiple pricing
indicator, coverage, BETOS, types of service) and those CMS's action code P ("payment change")
names: ASC payment group, anesthesia base units, MOG payment group and indicator. Without the
ASC group, 34 of the 65 codes with action P in January 2026 would look unchanged.
Descriptions are compared with their white space collapsed (the October 2025 xlsx and the
January 2026 txt differ in white space only for 15 codes that CMS did not change)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import auto

import aiosqlite

from hcpcs_graphql.db.diff_fields import DiffField
from hcpcs_graphql.domain.code_shapes import outside_file
from hcpcs_graphql.domain.described import DescribedEnum


class Bucket(DescribedEnum):
    """In the order of the review's counts; a code goes in the first that applies, from
    UNCHECKED and UNKNOWN (no record) through DISCONTINUED, ADDED, PAYMENT_CHANGED and
    DESCRIPTION_CHANGED to UNCHANGED."""

    UNCHANGED = (
        auto(),
        "In both releases, not discontinued, and no description or payment-relevant field differs.",
    )
    DESCRIPTION_CHANGED = (
        auto(),
        "The long or the short description differs (white space aside), and no payment-relevant "
        "field.",
    )
    PAYMENT_CHANGED = (
        auto(),
        "A payment-relevant field differs: pricing indicators, multiple pricing indicator, "
        "coverage, BETOS, types of service, and the fields of CMS's payment change (action P): "
        "ASC payment group, anesthesia base units, MOG payment group and indicator. A description"
        " may have changed too (see `changes`).",
    )
    DISCONTINUED = (
        auto(),
        "`to` gives the code a termination date (its last valid day), or no longer has it; "
        "`replacements` lists the codes CMS cross-references.",
    )
    ADDED = auto(), "`to` has the code and `from` does not: new since `from`."
    UNKNOWN = auto(), "Neither release has the code; `suggestions` lists the nearest valid codes."
    UNCHECKED = (
        auto(),
        "The code has the shape of a CPT (Level I) or CDT (dental) code, which the CMS HCPCS "
        "Level II file does not hold: not reviewed.",
    )


class ComparedField(DescribedEnum):
    LONG_DESCRIPTION = auto(), "LONG DESCRIPTION."
    SHORT_DESCRIPTION = auto(), "SHORT DESCRIPTION."
    PRICING_INDICATORS = auto(), "PRICE1-4 (payment-relevant)."
    MULTIPLE_PRICING_INDICATOR = auto(), "MULT_PI (payment-relevant)."
    COVERAGE = auto(), "COV (payment-relevant)."
    BETOS = auto(), "BETOS (payment-relevant)."
    TYPES_OF_SERVICE = auto(), "TOS1-5 (payment-relevant)."
    ASC_PAYMENT_GROUP = auto(), "ASC_GRP (payment-relevant)."
    ANESTHESIA_BASE_UNITS = auto(), "ANEST_BU (payment-relevant)."
    MOG_PAYMENT_GROUP = auto(), "OPPS (payment-relevant)."
    MOG_PAYMENT_POLICY_INDICATOR = auto(), "OPPS_PI (payment-relevant)."

    @property
    def is_description(self) -> bool:
        return self in _DESCRIPTIONS

    @property
    def label(self) -> str:
        """In a sentence: ASC payment group."""
        words = self.name.lower().replace("_", " ")
        return words.replace("asc ", "ASC ").replace("mog ", "MOG ")


_DESCRIPTIONS = frozenset({ComparedField.LONG_DESCRIPTION, ComparedField.SHORT_DESCRIPTION})
# The CMS columns of each field, as the release diff knows them.
_COLUMNS = {field: DiffField[field.name].columns for field in ComparedField}
_COMPARED = [column for columns in _COLUMNS.values() for column in columns]
_XREFS = DiffField.CROSS_REFERENCES.columns


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: ComparedField
    before: str | None
    """The value in the `from` release, as CMS writes it (several columns joined by blanks)."""
    after: str | None


def _value(field: ComparedField, record: dict[str, object]) -> str | None:
    values = [str(value) for column in _COLUMNS[field] if (value := record[column]) is not None]
    return " ".join(values) or None


def _same(field: ComparedField, before: str | None, after: str | None) -> bool:
    if field.is_description and before is not None and after is not None:
        return before.split() == after.split()
    return before == after


def changes(before: dict[str, object], after: dict[str, object]) -> tuple[FieldChange, ...]:
    """The compared fields that differ between two records (column -> value)."""
    found = []
    for field in ComparedField:
        old, new = _value(field, before), _value(field, after)
        if not _same(field, old, new):
            found.append(FieldChange(field, old, new))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Reviewed:
    code: str
    bucket: Bucket
    in_before: bool
    """The `from` release has the code."""
    in_after: bool
    """The `to` release has the code."""
    changes: tuple[FieldChange, ...]
    """The compared fields that differ, for a code both releases have."""
    short_description: str | None
    """Of the latest record (in `to`, else in `from`), like the three fields below."""
    added: datetime.date | None
    terminated: datetime.date | None
    cross_references: tuple[str, ...]
    """Only for a discontinued code."""


def bucket(
    code: str,
    in_before: bool,
    in_after: bool,
    terminated: bool,
    found: tuple[FieldChange, ...],
) -> Bucket:
    """TERMINATED: the latest record (in `to` when it has the code) has a termination date."""
    if not in_before and not in_after:
        return Bucket.UNKNOWN if outside_file(code) is None else Bucket.UNCHECKED
    if not in_after or terminated:
        return Bucket.DISCONTINUED
    if not in_before:
        return Bucket.ADDED
    if any(not change.field.is_description for change in found):
        return Bucket.PAYMENT_CHANGED
    if found:
        return Bucket.DESCRIPTION_CHANGED
    return Bucket.UNCHANGED


def _latest(column: str) -> str:
    return f"(case when t.code is null then f.{column} else t.{column} end)"


def _array(alias: str, columns: Sequence[str]) -> str:
    return "json_array(" + ", ".join(f"{alias}.{column}" for column in columns) + ")"


_DIFFERS = " or ".join(f"f.{column} is not t.{column}" for column in _COMPARED)
_REVIEW = f"""
select w.value, f.code is not null, t.code is not null, {_latest("short_description")},
    {_latest("add_dt")}, {_latest("term_dt")},
    case when t.code is null or t.term_dt is not null then
        json_array({", ".join(_latest(column) for column in _XREFS)}) end,
    case when f.code is not null and t.code is not null and ({_DIFFERS}) then
        json_array({_array("f", _COMPARED)}, {_array("t", _COMPARED)}) end
from json_each(?) w
left join code f on f.release_id = ? and f.code = w.value
left join code t on t.release_id = ? and t.code = w.value
order by w.key
"""


def _date(value: str | None) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


async def review_codes(
    connection: aiosqlite.Connection, before: str, after: str, codes: Sequence[str]
) -> list[Reviewed]:
    """Each code (distinct, in upper case) reviewed from release `before` to `after`, in the
    order given; one statement, which sends back the compared fields only where they differ."""
    rows = await connection.execute_fetchall(_REVIEW, (json.dumps(list(codes)), before, after))
    found = []
    for code, in_before, in_after, short, added, terminated, xrefs, compared in rows:
        differences: tuple[FieldChange, ...] = ()
        if compared is not None:
            values = json.loads(compared)
            old = dict(zip(_COMPARED, values[0], strict=True))
            new = dict(zip(_COMPARED, values[1], strict=True))
            differences = changes(old, new)
        found.append(
            Reviewed(
                code=code,
                bucket=bucket(
                    code, bool(in_before), bool(in_after), terminated is not None, differences
                ),
                in_before=bool(in_before),
                in_after=bool(in_after),
                changes=differences,
                short_description=short,
                added=_date(added),
                terminated=_date(terminated),
                cross_references=() if xrefs is None else tuple(filter(None, json.loads(xrefs))),
            )
        )
    return found
