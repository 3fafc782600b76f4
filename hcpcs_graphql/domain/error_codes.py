"""The stable codes of every error and warning an answer carries (`extensions.code`), each with
the HTTP status it is answered with where it has one of its own, and what it means. Every layer
names a code through this enum; docs/api.md lists them and a test compares both ways."""

from __future__ import annotations

from enum import StrEnum, auto


class ErrorCode(StrEnum):
    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[str]) -> str:
        return name  # the code is its name

    # Errors of the GraphQL document and of its arguments (answered with a 200).
    GRAPHQL_PARSE_FAILED = auto()
    GRAPHQL_VALIDATION_FAILED = auto()
    QUERY_TOO_LARGE = auto()
    BAD_USER_INPUT = auto()
    BAD_PAGE = auto()
    BAD_CURSOR = auto()
    BAD_FILTER = auto()
    BAD_SEARCH_TEXT = auto()
    UNKNOWN_RELEASE = auto()
    BAD_RELEASE_CHOICE = auto()
    TOO_MANY_CODES = auto()
    BAD_ID = auto()
    TOO_MANY_LINES = auto()
    BAD_CLAIM_LINE = auto()
    STATEMENT_TIMEOUT = auto()
    INTERNAL_SERVER_ERROR = auto()
    # Warnings (extensions.warnings): the answer is given, with a caveat.
    STALE_RELEASE = auto()
    # Refusals of the HTTP layer.
    BAD_REQUEST = auto()
    NOT_ALLOWED = auto()
    NOT_FOUND = auto()
    METHOD_NOT_ALLOWED = auto()
    REQUEST_TIMEOUT = auto()
    BODY_TOO_LARGE = auto()
    URL_TOO_LONG = auto()
    UNSUPPORTED_MEDIA_TYPE = auto()
    HEADERS_TOO_LARGE = auto()
    UNAVAILABLE = auto()
    TIMEOUT = auto()
    OVERLOADED = auto()
    BATCH_NOT_ALLOWED = auto()
    BATCH_TOO_LARGE = auto()
    PERSISTED_QUERY_NOT_FOUND = auto()
    HASH_MISMATCH = auto()

    @property
    def description(self) -> str:
        return _FACTS[self][0]

    @property
    def status(self) -> int | None:
        """The HTTP status the refusal is answered with; None for errors inside a GraphQL answer."""
        return _FACTS[self][1]


_FACTS: dict[ErrorCode, tuple[str, int | None]] = {
    # Errors of the GraphQL document and of its arguments (answered with a 200).
    ErrorCode.GRAPHQL_PARSE_FAILED: ("The document is not GraphQL.", None),
    ErrorCode.GRAPHQL_VALIDATION_FAILED: ("The document does not fit the schema.", None),
    ErrorCode.QUERY_TOO_LARGE: (
        "The document asks for more than its cost or depth limit allows.",
        None,
    ),
    ErrorCode.BAD_USER_INPUT: ("An argument's value is not accepted.", None),
    ErrorCode.BAD_PAGE: ("A page size (`first`, `last`) is not accepted.", None),
    ErrorCode.BAD_CURSOR: (
        "A cursor (`after`, `before`) this API did not give, or one of another query: "
        "another field, filter, text, order or release. Start again without it.",
        None,
    ),
    ErrorCode.BAD_FILTER: ("A filter that cannot be applied.", None),
    ErrorCode.BAD_SEARCH_TEXT: ("A search text that cannot be searched.", None),
    ErrorCode.UNKNOWN_RELEASE: ("The release named is not loaded (404 from /export).", None),
    ErrorCode.BAD_RELEASE_CHOICE: (
        "A release and a day (`asOf`) given together: one chooses the release.",
        None,
    ),
    ErrorCode.TOO_MANY_CODES: ("More codes than one request may name.", None),
    ErrorCode.BAD_ID: ("A global id that this API did not give.", None),
    ErrorCode.TOO_MANY_LINES: ("More claim lines than one request may hold.", None),
    ErrorCode.BAD_CLAIM_LINE: ("A claim line that cannot be read.", None),
    ErrorCode.STATEMENT_TIMEOUT: (
        "A database statement ran past its time limit and was stopped.",
        None,
    ),
    ErrorCode.INTERNAL_SERVER_ERROR: (
        "A fault of the server; the log line has the same reference.",
        None,
    ),
    # Warnings (extensions.warnings): the answer is given, with a caveat.
    ErrorCode.STALE_RELEASE: (
        "The release in effect on the day is not loaded; an older one answered.",
        None,
    ),
    # Refusals of the HTTP layer.
    ErrorCode.BAD_REQUEST: ("Malformed JSON, no query, an unknown operation name.", 400),
    ErrorCode.NOT_ALLOWED: ("The document is not on the server's allow list.", 403),
    ErrorCode.NOT_FOUND: ("No such path.", 404),
    ErrorCode.METHOD_NOT_ALLOWED: ("The path does not take this HTTP method.", 405),
    ErrorCode.REQUEST_TIMEOUT: ("The request's headers came too slowly.", 408),
    ErrorCode.BODY_TOO_LARGE: ("The request body is larger than the server accepts.", 413),
    ErrorCode.URL_TOO_LONG: ("The URL is longer than the server accepts.", 414),
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: (
        "A POST whose content type is not JSON.",
        415,
    ),
    ErrorCode.HEADERS_TOO_LARGE: ("The request's headers are larger than the server accepts.", 431),
    ErrorCode.TIMEOUT: (
        "The request took longer than its deadline before its answer started.",
        503,
    ),
    ErrorCode.UNAVAILABLE: ("The database cannot be read now (damaged or replaced).", 503),
    ErrorCode.OVERLOADED: (
        "As many heavy operations run and wait as the server allows: retry after `retryAfter`"
        " seconds (the `Retry-After` header).",
        503,
    ),
    ErrorCode.BATCH_NOT_ALLOWED: (
        "A batch (a JSON array of operations) where none are accepted.",
        400,
    ),
    ErrorCode.BATCH_TOO_LARGE: ("A batch of more operations than the server accepts.", 400),
    ErrorCode.PERSISTED_QUERY_NOT_FOUND: (
        "An unknown persisted-query hash: send the document once.",
        200,
    ),
    ErrorCode.HASH_MISMATCH: (
        "A persisted query whose document does not have the hash given.",
        400,
    ),
}
_missing = set(ErrorCode) - set(_FACTS)
if _missing:  # a code without its description fails at import
    raise ValueError(f"error codes without a description: {sorted(_missing)}")


def for_status(status: int) -> ErrorCode | None:
    """The refusal of the HTTP layer that a status stands for, where it has one of its own."""
    return _BY_STATUS.get(status)


# The first code of each status is the status's own (400 BAD_REQUEST, 503 UNAVAILABLE).
_BY_STATUS: dict[int, ErrorCode] = {}
for _code in ErrorCode:
    if _code.status is not None and _code.status != 200:
        _BY_STATUS.setdefault(_code.status, _code)
