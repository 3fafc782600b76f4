"""What every answer of the server to a hostile or generated request must be: not a 5xx, a JSON
object with `data` or `errors`, each error with a message and a code."""

from __future__ import annotations

import json
from typing import Any, Protocol


class Answer(Protocol):
    """An HTTP response (httpx's, schemathesis')."""

    @property
    def status_code(self) -> int: ...

    @property
    def content(self) -> bytes: ...

    @property
    def text(self) -> str: ...


def graphql_errors(response: Answer) -> list[dict[str, Any]]:
    """The errors of a GraphQL answer, once it is checked to be one; each has a code."""
    assert response.status_code < 500, f"HTTP {response.status_code}: {response.text[:500]}"
    try:
        answer = json.loads(response.content)
    except ValueError:
        raise AssertionError(
            f"not JSON (HTTP {response.status_code}): {response.text[:500]}"
        ) from None
    assert isinstance(answer, dict), answer
    assert "data" in answer or "errors" in answer, answer
    errors: list[dict[str, Any]] = answer.get("errors") or []
    for error in errors:
        assert isinstance(error.get("message"), str), error
        code = error.get("extensions", {}).get("code")
        assert isinstance(code, str), f"an error without a code: {error}"
    return errors
