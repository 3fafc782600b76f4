"""What the HTTP layer reads of a request's document: its operation and the releases that fix
its answer (None when the answer may change as releases are loaded or days pass)."""

from __future__ import annotations

import pytest

from hcpcs_graphql.http.document_facts import DocumentFacts, document_facts
from hcpcs_graphql.http.middleware.caching import _facts, canonical

JAN = frozenset({"2026-01"})


Case = tuple[str, dict[str, object] | None, frozenset[str] | None]
CASES: list[Case] = [
        ('query { code(code: "A9597", release: "2026-01") { code } }', None, JAN),
        ('query { code(code: "A9597") { code } }', None, None),
        ('query($r: String) { search(text: "pet", release: $r) { totalCount } }', None, None),
        (
            'query($r: String) { search(text: "pet", release: $r) { totalCount } }',
            {"r": "2026-01"},
            JAN,
        ),
        ('{ code(code: "A9597", release: "2026-01") { code } releases { id } }', None, None),
        ('{ code(code: "A9597", release: "2026-01") { history { codes { code } } } }', None, None),
        ('{ code(code: "A9597", release: "2026-01") { status { status } } }', None, None),
        (
            '{ code(code: "A9597", release: "2026-01") { status(on: "2026-02-01") { status } } }',
            None,
            JAN,
        ),
        ("{ betosCodes { code } }", None, None),
        # The code tables come with the program, which an upgrade changes.
        ('{ betosCodes { codes(release: "2026-01") { totalCount } } }', None, None),
        (
            '{ code(code: "A9597", release: "2026-01") { betos { codes { totalCount } } } }',
            None,
            None,
        ),
        (
            '{ code(code: "A9597", release: "2026-01")'
            ' { betos { codes(release: "2025-10") { totalCount } } } }',
            None,
            frozenset({"2025-10", "2026-01"}),
        ),
        ('{ code(code: "A", asOf: "2026-02-01") { code } }', None, None),
        (
            '{ allCodes(release: "2026-01", filter: {status: {eq: ACTIVE}}) { totalCount } }',
            None,
            None,
        ),
        (
            '{ allCodes(release: "2026-01", filter: {status: {eq: ACTIVE, on: "2026-01-01"}})'
            " { totalCount } }",
            None,
            JAN,
        ),
        (
            'query($f: CodeFilter) { allCodes(release: "2026-01", filter: $f) { totalCount } }',
            {"f": {"or": [{"status": {"eq": "ACTIVE"}}]}},
            None,
        ),
        ('{ allCodes(release: "2026-01") { facets { kind { code } } } }', None, None),
        (
            '{ allCodes(release: "2026-01") { facets(statusOn: "2026-01-01") { kind { code } } } }',
            None,
            JAN,
        ),
        (
            '{ changes(from: "2025-10", to: "2026-01") { totalCount } }',
            None,
            frozenset({"2025-10", "2026-01"}),
        ),
        (
            '{ reconcile(codes: ["A9597"], from: "2025-10", to: "2026-01") { codeCount } }',
            None,
            frozenset({"2025-10", "2026-01"}),
        ),
        ("{ dataDictionary { fields { name } } }", None, None),
        ("{ __typename }", None, None),
        (
            '{ checkClaimLines(lines: [{code: "A9597", dateOfService: "2026-02-01"}]) { code } }',
            None,
            None,
        ),
        ("{ ...F } fragment F on Query { releases { id } }", None, None),
        ("{ nope(", None, None),
        # A value of the wrong type (the app refuses it): no release is named.
        ('query($r: String) { code(code: "A", release: $r) { code } }', {"r": [[1]]}, None),
]  # fmt: skip
SCALARS: list[Case] = [
    # Scalars as whole arguments, among variables that name releases and dates or filter.
    ('query($c: String!, $r: String) { code(code: $c, release: $r) { code } }',
     {"c": "A9597", "r": "2026-01"}, JAN),
    ('query($c: String!) { code(code: $c, release: "2026-01") { code } }', {"c": "A9597", "n": 1},
     JAN),
    ('query($c: String!, $d: Date) { code(code: $c, release: "2026-01") { status(on: $d)'
     " { status } } }", {"c": "A9597", "d": None}, None),
    ('query($f: CodeFilter) { allCodes(release: "2026-01", filter: $f) { totalCount } }',
     {"f": None}, JAN),
    ('query($s: CodeStatusFilter) { allCodes(release: "2026-01", filter: {status: $s})'
     " { totalCount } }", {"s": {"eq": "ACTIVE"}}, None),
    ('query($c: String!) { a: code(code: $c, release: "2026-01") { code }'
     ' b: codes(codes: [$c], release: "2026-01") { code } }', {"c": "A9597"}, JAN),
]  # fmt: skip


@pytest.mark.parametrize(("query", "variables", "releases"), CASES + SCALARS)
def test_the_releases_that_fix_an_answer(
    query: str, variables: dict[str, object] | None, releases: frozenset[str] | None
) -> None:
    assert document_facts(query, variables, None).releases == releases


@pytest.mark.parametrize(
    ("query", "operation_name", "facts"),
    [
        ("query Q { __typename }", None, DocumentFacts("Q", None)),
        ("query Q { __typename }", "Q", DocumentFacts("Q", None)),
        # The name as the client sent it never reaches a label: only the document's.
        ("query Q { __typename }", "\ud800", DocumentFacts(None, None)),
        ("query A { __typename } query B { __typename }", None, DocumentFacts(None, None)),
        ("{ __typename }", None, DocumentFacts(None, None)),
    ],
)
def test_the_operation_is_named_by_the_document(
    query: str, operation_name: str | None, facts: DocumentFacts
) -> None:
    assert document_facts(query, None, operation_name) == facts


@pytest.mark.parametrize(("query", "variables", "releases"), CASES + SCALARS)
def test_the_http_caches_facts_are_the_documents(
    query: str, variables: dict[str, object] | None, releases: frozenset[str] | None
) -> None:
    # Remembered without the scalars that cannot change them (caching.py's key).
    found = _facts(query, variables, canonical(variables), None)
    assert found == document_facts(query, variables, None)


def test_values_nested_past_the_stack_pin_nothing() -> None:
    deep: object = {"status": {"eq": "ACTIVE"}}
    for _ in range(5000):
        deep = {"not": deep}
    query = 'query($f: CodeFilter) { allCodes(release: "2026-01", filter: $f) { totalCount } }'
    assert document_facts(query, {"f": deep}, None) == DocumentFacts(None, None)
