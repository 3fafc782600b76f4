"""Claim-line checks: each line's code and modifiers judged on its date of service against the
release in effect that day, with findings a billing team acts on.

A line has one finding about its code (valid, unknown, not yet effective, discontinued, outside
the CMS file, or no release in effect), then, for a valid code, notes (not otherwise classified,
not covered by Medicare, anesthesia base units), then one finding per modifier that is not valid.
Every line of a request costs the same one statement: the codes and modifiers of all the lines
are read from every loaded release at once."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from hcpcs_graphql.db.lookups import fetch_code_rows
from hcpcs_graphql.db.rows import CodeRow, ReleaseRow
from hcpcs_graphql.domain.code_shapes import outside_file, outside_file_modifier
from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.domain.noc import is_noc
from hcpcs_graphql.domain.status import Status, status_on
from hcpcs_graphql.domain.table_names import Table
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.codes import normalize_code
from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.errors import ClientError
from hcpcs_graphql.services.findings import Finding, Severity, Verdict, most_severe
from hcpcs_graphql.services.releases import choose_release, stale
from hcpcs_graphql.services.suggestions import Suggestion, SuggestionKey, suggestion_loader

MAX_LINES = 100
MAX_MODIFIERS = 4
"""Modifiers on one line: a claim line (CMS-1500, 837P) carries four."""
MAX_FINDINGS = 5 + MAX_MODIFIERS
"""The code's verdict, a newer release not loaded, three notes about a valid code, and one
finding per modifier."""
NOT_COVERED = frozenset({"I", "M", "S"})
"""Coverage codes (COV) under which Medicare does not pay: I not payable by Medicare, M
non-covered by Medicare, S non-covered by Medicare statute. C (carrier judgment) and D (special
coverage instructions apply) may be paid."""


@dataclass(frozen=True, slots=True)
class ClaimLine:
    code: str
    modifiers: tuple[str, ...]
    date_of_service: datetime.date


@dataclass(frozen=True, slots=True)
class LineCheck:
    number: int
    """1-based, in the order given."""
    line: ClaimLine
    """As checked: codes in upper case without blanks, empty modifiers left out."""
    release: ReleaseRow | None
    findings: tuple[Finding, ...]
    record: CodeRow | None
    replacements: tuple[str, ...]
    """Cross-referenced codes (in the record's release) of a discontinued or not covered code."""
    suggestions: SuggestionKey | None
    suggester: DataLoader[SuggestionKey, list[Suggestion]]

    @property
    def severity(self) -> Severity:
        return most_severe(self.findings)


def _normalized(number: int, line: ClaimLine) -> ClaimLine:
    modifiers = tuple(normalize_code(text) for text in line.modifiers if text.strip())
    if len(modifiers) > MAX_MODIFIERS:
        raise ClientError(
            ErrorCode.BAD_CLAIM_LINE,
            f"line {number} has {len(modifiers)} modifiers; a claim line carries at most "
            f"{MAX_MODIFIERS}",
        )
    return ClaimLine(normalize_code(line.code), modifiers, line.date_of_service)


def _nearest_record(
    rows: dict[str, CodeRow], release: ReleaseRow, catalog: Catalog
) -> CodeRow | None:
    """The code in the release in effect; else in the oldest later release that has it (a code
    not yet effective), else in the newest earlier one (a code no longer in the file)."""
    found = rows.get(release.id)
    if found is not None:
        return found
    later = [r for r in reversed(catalog.releases) if r.effective_date > release.effective_date]
    earlier = [r for r in catalog.releases if r.effective_date < release.effective_date]
    return next((rows[r.id] for r in [*later, *earlier] if r.id in rows), None)


def _where(record: CodeRow, release: ReleaseRow) -> str:
    if record.release_id == release.id:
        return f"release {release.id}"
    return f"release {record.release_id}; release {release.id}, in effect that day, lacks it"


def _status_message(subject: str, record: CodeRow, day: datetime.date, release: ReleaseRow) -> str:
    status = status_on(record.add_dt, record.term_dt, day)
    if status is Status.NOT_YET_EFFECTIVE:
        return (
            f"{subject} is not yet effective on {day}: it takes effect on {record.add_dt} "
            f"({_where(record, release)})."
        )
    if status is Status.DISCONTINUED:
        return (
            f"{subject} is discontinued on {day}: its last valid day was {record.term_dt} "
            f"({_where(record, release)})."
        )
    return f"{subject} is valid on {day} ({_where(record, release)})."


def _not_checked(verdict: Verdict, value: str, subject: str, outside: str) -> Finding:
    """A value outside the file (a CPT code, a CPT modifier): its shape named, not checked."""
    return Finding(
        verdict,
        value,
        f"{subject} has the shape of {outside}, which the CMS HCPCS Level II file does not hold:"
        " not checked.",
    )


def _code_verdict(
    code: str, record: CodeRow | None, day: datetime.date, release: ReleaseRow
) -> Finding:
    if record is None:
        outside = outside_file(code)
        if outside is not None:
            return _not_checked(Verdict.UNCHECKED_CODE, code, code, outside)
        message = (
            "The line has no code."
            if not code
            else f"{code} is in no loaded release (release {release.id} is in effect on {day})."
        )
        return Finding(Verdict.UNKNOWN_CODE, code, message)
    status = status_on(record.add_dt, record.term_dt, day)
    subject = f"{code} ({record.short_description})" if record.short_description else code
    message = _status_message(subject, record, day, release)
    if status is Status.NOT_YET_EFFECTIVE:
        return Finding(Verdict.NOT_YET_EFFECTIVE, code, message)
    if status is Status.DISCONTINUED:
        return Finding(Verdict.DISCONTINUED, code, message + _replaced_by(record))
    return Finding(Verdict.VALID, code, message)


def _replaced_by(record: CodeRow) -> str:
    references = record.cross_references
    if not references:
        return " CMS cross-references no other code."
    return f" CMS cross-references {', '.join(references)}."


def _modifier_finding(
    modifier: str, record: CodeRow | None, day: datetime.date, release: ReleaseRow
) -> Finding | None:
    if record is None:
        outside = outside_file_modifier(modifier)
        if outside is not None:
            return _not_checked(
                Verdict.UNCHECKED_MODIFIER, modifier, f"Modifier {modifier}", outside
            )
        return Finding(
            Verdict.UNKNOWN_MODIFIER,
            modifier,
            f"Modifier {modifier} is in no loaded release (release {release.id} is in effect "
            f"on {day}).",
        )
    if status_on(record.add_dt, record.term_dt, day) is Status.ACTIVE:
        return None
    return Finding(
        Verdict.MODIFIER_NOT_VALID,
        modifier,
        _status_message(f"Modifier {modifier}", record, day, release),
    )


def _notes(context: Context, code: str, record: CodeRow) -> list[Finding]:
    """What a billing team needs to know about a valid code."""
    notes = []
    if is_noc(code):
        notes.append(
            Finding(
                Verdict.NOT_OTHERWISE_CLASSIFIED,
                code,
                f"{code} is a not otherwise classified code: the claim needs a narrative "
                "describing the item or service.",
            )
        )
    if record.cov in NOT_COVERED:
        meaning = context.catalog.meaning(Table.COVERAGE, record.cov).description
        notes.append(
            Finding(Verdict.NOT_COVERED, code, f"{code} has coverage code {record.cov}: {meaning}.")
        )
    if record.anest_bu:
        notes.append(
            Finding(
                Verdict.ANESTHESIA_BASE_UNITS,
                code,
                f"{code} has {record.anest_bu} anesthesia base units: anesthesia is paid on its "
                "base units plus time units, times the conversion factor.",
            )
        )
    return notes


async def check_claim_lines(context: Context, lines: Sequence[ClaimLine]) -> list[LineCheck]:
    if len(lines) > MAX_LINES:
        raise ClientError(
            ErrorCode.TOO_MANY_LINES,
            f"checkClaimLines takes at most {MAX_LINES} lines per request; {len(lines)} were given",
        )
    catalog = context.catalog
    catalog.release(None)  # no release loaded: a clear error
    checked = [_normalized(number, line) for number, line in enumerate(lines, 1)]
    wanted = {line.code for line in checked} | {m for line in checked for m in line.modifiers}
    rows = await fetch_code_rows(
        context.connection, [release.id for release in catalog.releases], sorted(wanted)
    )
    by_code: dict[tuple[str, str], dict[str, CodeRow]] = {}
    for row in rows:
        by_code.setdefault((row.kind, row.code), {})[row.release_id] = row
        context.loaders.code.prime((row.release_id, row.code), row)
    suggester = suggestion_loader(context.connection)
    return [
        _check(context, number, line, by_code, suggester) for number, line in enumerate(checked, 1)
    ]


def _check(
    context: Context,
    number: int,
    line: ClaimLine,
    by_code: dict[tuple[str, str], dict[str, CodeRow]],
    suggester: DataLoader[SuggestionKey, list[Suggestion]],
) -> LineCheck:
    catalog = context.catalog
    day = line.date_of_service
    if catalog.in_effect(day) is None:
        oldest = catalog.releases[-1]
        finding = Finding(
            Verdict.NO_RELEASE_IN_EFFECT,
            line.code,
            f"No loaded release is in effect on {day}: the oldest, {oldest.id}, takes effect on "
            f"{oldest.effective_date}.",
        )
        return LineCheck(number, line, None, (finding,), None, (), None, suggester)
    release = choose_release(context, None, day)
    record = _nearest_record(by_code.get(("PROCEDURE", line.code), {}), release, catalog)
    findings = [_code_verdict(line.code, record, day, release)]
    warning = stale(catalog, day, release)
    if warning is not None:
        findings.append(
            Finding(
                Verdict.RELEASE_NOT_LOADED,
                line.code,
                f"CMS's release in effect on {day} is {warning.expected}, which is not loaded:"
                f" the line was checked against {release.id}, the newest loaded.",
            )
        )
    replacements: tuple[str, ...] = ()
    if record is not None and findings[0].verdict is Verdict.VALID:
        findings += _notes(context, line.code, record)
    if record is not None and any(
        finding.verdict in {Verdict.DISCONTINUED, Verdict.NOT_COVERED} for finding in findings
    ):
        replacements = tuple(record.cross_references)
    for modifier in line.modifiers:
        modifier_record = _nearest_record(by_code.get(("MODIFIER", modifier), {}), release, catalog)
        found = _modifier_finding(modifier, modifier_record, day, release)
        if found is not None:
            findings.append(found)
    suggestions = None
    if findings[0].verdict is Verdict.UNKNOWN_CODE and line.code:
        suggestions = SuggestionKey(release, day, line.code)
    return LineCheck(
        number, line, release, tuple(findings), record, replacements, suggestions, suggester
    )
