"""Every root field has a cache rule (http/document_facts.py): its answer is fixed by the
releases its arguments name, or it is never pinned. A new root field fails here until it is
given one, so it cannot slip into `immutable` answers unseen."""

from __future__ import annotations

from hcpcs_graphql.domain.code_tables import REGISTRY
from hcpcs_graphql.http.document_facts import Query, document_facts

# Fixed by the release they are asked for (its `release` argument), or by `from` and `to`.
BY_RELEASE = {"code", "codes", "allCodes", "search"}
BY_FROM_AND_TO = {"changes", "reconcile"}
# Never pinned: today's date, every release, a release inside an id, or the package's own data
# (the code tables change with the package, not with a release).
NEVER = {"node", "nodes", "checkClaimLines", "dataDictionary", "releases"} | {
    table.root_field for table in REGISTRY if table.root_field is not None
}


def test_every_root_field_has_a_rule() -> None:
    assert set(Query.fields) == BY_RELEASE | BY_FROM_AND_TO | NEVER
    assert not BY_RELEASE & NEVER
    assert not BY_FROM_AND_TO & (BY_RELEASE | NEVER)


def test_the_rules_are_the_schema_s() -> None:
    for name in BY_RELEASE:
        assert "release" in Query.fields[name].args, name
    for name in BY_FROM_AND_TO:
        assert {"from", "to"} <= set(Query.fields[name].args), name
    for name in NEVER:
        assert "release" not in Query.fields[name].args, name


def test_a_code_table_is_never_pinned() -> None:
    for table in REGISTRY:
        if table.root_field is not None:
            facts = document_facts(f"{{ {table.root_field} {{ code }} }}", None, None)
            assert facts.releases is None, table.root_field
