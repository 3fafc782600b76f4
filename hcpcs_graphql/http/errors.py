"""Refusals over HTTP, in the shape of a GraphQL answer: `{"errors": [{"message", "extensions":
{"code"}}]}` with a 4xx or 5xx status, so that every client (GraphiQL included) can read them."""

from __future__ import annotations

import json

from starlette.responses import JSONResponse

# Stable codes for the refusals of the HTTP layer (Strawberry's among them), by status.
CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    408: "REQUEST_TIMEOUT",
    413: "BODY_TOO_LARGE",
    414: "URL_TOO_LONG",
    415: "UNSUPPORTED_MEDIA_TYPE",
    431: "HEADERS_TOO_LARGE",
    503: "UNAVAILABLE",
}


def error_body(message: str, code: str) -> bytes:
    answer = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return json.dumps(answer, separators=(",", ":")).encode()


def error_response(
    status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {
            "errors": [
                {
                    "message": message,
                    "extensions": {"code": code or CODES.get(status, f"HTTP_{status}")},
                }
            ]
        },
        status_code=status,
        headers=headers,
    )
