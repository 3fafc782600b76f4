"""A chargemaster review (`reconcile`): the codes of a list, each in one bucket by what changed
between two releases, with counts. The whole list costs one statement (both releases' records of
every code at once); suggestions for unknown codes are looked up only for the entries asked for."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite
from strawberry.dataloader import DataLoader

from hcpcs_graphql.db.reconcile import Bucket, Reviewed, review_codes
from hcpcs_graphql.db.rows import ReleaseRow
from hcpcs_graphql.domain.code_shapes import outside_file
from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.services.codes import normalize_code
from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.errors import ClientError
from hcpcs_graphql.services.releases import choose_release
from hcpcs_graphql.services.suggestions import Suggestion, SuggestionKey, suggestion_loader

MAX_RECONCILE_CODES = 10_000


@dataclass(frozen=True, slots=True)
class Review:
    before: ReleaseRow
    """The `from` release."""
    after: ReleaseRow
    """The `to` release."""
    given: int
    """Codes given, blanks and repeats included."""
    entries: tuple[Reviewed, ...]
    """One per distinct code, in the order first given."""
    suggester: DataLoader[SuggestionKey, list[Suggestion]]

    def counts(self) -> dict[Bucket, int]:
        found = Counter(entry.bucket for entry in self.entries)
        return {bucket: found[bucket] for bucket in Bucket}

    def suggestion_key(self, entry: Reviewed) -> SuggestionKey | None:
        """Valid codes of `to`, on its effective date, near an unknown code."""
        if entry.bucket is not Bucket.UNKNOWN or not entry.code:
            return None
        return SuggestionKey(self.after, self.after.effective_date, entry.code)


def distinct_codes(codes: Sequence[str]) -> list[str]:
    """The codes in upper case without blanks, each once, in the order first given."""
    return list(dict.fromkeys(code for text in codes if (code := normalize_code(text))))


async def reconcile(
    context: Context,
    codes: Sequence[str],
    from_release: str,
    to_release: str,
    *,
    max_codes: int | None = MAX_RECONCILE_CODES,
) -> Review:
    if max_codes is not None and len(codes) > max_codes:
        raise ClientError(
            ErrorCode.TOO_MANY_CODES,
            f"reconcile takes at most {max_codes:,} codes per request; {len(codes):,} were given",
        )
    before = choose_release(context, from_release)
    after = choose_release(context, to_release)
    return await review_releases(context.connection, before, after, codes)


async def review_releases(
    connection: aiosqlite.Connection, before: ReleaseRow, after: ReleaseRow, codes: Sequence[str]
) -> Review:
    """The review of CODES from BEFORE to AFTER, without a request around it (the CLI's)."""
    if before.effective_date > after.effective_date:
        raise ClientError(
            ErrorCode.BAD_RELEASE_CHOICE,
            f"`from` ({before.id}) takes effect after `to` ({after.id}): give the older "
            "release as `from`",
        )
    entries = await review_codes(connection, before.id, after.id, distinct_codes(codes))
    return Review(before, after, len(codes), tuple(entries), suggestion_loader(connection))


def describe(entry: Reviewed, review: Review) -> str:
    """The entry's bucket and details in a sentence or two."""
    before, after = review.before.id, review.after.id
    if entry.bucket is Bucket.UNCHECKED:
        return (
            f"{entry.code} has the shape of {outside_file(entry.code)}, which the CMS HCPCS "
            "Level II file does not hold: not reviewed."
        )
    if entry.bucket is Bucket.UNKNOWN:
        return f"{entry.code} is in neither {before} nor {after}."
    if entry.bucket is Bucket.ADDED:
        return f"Added: in {after} (added date {entry.added}), not in {before}."
    if entry.bucket is Bucket.DISCONTINUED:
        where = "" if entry.in_after else f"{after} no longer has it; "
        references = entry.cross_references
        return f"Discontinued: {where}its last valid day is {entry.terminated}. " + (
            f"CMS cross-references {', '.join(references)}."
            if references
            else "CMS cross-references no other code."
        )
    if not entry.changes:
        return f"No change in descriptions or payment-relevant fields from {before} to {after}."
    parts = []
    for change in entry.changes:
        if change.field.is_description:
            parts.append(f"{change.field.label} changed")
        else:
            parts.append(
                f"{change.field.label} {change.before or '(blank)'} -> {change.after or '(blank)'}"
            )
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."
