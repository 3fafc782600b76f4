"""A lone surrogate in a request's values is a client's mistake whatever carries the request
(schema.execute here; over HTTP, tests/test_hardening.py)."""

from __future__ import annotations

import pytest

from hcpcs_graphql.resolvers.context import Context
from hcpcs_graphql.schema.schema import schema

CODE = 'query($c: String!) { code(code: $c, release: "2026-01") { code } }'
CODES = 'query($c: [String!]!) { codes(codes: $c, release: "2026-01") { code } }'
FILTERED = 'query($f: CodeFilter) { allCodes(filter: $f, release: "2026-01") { totalCount } }'
RECONCILE = (
    'query($c: [String!]!) { reconcile(codes: $c, from: "2025-10", to: "2026-01") { codeCount } }'
)


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (CODE, {"c": "\ud800"}),
        (CODES, {"c": ["A9597", "\udfff"]}),
        (FILTERED, {"f": {"code": {"eq": "A\ud800"}}}),
        (RECONCILE, {"c": ["\udbff"]}),
    ],
)
async def test_a_lone_surrogate_is_bad_user_input(
    context: Context, query: str, variables: dict[str, object]
) -> None:
    result = await schema.execute(query, variable_values=variables, context_value=context)
    assert result.data is None
    assert [(error.message, error.extensions) for error in result.errors or []] == [
        (
            "The request holds a lone surrogate: not valid Unicode",
            {"code": "BAD_USER_INPUT"},
        )
    ]
