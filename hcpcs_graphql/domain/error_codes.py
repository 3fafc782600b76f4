"""The stable codes of every error and warning an answer carries (`extensions.code`), each
declared with what it means and the HTTP status it is answered with where it has one of its own.
Every layer names a code through this enum; docs/errors.md lists them (scripts/error_codes_doc.py
writes the table) and a test compares both ways."""

from __future__ import annotations

from enum import StrEnum, auto
from typing import Self


class ErrorCode(StrEnum):
    """Each member is `NAME = auto(), status, "What it means."`, as docs/errors.md's table reads:
    the code is its name; the status is None for an error inside a GraphQL answer."""

    description: str
    status: int | None
    """The HTTP status the refusal is answered with; None for errors inside a GraphQL answer."""

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[str]) -> str:
        return name  # the code is its name

    # The default description is there only for mypy (as DescribedEnum's): a code without one
    # fails at import.
    def __new__(cls, value: str, status: int | None = None, description: str = "") -> Self:
        if not description:
            raise ValueError(f"error code {value} without a description")
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        member.status = status
        return member

    # Errors of the GraphQL document and of its arguments (answered with a 200).
    GRAPHQL_PARSE_FAILED = auto(), None, "The document is not GraphQL."
    GRAPHQL_VALIDATION_FAILED = auto(), None, "The document does not fit the schema."
    QUERY_TOO_LARGE = (
        auto(),
        None,
        "The document asks for more than its cost or depth limit allows.",
    )
    BAD_USER_INPUT = auto(), None, "An argument's value is not accepted."
    BAD_PAGE = auto(), None, "A page size (`first`, `last`) is not accepted."
    BAD_CURSOR = (
        auto(),
        None,
        "A cursor (`after`, `before`) this API did not give, or one of another query: "
        "another field, filter, text, order or release. Start again without it.",
    )
    BAD_FILTER = auto(), None, "A filter that cannot be applied."
    BAD_SEARCH_TEXT = auto(), None, "A search text that cannot be searched."
    UNKNOWN_RELEASE = auto(), None, "The release named is not loaded (404 from /export)."
    BAD_RELEASE_CHOICE = (
        auto(),
        None,
        "A release and a day (`asOf`) given together: one chooses the release.",
    )
    TOO_MANY_CODES = auto(), None, "More codes than one request may name."
    BAD_ID = auto(), None, "A global id that this API did not give."
    TOO_MANY_LINES = auto(), None, "More claim lines than one request may hold."
    BAD_CLAIM_LINE = auto(), None, "A claim line that cannot be read."
    STATEMENT_TIMEOUT = (
        auto(),
        None,
        "A database statement ran past its time limit and was stopped.",
    )
    INTERNAL_SERVER_ERROR = (
        auto(),
        None,
        "A fault of the server; the log line has the same reference.",
    )
    # Warnings (extensions.warnings): the answer is given, with a caveat.
    STALE_RELEASE = (
        auto(),
        None,
        "The release in effect on the day is not loaded; an older one answered.",
    )
    # Refusals of the HTTP layer.
    BAD_REQUEST = auto(), 400, "Malformed JSON, no query, an unknown operation name."
    NOT_ALLOWED = auto(), 403, "The document is not on the server's allow list."
    NOT_FOUND = auto(), 404, "No such path."
    METHOD_NOT_ALLOWED = auto(), 405, "The path does not take this HTTP method."
    REQUEST_TIMEOUT = auto(), 408, "The request's headers came too slowly."
    BODY_TOO_LARGE = auto(), 413, "The request body is larger than the server accepts."
    URL_TOO_LONG = auto(), 414, "The URL is longer than the server accepts."
    UNSUPPORTED_MEDIA_TYPE = auto(), 415, "A POST whose content type is not JSON."
    HEADERS_TOO_LARGE = auto(), 431, "The request's headers are larger than the server accepts."
    UNAVAILABLE = auto(), 503, "The database cannot be read now (damaged or replaced)."
    TIMEOUT = auto(), 503, "The request took longer than its deadline before its answer started."
    OVERLOADED = (
        auto(),
        503,
        "As many heavy operations run and wait as the server allows: retry after `retryAfter`"
        " seconds (the `Retry-After` header).",
    )
    BATCH_NOT_ALLOWED = auto(), 400, "A batch (a JSON array of operations) where none are accepted."
    BATCH_TOO_LARGE = auto(), 400, "A batch of more operations than the server accepts."
    PERSISTED_QUERY_NOT_FOUND = (
        auto(),
        200,
        "An unknown persisted-query hash: send the document once.",
    )
    HASH_MISMATCH = auto(), 400, "A persisted query whose document does not have the hash given."


def for_status(status: int) -> ErrorCode | None:
    """The refusal of the HTTP layer that a status stands for, where it has one of its own."""
    return _BY_STATUS.get(status)


# The first code of each status is the status's own (400 BAD_REQUEST, 503 UNAVAILABLE).
_BY_STATUS: dict[int, ErrorCode] = {}
for _code in ErrorCode:
    if _code.status is not None and _code.status != 200:
        _BY_STATUS.setdefault(_code.status, _code)
