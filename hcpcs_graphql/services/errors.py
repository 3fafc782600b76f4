"""Errors a client can cause, each with a stable `extensions.code`; and the warnings an answer
carries in `extensions.warnings`, each with a stable code too."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import ClassVar

from hcpcs_graphql.domain.error_codes import ErrorCode


class ClientError(Exception):
    """A refusal of a client's request, whoever asks (GraphQL, the CLI, an HTTP endpoint), with
    its stable code: each layer answers it in its own way (schema/errors.py turns it into a
    GraphQL error). Only a refusal some layer answers differently has a class of its own."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class UnknownReleaseError(ClientError):
    """Caught by its type: /export answers it with a 404, FHIR with not-found."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.UNKNOWN_RELEASE, message)


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
