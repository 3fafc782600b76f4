"""Errors a client can cause, each with a stable `extensions.code`; and the warnings an answer
carries in `extensions.warnings`, each with a stable code too."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import ClassVar

from hcpcs_graphql.domain.error_codes import ErrorCode


class ClientError(Exception):
    """A refusal of a client's request, whoever asks (GraphQL, the CLI, an HTTP endpoint): each
    layer answers it in its own way (schema/errors.py turns it into a GraphQL error)."""

    code: ClassVar[ErrorCode] = ErrorCode.BAD_USER_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownReleaseError(ClientError):
    code: ClassVar[ErrorCode] = ErrorCode.UNKNOWN_RELEASE


class TooManyCodesError(ClientError):
    code: ClassVar[ErrorCode] = ErrorCode.TOO_MANY_CODES


class BadSearchTextError(ClientError):
    code: ClassVar[ErrorCode] = ErrorCode.BAD_SEARCH_TEXT


class BadFilterError(ClientError):
    code: ClassVar[ErrorCode] = ErrorCode.BAD_FILTER


class BadReleaseChoiceError(ClientError):
    code: ClassVar[ErrorCode] = ErrorCode.BAD_RELEASE_CHOICE


class TooManyLinesError(ClientError):
    code: ClassVar[ErrorCode] = ErrorCode.TOO_MANY_LINES


class BadClaimLineError(ClientError):
    code: ClassVar[ErrorCode] = ErrorCode.BAD_CLAIM_LINE


@dataclass(frozen=True, slots=True)
class StaleRelease:
    """The release that answered for a day is older than the one CMS has in effect that day,
    which is not loaded yet."""

    code: ClassVar[ErrorCode] = ErrorCode.STALE_RELEASE
    day: datetime.date
    expected: str
    answered: str

    def extension(self) -> dict[str, str]:
        return {
            "code": self.code,
            "message": f"CMS's release in effect on {self.day.isoformat()} is {self.expected},"
            f" which is not loaded: the answer comes from {self.answered}, the newest loaded",
            "expectedRelease": self.expected,
            "release": self.answered,
        }
