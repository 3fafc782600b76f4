"""Errors a client can cause, each with a stable `extensions.code`."""

from __future__ import annotations

from graphql import GraphQLError


class ClientError(GraphQLError):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": self.code})


class UnknownReleaseError(ClientError):
    code = "UNKNOWN_RELEASE"


class TooManyCodesError(ClientError):
    code = "TOO_MANY_CODES"


class BadSearchTextError(ClientError):
    code = "BAD_SEARCH_TEXT"


class BadFilterError(ClientError):
    code = "BAD_FILTER"


class BadReleaseChoiceError(ClientError):
    code = "BAD_RELEASE_CHOICE"


class TooManyLinesError(ClientError):
    code = "TOO_MANY_LINES"


class BadClaimLineError(ClientError):
    code = "BAD_CLAIM_LINE"
