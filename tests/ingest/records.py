"""The records both readers (the fixed-width txt, the xlsx) make of the same lines: every detail
column present, None where the file leaves it blank."""

from __future__ import annotations

from typing import Any

from hcpcs_graphql.domain.layout import DETAIL_FIELDS
from hcpcs_graphql.domain.records import Value

BLANK: dict[str, Value] = dict.fromkeys((field.column for field in DETAIL_FIELDS), None)

A1: dict[str, Value] = BLANK | {
    "code": "A1",
    "kind": "MODIFIER",
    "long_description": "Dressing for one wound",
}
"""The modifier A1 with nothing but its description: the fixtures and tests add its other values."""

# A procedure whose long description continues on a second record, and a modifier.
A0080_AND_A1: list[dict[str, Any]] = [
    BLANK
    | {
        "code": "A0080",
        "kind": "PROCEDURE",
        "long_description": "Non-emergency transportation, per mile"
        " (individual or organization), with no vested interest",
        "betos": "O1A",
    },
    A1,
]
