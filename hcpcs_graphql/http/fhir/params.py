"""The input parameters of an operation: from the query string of a GET, or from the Parameters
resource a POST sends (the query string's too). Every value is checked against what the
operation takes: an unknown name, a repeated one or a bad value is refused, never guessed."""

from __future__ import annotations

import datetime
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, cast

from starlette.requests import Request

from hcpcs_graphql.http.fhir.outcome import FhirError
from hcpcs_graphql.http.fhir.system import MEDIA_TYPE

Value = str | bool | int | dict[str, Any]
JSON_TYPES = frozenset({MEDIA_TYPE, "application/json"})
# Query parameters any FHIR request may carry (the format is always JSON here).
_GENERAL = frozenset({"_format", "_pretty"})
_JSON_FORMATS = frozenset({"json", "application/json", MEDIA_TYPE})
_SCALARS = (
    "valueString", "valueCode", "valueUri", "valueCanonical", "valueUrl", "valueDate",
    "valueDateTime", "valueBoolean", "valueInteger", "valueCoding",
)  # fmt: skip


@dataclass(slots=True)
class Params:
    values: dict[str, list[Value]] = field(default_factory=dict)

    def add(self, name: str, value: Value) -> None:
        self.values.setdefault(name, []).append(value)

    def check(self, allowed: Collection[str], refused: Collection[str] = ()) -> None:
        for name in self.values:
            if name in refused:
                raise FhirError(400, "not-supported", f"Parameter {name} is not supported")
            if name not in allowed:
                raise FhirError(
                    400,
                    "not-supported",
                    f"Unknown parameter {name}; this operation takes: {', '.join(allowed)}",
                )

    def one(self, name: str) -> Value | None:
        found = self.values.get(name, [])
        if len(found) > 1:
            raise FhirError(400, "invalid", f"Parameter {name} may be given once")
        return found[0] if found else None

    def text(self, name: str) -> str | None:
        found = self.one(name)
        if found is None:
            return None
        if not isinstance(found, str) or not found.strip():
            raise FhirError(400, "invalid", f"Parameter {name} must be a non-empty string")
        return found.strip()

    def boolean(self, name: str) -> bool:
        found = self.one(name)
        if isinstance(found, bool) or found is None:
            return bool(found)
        if found in ("true", "false"):
            return found == "true"
        raise FhirError(400, "invalid", f"Parameter {name} must be true or false")

    def integer(self, name: str) -> int | None:
        found = self.one(name)
        if found is None or (isinstance(found, int) and not isinstance(found, bool)):
            return found
        if isinstance(found, str) and found.isdigit() and len(found) <= 9:
            return int(found)
        raise FhirError(400, "invalid", f"Parameter {name} must be a whole number of 0 or more")

    def date(self, name: str) -> datetime.date | None:
        text = self.text(name)
        if text is None:
            return None
        try:
            # A dateTime names its day; a date is YYYY-MM-DD.
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            raise FhirError(
                400, "invalid", f"Parameter {name} must be a date (YYYY-MM-DD), not {text[:40]!r}"
            ) from None

    def coding(self, name: str) -> dict[str, Any] | None:
        found = self.one(name)
        if found is None or isinstance(found, dict):
            return found
        raise FhirError(400, "invalid", f"Parameter {name} must be a Coding (POST Parameters)")


def _accepts_json(accept: str) -> bool:
    """Whether an Accept header takes JSON: no header, */*, application/*, or a JSON type."""
    kinds = {kind.partition(";")[0].strip().lower() for kind in accept.split(",")}
    return not accept.strip() or bool(kinds & {"*/*", "application/*", *JSON_TYPES})


async def read_params(request: Request) -> Params:
    if not _accepts_json(request.headers.get("accept", "")):
        raise FhirError(406, "not-supported", "This server answers in JSON only")
    params = Params()
    for name, value in request.query_params.multi_items():
        if name in _GENERAL:
            if name == "_format" and value not in _JSON_FORMATS:
                raise FhirError(406, "not-supported", "This server answers in JSON only")
            continue
        params.add(name, value)
    if request.method != "POST":
        return params
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type not in JSON_TYPES:
        raise FhirError(
            415,
            "not-supported",
            f"Send a Parameters resource as {MEDIA_TYPE} (or application/json)",
        )
    try:
        body = json.loads(await request.body())
    except (ValueError, RecursionError):
        raise FhirError(400, "structure", "The body is not JSON") from None
    if not isinstance(body, dict) or body.get("resourceType") != "Parameters":
        raise FhirError(400, "structure", "The body must be a Parameters resource")
    entries = body.get("parameter", [])
    if not isinstance(entries, list):
        raise FhirError(400, "structure", "Parameters.parameter must be a list")
    for index, entry in enumerate(entries):
        params.add(*_parameter(index, entry))
    return params


def _parameter(index: int, entry: object) -> tuple[str, Value]:
    where = f"Parameters.parameter[{index}]"
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise FhirError(400, "structure", f"{where} must have a name", expression=where)
    values = [key for key in entry if key.startswith("value")]
    if len(values) != 1 or values[0] not in _SCALARS:
        raise FhirError(
            400,
            "structure",
            f"{where} ({entry['name']}) must have one value of a type this server takes: "
            + ", ".join(_SCALARS),
            expression=where,
        )
    value = entry[values[0]]
    expected: type | tuple[type, ...] = (
        bool
        if values[0] == "valueBoolean"
        else int
        if values[0] == "valueInteger"
        else dict
        if values[0] == "valueCoding"
        else str
    )
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise FhirError(400, "structure", f"{where}.{values[0]} has the wrong type")
    return entry["name"], cast(Value, value)
