"""HCPCS Level II as a FHIR CodeSystem, one resource per loaded release, and the properties of
its concepts. The properties are the fields of the CMS record that GraphQL's `Code` serves,
named as GraphQL names them, from the data dictionary (db/dictionary.py); their values carry the
meanings of the code tables (the catalog)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from typing import Any, get_args, get_type_hints

from hcpcs_graphql.db.rows import CodeRow, ReleaseRow
from hcpcs_graphql.domain.dictionary import record_fields
from hcpcs_graphql.domain.noc import is_noc
from hcpcs_graphql.domain.status import Status, status_on
from hcpcs_graphql.http.fhir.outcome import Resource
from hcpcs_graphql.http.fhir.system import NAME, PUBLISHER, SYSTEM, VALUE_SET, code_system_id
from hcpcs_graphql.services.catalog import Catalog

# The record's fields that are no property: the code itself, its display and designation.
_NOT_PROPERTIES = frozenset({"code", "longDescription", "shortDescription"})
# Fields whose values are codes without a code table: the kind, and codes of this system.
_CODES = frozenset({"kind", "crossReferences"})
_TYPES = {str: "string", int: "integer", datetime.date: "dateTime"}
_VALUE_KEYS = {"code": "valueCode", "string": "valueString", "integer": "valueInteger",
               "dateTime": "valueDateTime", "boolean": "valueBoolean"}  # fmt: skip
STATUS = "status"
INACTIVE = "inactive"
NOC = "notOtherwiseClassified"


@dataclass(frozen=True, slots=True)
class Property:
    code: str
    type: str
    description: str
    attributes: tuple[str, ...] = ()
    """The CodeRow attributes that hold its values (PRICE1-4 for pricingIndicators)."""
    table: str | None = None
    """The code table that gives its values' meanings."""


@cache
def properties() -> tuple[Property, ...]:
    hints = get_type_hints(CodeRow)
    grouped: dict[str, list[Any]] = {}
    for field in record_fields():
        if field.graphql_field is not None and field.graphql_field not in _NOT_PROPERTIES:
            grouped.setdefault(field.graphql_field, []).append(field)
    found = []
    for name, fields in grouped.items():
        first = fields[0]
        # RECID is served as the kind (PROCEDURE or MODIFIER), not by its own values.
        attributes = ("kind",) if name == "kind" else tuple(f.name.lower() for f in fields)
        hint = hints[attributes[0]]
        python_type = next(t for t in get_args(hint) or (hint,) if t is not type(None))
        table = None if name == "kind" else first.code_table
        kind = "code" if name in _CODES or table is not None else _TYPES[python_type]
        columns = f"{first.name}-{fields[-1].name[-1]}" if len(fields) > 1 else first.name
        description = f"{first.layout_name} ({columns})"
        found.append(Property(name, kind, description, attributes, table))
    found += [
        Property(
            STATUS,
            "code",
            "Whether the code is in effect on the date asked for (today when none is): "
            + ", ".join(status.value for status in Status)
            + " (from ADD_DT and TERM_DT, its last valid day)",
        ),
        Property(INACTIVE, "boolean", "True when the status is not ACTIVE"),
        Property(
            NOC,
            "boolean",
            "True for a not otherwise classified code (CMS's list): a claim needs a narrative",
        ),
    ]
    return tuple(found)


def property_definitions() -> list[Resource]:
    return [{"code": p.code, "description": p.description, "type": p.type} for p in properties()]


@dataclass(frozen=True, slots=True)
class PropertyValue:
    code: str
    type: str
    value: object
    description: str | None = None

    def parameter(self) -> Resource:
        parts: list[Resource] = [
            {"name": "code", "valueCode": self.code},
            {"name": "value", _VALUE_KEYS[self.type]: self.value},
        ]
        if self.description is not None:
            parts.append({"name": "description", "valueString": self.description})
        return {"name": "property", "part": parts}


def property_values(row: CodeRow, catalog: Catalog, day: datetime.date) -> list[PropertyValue]:
    """The concept's properties: one value each, in the record's order, for a repeated field."""
    found = []
    status = status_on(row.add_dt, row.term_dt, day)
    for prop in properties():
        if prop.code == STATUS:
            found.append(PropertyValue(prop.code, prop.type, status.value))
        elif prop.code == INACTIVE:
            found.append(PropertyValue(prop.code, prop.type, status is not Status.ACTIVE))
        elif prop.code == NOC:
            found.append(PropertyValue(prop.code, prop.type, is_noc(row.code)))
        for attribute in prop.attributes:
            value = getattr(row, attribute)
            if value is None:
                continue
            if isinstance(value, datetime.date):
                value = value.isoformat()
            meaning = None if prop.table is None else catalog.meaning(prop.table, value).description
            found.append(PropertyValue(prop.code, prop.type, value, meaning))
    return found


def content_date(release: ReleaseRow) -> str:
    """The date of a release's content: its files' date, else its effective date."""
    return (release.file_date or release.effective_date).isoformat()


def code_system(release: ReleaseRow) -> Resource:
    return {
        "resourceType": "CodeSystem",
        "id": code_system_id(release.id),
        "url": SYSTEM,
        "version": release.id,
        "name": "HCPCSLevelII",
        "title": f"{NAME}, release {release.id}",
        "status": "active",
        "experimental": False,
        "date": content_date(release),
        "publisher": PUBLISHER,
        "description": (
            f"The CMS HCPCS Level II release {release.id}, in effect from "
            f"{release.effective_date.isoformat()}: {release.code_count:,} codes "
            f"({release.procedure_count:,} procedure codes and {release.modifier_count:,} "
            "modifiers), discontinued codes among them (CMS keeps them four years). The concepts "
            "are served by $lookup, $validate-code and ValueSet/$expand, not in this resource."
        ),
        "caseSensitive": False,
        "valueSet": VALUE_SET,
        "content": "not-present",
        "count": release.code_count,
        "property": property_definitions(),
    }
