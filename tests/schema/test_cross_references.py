"""Cross-references both ways: the codes a code points to, and the codes that point to it."""

from __future__ import annotations

from hcpcs_graphql.services.context import Context
from tests.graphql import execute

BOTH_WAYS = """
query BothWays($codes: [String!]!, $release: String) {
  codes(codes: $codes, release: $release) {
    code
    terminationDate
    crossReferences { code target { code terminationDate } }
    referencedBy { code terminationDate crossReferences { code } }
  }
}
"""


async def test_a_discontinued_code_and_its_replacement(context: Context) -> None:
    # C9173 ended on 2025-06-30 and points to Q5148, which is referenced by it alone.
    assert await execute(context, BOTH_WAYS, codes=["C9173", "Q5148"]) == {
        "codes": [
            {
                "code": "C9173",
                "terminationDate": "2025-06-30",
                "crossReferences": [
                    {"code": "Q5148", "target": {"code": "Q5148", "terminationDate": None}}
                ],
                "referencedBy": [],
            },
            {
                "code": "Q5148",
                "terminationDate": None,
                "crossReferences": [],
                "referencedBy": [
                    {
                        "code": "C9173",
                        "terminationDate": "2025-06-30",
                        "crossReferences": [{"code": "Q5148"}],
                    }
                ],
            },
        ]
    }


async def test_referenced_by_agrees_with_every_cross_reference(
    context: Context, statements: list[str]
) -> None:
    """Every XREF of the release, turned around, gives each code's referencedBy exactly."""
    query = """
    query All($after: String) {
      allCodes(release: "2026-01", first: 100, after: $after, filter: {hasCrossReferences: true}) {
        edges { node { code crossReferences { code } } }
        pageInfo { endCursor hasNextPage }
      }
    }
    """
    expected: dict[str, list[str]] = {}
    after = None
    while True:
        page = (await execute(context, query, after=after))["allCodes"]
        for edge in page["edges"]:
            for reference in edge["node"]["crossReferences"]:
                expected.setdefault(reference["code"], []).append(edge["node"]["code"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    statements.clear()
    data = await execute(context, BOTH_WAYS, codes=sorted(expected)[:100], release="2026-01")
    assert len(statements) <= 3  # codes, referrers of the release (once), referring codes
    found = {
        code["code"]: [referrer["code"] for referrer in code["referencedBy"]]
        for code in data["codes"]
        if code is not None
    }
    assert found == {
        code: sorted(referrers) for code, referrers in expected.items() if code in found
    }
    assert len(found) > 50
