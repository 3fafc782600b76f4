"""The service behind the FHIR terminology operations: each one the GraphQL field it mirrors
(code lookup, the claim-line check, search and listing, cross-references), so that both APIs
give one answer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from hcpcs_graphql.db.filters import CodeFilter, StatusFilter
from hcpcs_graphql.db.rows import CodeRow, ReleaseRow
from hcpcs_graphql.domain.status import Status
from hcpcs_graphql.services import claims, listing
from hcpcs_graphql.services.claims import ClaimLine, LineCheck
from hcpcs_graphql.services.code_sets import CodePage, SetSource
from hcpcs_graphql.services.codes import normalize_code
from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.findings import Finding, Verdict
from hcpcs_graphql.services.pagination import DEFAULT_PAGE_SIZE, Page
from hcpcs_graphql.services.releases import choose_release


@dataclass(frozen=True, slots=True)
class Found:
    release: ReleaseRow
    row: CodeRow | None


async def lookup(
    context: Context, code: str, version: str | None, date: datetime.date | None
) -> Found:
    """The code in the release named, in effect on the date, or in effect today (as `code`)."""
    release = choose_release(context, version, date)
    row = await context.loaders.code.load((release.id, normalize_code(code)))
    return Found(release, row)


@dataclass(frozen=True, slots=True)
class Validation:
    day: datetime.date
    check: LineCheck
    findings: tuple[Finding, ...]
    """What the claim-line check says about the code (a modifier's findings for a modifier)."""
    modifier: bool
    record: CodeRow | None
    """The code's record the check judged (a modifier's in the release chosen)."""


async def validate(
    context: Context, code: str, version: str | None, date: datetime.date | None
) -> Validation:
    """The claim-line verdict on the code on the date; without a date, on the named release's
    effective date, else today."""
    if version is None and date is not None and context.catalog.in_effect(date) is None:
        release = context.catalog.default(date)  # none in effect that day: the check says so
    else:
        release = choose_release(context, version, date)
    day = date or (release.effective_date if version is not None else context.today)
    text = normalize_code(code)
    row = await context.loaders.code.load((release.id, text))
    modifier = row is not None and row.kind == "MODIFIER"
    # A modifier is judged as the modifier of a line, by the same check.
    line = ClaimLine("", (text,), day) if modifier else ClaimLine(text, (), day)
    (check,) = await claims.check_claim_lines(context, [line])
    findings = check.findings
    if modifier and findings[0].verdict is not Verdict.NO_RELEASE_IN_EFFECT:
        findings = findings[1:]
    return Validation(day, check, findings, modifier, row if modifier else check.record)


@dataclass(frozen=True, slots=True)
class Expansion:
    release: ReleaseRow
    day: datetime.date
    total: int
    page: CodePage


async def expand(
    context: Context,
    *,
    text: str | None,
    offset: int,
    count: int | None,
    version: str | None,
    date: datetime.date | None,
    active_only: bool,
) -> Expansion:
    """A page of the codes (the search's when there is text, else all in code order)."""
    release = choose_release(context, version, date)
    day = date or context.today
    code_filter = CodeFilter(status=StatusFilter(on=day, eq=Status.ACTIVE)) if active_only else None
    page = Page.at(offset, DEFAULT_PAGE_SIZE if count is None else count)
    source: SetSource
    if text is None:
        source = listing.all_codes(
            context,
            code_filter=code_filter,
            orders=(),
            release=release.id,
            page=page,
        )
    else:
        source = await listing.search(
            context, text=text, code_filter=code_filter, release=release.id, page=page
        )  # fmt: skip
    return Expansion(release, day, await source.total(context), await source.fetch_page(context))


@dataclass(frozen=True, slots=True)
class Translation:
    release: ReleaseRow
    row: CodeRow | None
    targets: tuple[tuple[str, CodeRow | None], ...]
    """Each code mapped to, with its record in the release (None when the release lacks it)."""


async def translate(
    context: Context, code: str, version: str | None, date: datetime.date | None, reverse: bool
) -> Translation:
    """The code's cross-references (XREF1-5), or with `reverse` the codes that cross-reference
    it (as `referencedBy`)."""
    found = await lookup(context, code, version, date)
    loaders = context.loaders
    if reverse:
        referrers = await loaders.referrers.load(found.release.id)
        codes = list(referrers.get(normalize_code(code), ()))
    else:
        codes = [] if found.row is None else found.row.cross_references
    rows = await loaders.code.load_many([(found.release.id, target) for target in codes])
    return Translation(found.release, found.row, tuple(zip(codes, rows, strict=True)))
