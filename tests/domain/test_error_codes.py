"""One vocabulary of error codes: the enum is the only place a code is written, every code has
its description, and the docs' list is the enum's, both ways."""

from __future__ import annotations

import ast
import re

from hcpcs_graphql.domain.error_codes import ErrorCode, for_status
from hcpcs_graphql.services.findings import Verdict
from tests.conftest import REPOSITORY

PACKAGE = REPOSITORY / "hcpcs_graphql"
SOURCE = PACKAGE / "domain" / "error_codes.py"
# What a code is spelt like wherever a page mentions one.
CODE_LIKE = re.compile(r"`((?:BAD|UNKNOWN|TOO_MANY)_[A-Z_]+|[A-Z_]+_(?:FAILED|TOO_LARGE|TIMEOUT))`")


def literals() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == SOURCE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append((str(path.relative_to(REPOSITORY)), node.lineno, node.value))
    return found


def test_no_module_writes_a_code_as_a_string() -> None:
    codes = {str(code) for code in ErrorCode}
    assert [found for found in literals() if found[2] in codes] == []


def test_every_code_is_its_name_and_has_a_description() -> None:
    assert all(code.value == code.name and code.description for code in ErrorCode)


def test_a_code_is_declared_with_its_facts() -> None:
    assert (ErrorCode.NOT_FOUND.description, ErrorCode.NOT_FOUND.status) == ("No such path.", 404)
    assert (ErrorCode.BAD_FILTER.status, f"{ErrorCode.BAD_FILTER}") == (None, "BAD_FILTER")


def test_a_status_stands_for_its_own_code() -> None:
    assert (for_status(400), for_status(503), for_status(418)) == (
        ErrorCode.BAD_REQUEST,
        ErrorCode.UNAVAILABLE,
        None,
    )


def test_the_docs_list_every_code_and_no_other() -> None:
    page = (REPOSITORY / "docs" / "errors.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([A-Z_]+)` \|", page, flags=re.MULTILINE)
    assert listed == [str(code) for code in ErrorCode]


def test_every_code_a_page_mentions_is_one() -> None:
    pages = [REPOSITORY / "README.md", *sorted((REPOSITORY / "docs").glob("*.md"))]
    mentioned = {
        (page.name, name)
        for page in pages
        for name in CODE_LIKE.findall(page.read_text(encoding="utf-8"))
    }
    # A claim line's verdict (UNKNOWN_CODE) is spelt like a code too, and is not one.
    known = {str(code) for code in ErrorCode} | {verdict.name for verdict in Verdict}
    assert {found for found in mentioned if found[1] not in known} == set()
