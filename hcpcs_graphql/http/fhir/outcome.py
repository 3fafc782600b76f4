"""Refusals as FHIR OperationOutcome resources, each with the HTTP status it goes with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hcpcs_graphql.db.connection import is_statement_timeout as is_timeout
from hcpcs_graphql.services.errors import ClientError, UnknownReleaseError

Resource = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Issue:
    severity: str
    """fatal | error | warning | information"""
    code: str
    """The FHIR issue type: invalid, not-found, not-supported, business-rule, ..."""
    text: str
    coding: Resource | None = None
    expression: str | None = None

    def resource(self) -> Resource:
        issue: Resource = {"severity": self.severity, "code": self.code, "details": {}}
        if self.coding is not None:
            issue["details"]["coding"] = [self.coding]
        issue["details"]["text"] = self.text
        if self.expression is not None:
            issue["expression"] = [self.expression]
        return issue


def operation_outcome(issues: list[Issue]) -> Resource:
    return {"resourceType": "OperationOutcome", "issue": [issue.resource() for issue in issues]}


class FhirError(Exception):
    """A request the facade refuses: its status and the one issue that says why."""

    def __init__(self, status: int, code: str, text: str, *, expression: str | None = None) -> None:
        super().__init__(text)
        self.status = status
        self.issue = Issue("error", code, text, expression=expression)


def from_client_error(error: ClientError) -> FhirError:
    """A refusal of the services GraphQL uses (a release not loaded, a bad search text, a page
    too large): the same message; not found for a release."""
    if isinstance(error, UnknownReleaseError):
        return FhirError(404, "not-found", error.message)
    return FhirError(400, "invalid", error.message)


def is_statement_timeout(error: BaseException) -> bool:
    """SQLite stopped a statement past its time limit: the rule GraphQL's answers use."""
    return is_timeout(error)
