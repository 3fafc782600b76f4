"""How many items each list of the schema holds at most, where no argument tells: fixed by the
record layout and the code tables, or read from the loaded data (data_bounds)."""

from __future__ import annotations

from hcpcs_graphql.db.diff_fields import ChangeKind, DiffField
from hcpcs_graphql.db.reconcile import Bucket, ComparedField
from hcpcs_graphql.domain.code_tables import REGISTRY, code_table
from hcpcs_graphql.domain.layout import DETAIL_FIELDS, FieldType
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.claims import MAX_FINDINGS, MAX_LINES
from hcpcs_graphql.services.codes import MAX_CODES
from hcpcs_graphql.services.suggestions import MAX_SUGGESTIONS


def _occurrences(column: str) -> int:
    """How many columns of the record layout repeat the field: xref1-5."""
    return sum(1 for field in DETAIL_FIELDS if field.column.rstrip("0123456789") == column)


# A field's coded values: one a column of its code table.
_MOST_COLUMNS = max(len(table.columns) for table in REGISTRY)
# How many items a list field holds at most, where no argument tells.
LIST_ITEMS: dict[tuple[str, str], int] = {
    ("Code", "crossReferences"): _occurrences("xref"),
    ("Code", "cimReferences"): _occurrences("cim"),
    ("Code", "mcmReferences"): _occurrences("mcm"),
    # One defect at most a field that can fail to parse: the dates and whole numbers.
    ("Code", "cmsDefects"): sum(1 for field in DETAIL_FIELDS if field.type is not FieldType.TEXT),
    ("CodeChange", "fields"): len(DiffField),
    ("FieldChange", "codedBefore"): _MOST_COLUMNS,
    ("FieldChange", "codedAfter"): _MOST_COLUMNS,
    ("ChangeSummary", "byKind"): len(ChangeKind),
    ("ChangeSummary", "byField"): len(DiffField),
    ("ClaimLineCheck", "findings"): MAX_FINDINGS,
    ("ClaimLineCheck", "replacements"): 5,
    ("ClaimLineCheck", "suggestions"): MAX_SUGGESTIONS,
    ("ReconcileEntry", "changes"): len(ComparedField),
    ("ReconcileEntry", "replacements"): 5,
    ("ReconcileEntry", "suggestions"): MAX_SUGGESTIONS,
    ("ChargemasterReview", "counts"): len(Bucket),
}
# Root lists with one item per element of a list argument, and the most they may hold; the
# batch lookup `codes` and the code tables restricted by `codes` likewise.
LIST_ARGUMENTS = {"checkClaimLines": ("lines", MAX_LINES), "nodes": ("ids", MAX_CODES)}
# The code tables listed by root fields: as many entries as the table has; the `Code` fields of
# a table with several columns: one value a column.
LIST_ITEMS.update(
    {
        ("Query", table.root_field): len(code_table(table.name))
        for table in REGISTRY
        if table.root_field is not None
    }
)
LIST_ITEMS.update(
    {
        ("Code", table.code_field): len(table.columns)
        for table in REGISTRY
        if table.code_field is not None and len(table.columns) > 1
    }
)
OTHER_LISTS = 110
"""Any other list (facet buckets, releases, highlights): the largest facet has 108 buckets."""

Bounds = tuple[tuple[tuple[str, str], int], ...]
"""The lists that the loaded data bounds, and their bounds (hashable: part of a cache key)."""


_LAST: list[tuple[Catalog, Bounds]] = []
"""The last catalog's bounds: every request reads them, and a catalog never changes."""


def data_bounds(catalog: Catalog | None) -> Bounds:
    """The bounds of the lists that grow with the data: one record of history a loaded release,
    as many referrers as the most any code has. Without a catalog, none (the other lists')."""
    if catalog is None:
        return ()
    if _LAST and _LAST[0][0] is catalog:
        return _LAST[0][1]
    found = _data_bounds(catalog)
    _LAST[:] = [(catalog, found)]
    return found


def _data_bounds(catalog: Catalog) -> Bounds:
    bounds = {
        ("CodeHistory", "records"): len(catalog.releases),
        ("Query", "releases"): len(catalog.releases),
    }
    if catalog.most_referrers is not None:
        bounds[("Code", "referencedBy")] = catalog.most_referrers
    return tuple(sorted(bounds.items()))


def bounded_root_lists(bounds: Bounds) -> frozenset[str]:
    """The root fields whose lists have a bound of their own (an argument's length, a code
    table's size, the data's); any other root list costs as OTHER_LISTS."""
    return frozenset(
        {"codes", *LIST_ARGUMENTS}
        | {field for (parent, field) in [*LIST_ITEMS, *dict(bounds)] if parent == "Query"}
    )
