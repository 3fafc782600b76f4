"""A verdict's severity is declared once, with the verdict, and its description names it."""

from __future__ import annotations

from hcpcs_graphql.services.findings import Finding, Severity, Verdict, most_severe


def test_the_description_names_the_severity_declared_with_the_verdict() -> None:
    assert Verdict.UNKNOWN_MODIFIER.severity is Severity.ERROR
    assert Verdict.UNKNOWN_MODIFIER.description == "No loaded release has the modifier (ERROR)."
    assert all(f"({verdict.severity.name})" in verdict.description for verdict in Verdict)


def test_a_finding_is_as_severe_as_its_verdict() -> None:
    findings = [Finding(Verdict.VALID, "J9035", ""), Finding(Verdict.NOT_COVERED, "A4206", "")]
    assert [finding.severity for finding in findings] == [Severity.INFO, Severity.WARNING]
    assert most_severe(findings) is Severity.WARNING
