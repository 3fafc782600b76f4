"""The typed rows that the queries return."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReleaseFileRow:
    name: str
    role: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class ReleaseRow:
    id: str
    effective_date: datetime.date
    loaded_at: datetime.datetime
    code_count: int
    procedure_count: int
    modifier_count: int
    first_rowid: int
    last_rowid: int
    """The rowids of the release's codes run from first_rowid to last_rowid."""
    files: tuple[ReleaseFileRow, ...]
    notes: tuple[str, ...]
    file_date: datetime.date | None
    """The date in the name of the release's files, when CMS put one there."""
    active_count: int
    """Codes in effect on the effective date (by their own dates)."""
    discontinued_count: int
    """Codes terminated before the effective date (they stay in the file for four years)."""
    not_yet_effective_count: int
    """Codes added after the effective date."""


@dataclass(frozen=True, slots=True)
class CodeValueRow:
    code_table: str
    code: str
    description: str | None
    category: str | None


@dataclass(frozen=True, slots=True, weakref_slot=True)
class CodeRow:
    """A code of one release, one attribute per CMS field; blank fields are None. What is built
    of a row lives as long as the row does (a weak reference: schema/per_row.py)."""

    release_id: str
    code: str
    kind: str
    long_description: str
    short_description: str | None
    price1: str | None
    price2: str | None
    price3: str | None
    price4: str | None
    mult_pi: str | None
    cim1: str | None
    cim2: str | None
    cim3: str | None
    mcm1: str | None
    mcm2: str | None
    mcm3: str | None
    statute: str | None
    labcert1: str | None
    labcert2: str | None
    labcert3: str | None
    labcert4: str | None
    labcert5: str | None
    labcert6: str | None
    labcert7: str | None
    labcert8: str | None
    xref1: str | None
    xref2: str | None
    xref3: str | None
    xref4: str | None
    xref5: str | None
    cov: str | None
    asc_grp: str | None
    asc_dt: datetime.date | None
    opps: str | None
    opps_pi: str | None
    opps_dt: datetime.date | None
    procnote: str | None
    betos: str | None
    tos1: str | None
    tos2: str | None
    tos3: str | None
    tos4: str | None
    tos5: str | None
    anest_bu: int | None
    add_dt: datetime.date | None
    act_eff_dt: datetime.date | None
    term_dt: datetime.date | None
    action_cd: str | None

    @property
    def pricing_indicators(self) -> list[str]:
        return _present(self.price1, self.price2, self.price3, self.price4)

    @property
    def types_of_service(self) -> list[str]:
        return _present(self.tos1, self.tos2, self.tos3, self.tos4, self.tos5)

    @property
    def lab_certifications(self) -> list[str]:
        return _present(
            self.labcert1, self.labcert2, self.labcert3, self.labcert4,
            self.labcert5, self.labcert6, self.labcert7, self.labcert8,
        )  # fmt: skip

    @property
    def cross_references(self) -> list[str]:
        return _present(self.xref1, self.xref2, self.xref3, self.xref4, self.xref5)

    @property
    def cim_references(self) -> list[str]:
        return _present(self.cim1, self.cim2, self.cim3)

    @property
    def mcm_references(self) -> list[str]:
        return _present(self.mcm1, self.mcm2, self.mcm3)


def _present(*values: str | None) -> list[str]:
    return [value for value in values if value is not None]
