"""CodeSystem/$validate-code and ValueSet/$validate-code (the implicit value set of all codes):
the claim-line check's verdict on the code on a date (the one `checkClaimLines` gives), each of
its findings an issue, and a display that is neither of the code's descriptions refused."""

from __future__ import annotations

import re

from starlette.requests import Request

from hcpcs_graphql.db.rows import CodeRow
from hcpcs_graphql.http.fhir.lookup import REFUSED, asked_code, check_value_set
from hcpcs_graphql.http.fhir.outcome import Issue, Resource, operation_outcome
from hcpcs_graphql.http.fhir.params import Params
from hcpcs_graphql.http.fhir.system import SYSTEM, VERDICT_SYSTEM
from hcpcs_graphql.services import terminology
from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.findings import Finding, Severity, Verdict

CODE_SYSTEM_PARAMETERS = ("url", "code", "version", "display", "coding", "date")
VALUE_SET_PARAMETERS = ("url", "code", "system", "version", "display", "coding", "date")
_SEVERITIES = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "information"}
# The FHIR issue type of each verdict that is not a rule of the code set (business-rule).
_ISSUE_TYPES = {
    Verdict.VALID: "informational",
    Verdict.UNKNOWN_CODE: "code-invalid",
    Verdict.UNKNOWN_MODIFIER: "code-invalid",
    Verdict.UNCHECKED_CODE: "not-supported",
    Verdict.UNCHECKED_MODIFIER: "not-supported",
    Verdict.ANESTHESIA_BASE_UNITS: "informational",
}


def _issue(finding: Finding) -> Issue:
    return Issue(
        _SEVERITIES[finding.severity],
        _ISSUE_TYPES.get(finding.verdict, "business-rule"),
        finding.message,
        coding={"system": VERDICT_SYSTEM, "code": finding.verdict.value},
        expression="code",
    )


def _same_text(left: str, right: str) -> bool:
    def folded(text: str) -> str:
        return re.sub(r"\s+", " ", text).strip().casefold()

    return folded(left) == folded(right)


async def validate_in_code_system(request: Request, context: Context, params: Params) -> Resource:
    params.check(CODE_SYSTEM_PARAMETERS, REFUSED)
    return await _validate(context, params, system_name="url")


async def validate_in_value_set(request: Request, context: Context, params: Params) -> Resource:
    params.check(VALUE_SET_PARAMETERS, REFUSED)
    check_value_set(params)
    return await _validate(context, params, system_name="system")


async def _validate(context: Context, params: Params, *, system_name: str) -> Resource:
    asked = asked_code(params, system_name=system_name)
    validation = await terminology.validate(context, asked.code, asked.version, params.date("date"))
    issues = [_issue(finding) for finding in validation.findings]
    record = validation.record
    valid = (
        not validation.findings
        if validation.modifier
        else validation.findings[0].verdict is Verdict.VALID
    )
    if validation.modifier and valid and record is not None:
        issues.append(
            Issue(
                "information",
                "informational",
                f"Modifier {record.code} is valid on {validation.day} "
                f"(release {record.release_id}).",
                coding={"system": VERDICT_SYSTEM, "code": Verdict.VALID.value},
                expression="code",
            )
        )
    if (
        asked.display is not None
        and record is not None
        and not _known_display(asked.display, record)
    ):
        valid = False
        issues.append(
            Issue(
                "error",
                "invalid",
                f"The display {asked.display[:200]!r} is not one of {record.code}'s: "
                f"{record.long_description!r} or {record.short_description!r}.",
                expression="display",
            )
        )
    parameters: list[Resource] = [
        {"name": "result", "valueBoolean": valid},
        {"name": "message", "valueString": " ".join(issue.text for issue in issues)},
    ]
    if record is not None:
        parameters += [
            {"name": "display", "valueString": record.long_description},
            {"name": "code", "valueCode": record.code},
            {"name": "system", "valueUri": SYSTEM},
            {"name": "version", "valueString": record.release_id},
        ]
    parameters.append({"name": "issues", "resource": operation_outcome(issues)})
    return {"resourceType": "Parameters", "parameter": parameters}


def _known_display(display: str, record: CodeRow) -> bool:
    known = [record.long_description, record.short_description or ""]
    return any(_same_text(display, text) for text in known)
