"""Refusals over HTTP, in the shape of a GraphQL answer: `{"errors": [{"message", "extensions":
{"code"}}]}` with a 4xx or 5xx status, so that every client (GraphiQL included) can read them.
Every refusal of the HTTP layer is built here; its codes are domain/error_codes.py's."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse

from hcpcs_graphql.domain.error_codes import ErrorCode, for_status


def code_for(status: int) -> str:
    """The code of a refusal that only its status describes (one of Strawberry's, say)."""
    code = for_status(status)
    return code if code is not None else f"HTTP_{status}"


def envelope(message: str, code: str, *, data: bool = False) -> dict[str, Any]:
    answer: dict[str, Any] = {"data": None} if data else {}
    answer["errors"] = [{"message": message, "extensions": {"code": str(code)}}]
    return answer


def error_body(message: str, code: str) -> bytes:
    return json.dumps(envelope(message, code), separators=(",", ":")).encode()


def error_response(
    status: int,
    message: str,
    code: ErrorCode | None = None,
    headers: dict[str, str] | None = None,
    *,
    data: bool = False,
) -> JSONResponse:
    answer = envelope(message, code or code_for(status), data=data)
    return JSONResponse(answer, status_code=status, headers=headers)


def refusal(code: ErrorCode, message: str) -> JSONResponse:
    """A refusal of the HTTP layer, answered with the status its code declares."""
    if code.status is None:
        raise ValueError(f"{code} is answered inside a GraphQL answer, with no status of its own")
    return error_response(code.status, message, code)
