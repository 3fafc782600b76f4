"""The plan of schema/execution.py gives exactly what a plain Strawberry schema gives."""

from __future__ import annotations

import strawberry

from hcpcs_graphql.schema.coded import CODED_TYPES
from hcpcs_graphql.schema.query import Query
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.context import Context
from tests.fragments import code_fields

EVERYTHING = (
    """
query Everything($text: String!) {
  allCodes(filter: {hasCrossReferences: true}, first: 100) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {"""
    + code_fields(
        target="code coverage { code } crossReferences { code }",
        release="id effectiveDate files { name role sha256 } notes",
    )
    + """
      }
    }
  }
  search(text: $text, first: 30) {
    edges { matchedBy highlights { field start end } node { code betos { code } } }
  }
  releases { id codeCount }
}
"""
)

plain = strawberry.Schema(query=Query, types=list(CODED_TYPES))


async def test_the_shortcut_changes_nothing(context: Context) -> None:
    variables = {"text": "wheelchair"}
    fast = await schema.execute(EVERYTHING, variable_values=variables, context_value=context)
    slow = await plain.execute(EVERYTHING, variable_values=variables, context_value=context)
    assert fast.errors is None
    assert slow.errors is None
    assert fast.data == slow.data
