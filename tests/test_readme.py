"""Each GraphQL example in the README and in docs/ (a graphql block followed by its json block)
runs and gives the result shown."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.context import Context
from tests.conftest import REPOSITORY

EXAMPLE = re.compile(r"```graphql\n(?P<query>.*?)```\s*```json\n(?P<result>.*?)```", re.DOTALL)
PAGES = [REPOSITORY / "README.md", *sorted((REPOSITORY / "docs").glob("**/*.md"))]
EXAMPLES = [
    (match["query"], json.loads(match["result"]))
    for page in PAGES
    for match in EXAMPLE.finditer(page.read_text())
]


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize(("query", "expected"), EXAMPLES)
async def test_example(context: Context, query: str, expected: Any) -> None:
    result = await schema.execute(query, context_value=context)
    assert result.errors is None
    assert {"data": result.data} == expected
