"""What the facade implements, written once: the routes, the CapabilityStatement and the
TerminologyCapabilities all come from this table."""

from __future__ import annotations

from dataclasses import dataclass

from hcpcs_graphql.http.fhir import expand, lookup, translate, validate
from hcpcs_graphql.http.fhir.reads import SEARCH_PARAMETERS, read_code_system, search_code_systems
from hcpcs_graphql.http.fhir.respond import Handler

SPEC = "http://hl7.org/fhir/OperationDefinition"


@dataclass(frozen=True, slots=True)
class Operation:
    resource: str
    name: str
    """As FHIR names it: lookup, validate-code, expand, translate."""
    handler: Handler
    parameters: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/{self.resource}/${self.name}"

    @property
    def definition(self) -> str:
        return f"{SPEC}/{self.resource}-{self.name}"


OPERATIONS = (
    Operation("CodeSystem", "lookup", lookup.lookup, lookup.PARAMETERS),
    Operation(
        "CodeSystem",
        "validate-code",
        validate.validate_in_code_system,
        validate.CODE_SYSTEM_PARAMETERS,
    ),
    Operation(
        "ValueSet", "validate-code", validate.validate_in_value_set, validate.VALUE_SET_PARAMETERS
    ),
    Operation("ValueSet", "expand", expand.expand, expand.PARAMETERS),
    Operation("ConceptMap", "translate", translate.translate, translate.PARAMETERS),
)


@dataclass(frozen=True, slots=True)
class Read:
    resource: str
    interaction: str
    """read or search-type"""
    handler: Handler
    parameters: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return f"/{self.resource}" + ("/{id}" if self.interaction == "read" else "")


READS = (
    Read("CodeSystem", "search-type", search_code_systems, SEARCH_PARAMETERS),
    Read("CodeSystem", "read", read_code_system),
)
