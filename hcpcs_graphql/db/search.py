"""Search over the codes of a release: an exact code first, then codes that start with the
text, then full-text matches of the descriptions (every word a prefix or an inflection of it,
all words required).

Within each of those tiers the codes come in the order a coder expects (see RANK_RULES): those
in effect on the day asked before the others, specific codes before not otherwise classified
ones unless the text asks for those, a match at the head of the long description before one
deeper in it, then bm25, then code."""

from __future__ import annotations

from hcpcs_graphql.db.codeset import Ranked
from hcpcs_graphql.db.conditions import NOC_SQL, STATUS_SQL, Condition, noc_json
from hcpcs_graphql.db.rows import ReleaseRow
from hcpcs_graphql.db.search_query import SearchText
from hcpcs_graphql.domain.status import Status

BM25_WEIGHTS = "2.0, 1.0"
"""bm25 weights of the short and the long description."""
SHORT_PREFIXES = (1, 2)
"""The lengths of the word prefixes whose ranking the loader keeps (the prefix_rank table)."""
RANK_RULES = (
    ("status", 4000.0),
    ("noc", 2000.0),
    ("head", 300.0),
)
"""What is added to a description match's bm25 score (negative, far smaller in magnitude than
these) when a code is not in effect on the day asked, or is a NOC code the text did not ask for;
and by how far the head of its long description is from the text: nothing when its first part
(up to a comma) is the text ("Walker, folding"), once when it starts with the text's words in
their order ("Power wheelchair accessory"), twice when it starts with the last of them (the head
of the phrase: "wheelchair cushion" is a cushion), three times otherwise. Each rule outweighs
the next."""
_HEAD_SEGMENT = (
    "lower(trim(substr(c.long_description, 1, instr(c.long_description || ',', ',') - 1)))"
)
_PENALTY = dict(RANK_RULES)


class Tier:
    EXACT_CODE = 0
    CODE_PREFIX = 1
    TEXT = 2


def _not_active(day: str) -> tuple[str, tuple[str, ...]]:
    sql = STATUS_SQL[Status.ACTIVE]
    return f"not {sql}", (day,) * sql.count("?")


def text_hits(
    text: SearchText, first_rowid: int, last_rowid: int, day: str
) -> tuple[str, list[object]]:
    """Description matches as (id, score), ranked by RANK_RULES on the day DAY (YYYY-MM-DD)."""
    inactive, inactive_parameters = _not_active(day)
    noc = "0" if text.asks_for_noc else NOC_SQL
    noc_parameters: list[object] = [] if text.asks_for_noc else [noc_json()]
    sql = (
        f"select f.rowid as id, bm25(code_fts, {BM25_WEIGHTS})"
        f" + case when {inactive} then {_PENALTY['status']} else 0 end"
        f" + case when {noc} then {_PENALTY['noc']} else 0 end"
        # A head segment that is the text starts with its words: only the few codes that the
        # head phrase matches need their long description read and cut.
        " + case when f.rowid in (select rowid from code_fts where code_fts match ?"
        f" and rowid between ? and ?) then case when {_HEAD_SEGMENT} = ? then 0 else 1 end"
        " when f.rowid in (select rowid from code_fts"
        " where code_fts match ? and rowid between ? and ?) then 2 else 3 end"
        f" * {_PENALTY['head']} as score"
        " from code_fts f join code c on c.rowid = f.rowid"
        " where code_fts match ? and f.rowid between ? and ?"
    )
    return sql, [
        *inactive_parameters,
        *noc_parameters,
        text.head_phrase_query(),
        first_rowid,
        last_rowid,
        " ".join(text.words),
        text.head_query(),
        first_rowid,
        last_rowid,
        text.fts_query(),
        first_rowid,
        last_rowid,
    ]


def searched(
    release: ReleaseRow,
    text: SearchText,
    condition: Condition,
    *,
    day: str,
    descriptions: bool = True,
) -> Ranked:
    """The codes of the release that match the text and the condition, with their rank on the
    day DAY; only those that match by code when `descriptions` is false."""
    # The release's codes are the rowids first_rowid..last_rowid of `code` and of `code_fts`.
    hits, text_parameters = text_hits(text, release.first_rowid, release.last_rowid, day)
    counted_hits = (
        "select rowid as id from code_fts where code_fts match ? and rowid between ? and ?"
    )
    counted_parameters: list[object] = [text.fts_query(), release.first_rowid, release.last_rowid]
    if len(text.words) == 1 and len(text.words[0]) in SHORT_PREFIXES:
        # Ranked by the loader (on the release's date): the position is the rank.
        hits = (
            "select code_rowid as id, position as score from prefix_rank"
            " where release_id = ? and prefix = ?"
        )
        text_parameters = [release.id, text.words[0]]
        counted_hits = (
            "select code_rowid as id from prefix_rank where release_id = ? and prefix = ?"
        )
        counted_parameters = list(text_parameters)
    if not descriptions:
        hits, text_parameters = "select 0 as id, 0.0 as score where 0", []
        counted_hits, counted_parameters = "select 0 as id where 0", []
    # Code matches as (id, tier, score): the exact code, then the codes it starts, those not in
    # effect on the day last.
    code_hits = "select 0 as id, 0 as tier, 0 as score where 0"
    code_parameters: list[object] = []
    if text.code is not None:
        inactive, inactive_parameters = _not_active(day)
        code_hits = (
            f"select c.rowid as id, case when c.code = ? then {Tier.EXACT_CODE}"
            f" else {Tier.CODE_PREFIX} end as tier, case when {inactive} then 1 else 0 end"
            " as score from code c where c.release_id = ? and c.code >= ? and c.code < ?"
        )
        code_parameters = [
            text.code,
            *inactive_parameters,
            release.id,
            text.code,
            text.code + "\x7f",
        ]
    # A code that matches by code and by description counts once, by code.
    keys = (
        f"with code_hits as materialized ({code_hits})"
        " select id, tier, score from code_hits"
        f" union all select id, {Tier.TEXT}, score from ({hits})"
        " where id not in (select id from code_hits)"
    )
    # Each side holds an id once: those of the text that match by code are left out of it, not
    # deduplicated with the rest (a b-tree of every id: most of a one-letter count).
    counted = (
        f"with code_hits as materialized ({code_hits})"
        f" select id from code_hits union all select id from ({counted_hits})"
        " where id not in (select id from code_hits)"
    )
    return Ranked(
        keys,
        counted,
        (*code_parameters, *text_parameters),
        condition,
        counted_parameters=(*code_parameters, *counted_parameters),
    )
