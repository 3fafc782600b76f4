"""The identifiers the FHIR facade answers for."""

from __future__ import annotations

SYSTEM = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
"""HCPCS Level II in HL7's terminology (THO): the URI the issue gives, as HL7 lists it for
"HCPCS Level II" (OID 2.16.840.1.113883.6.285); not checkable offline here (docs/fhir.md)."""
VALUE_SET = f"{SYSTEM}?fhir_vs"
"""The implicit value set of every code of the code system."""
CONCEPT_MAP = "urn:hcpcs-graphql:ConceptMap:hcpcs-xref"
"""The cross-references (XREF1-5) as a concept map from HCPCS Level II to itself: CMS names
no canonical URL for them, so the server gives its own."""
VERDICT_SYSTEM = "urn:hcpcs-graphql:CodeSystem:claim-line-verdict"
"""The verdicts of the claim-line check (VALID, DISCONTINUED, ...) in validate-code issues."""
FHIR_VERSION = "4.0.1"
MEDIA_TYPE = "application/fhir+json"
NAME = "HCPCS Level II"
PUBLISHER = "Centers for Medicare & Medicaid Services (CMS)"


def code_system_id(release_id: str) -> str:
    """A FHIR id ([A-Za-z0-9.-]{1,64}) for a release's CodeSystem: hcpcs-2026-01."""
    return f"hcpcs-{release_id}"


PREFIX = "/fhir"
"""Where the app mounts the facade."""
