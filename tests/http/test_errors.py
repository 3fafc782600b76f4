"""A refusal of the HTTP layer: the GraphQL-shaped envelope, with the status its code declares."""

from __future__ import annotations

import json

import pytest

from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.http.errors import refusal


def test_a_refusal_has_the_status_its_code_declares() -> None:
    response = refusal(ErrorCode.HASH_MISMATCH, "Not the hash given.")
    body = {"errors": [{"message": "Not the hash given.", "extensions": {"code": "HASH_MISMATCH"}}]}
    assert (response.status_code, json.loads(bytes(response.body))) == (400, body)


def test_an_error_inside_a_graphql_answer_is_no_refusal() -> None:
    with pytest.raises(ValueError, match="BAD_FILTER"):
        refusal(ErrorCode.BAD_FILTER, "A filter that cannot be applied.")
