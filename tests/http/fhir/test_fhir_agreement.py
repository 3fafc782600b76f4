"""The FHIR facade and GraphQL agree on the real January 2026 data: every attribute of a sample
of codes spread over the release ($lookup against `codes`), with every property given a value
somewhere in the sample, and every verdict of the claim-line check ($validate-code against
`checkClaimLines`), message for message."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest

from hcpcs_graphql.http.fhir.codesystem import INACTIVE, NOC, STATUS, properties
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.context import Context
from hcpcs_graphql.services.findings import Verdict
from tests.fhir_validation import S, parameters, validated
from tests.fragments import EVERY_CODE_FIELD
from tests.paging import moved

ON = datetime.date(2026, 2, 1)
PAGE = """
query Page($after: String) {
  allCodes(release: "2026-01", first: 100, after: $after) { edges { cursor node { code } } }
}
"""
CODES = (
    """
query Sample($codes: [String!]!, $on: Date!) {
  codes(codes: $codes, release: "2026-01") { ...EveryCodeField status(on: $on) { status } }
}
"""
    + EVERY_CODE_FIELD
)
CHECK = """
query Check($lines: [ClaimLineInput!]!) {
  checkClaimLines(lines: $lines) { findings { verdict message } }
}
"""
# One code (with its date of service) for each verdict about a code.
VERDICT_SAMPLE = {
    Verdict.VALID: ("E0100", ON),
    Verdict.UNKNOWN_CODE: ("Z9999", ON),
    Verdict.UNCHECKED_CODE: ("99213", ON),
    Verdict.NOT_YET_EFFECTIVE: ("A4295", datetime.date(2025, 12, 15)),
    Verdict.DISCONTINUED: ("A4466", ON),
    Verdict.NO_RELEASE_IN_EFFECT: ("E0100", datetime.date(2020, 1, 1)),
    Verdict.NOT_OTHERWISE_CLASSIFIED: ("J3490", ON),
    Verdict.NOT_COVERED: ("A0888", ON),
}


async def _sample_codes(context: Context) -> list[str]:
    codes: list[str] = []
    # Pages across the release: A codes, the middle, and the modifiers at its end.
    reference = ""
    for offset in (0, 1000, 2500, 4000, 5500, 7000, 8906):
        result = await schema.execute(
            PAGE, variable_values={"after": moved(reference, offset - 1) if offset else None},
            context_value=context,
        )  # fmt: skip
        assert result.errors is None
        assert result.data is not None
        codes += [edge["node"]["code"] for edge in result.data["allCodes"]["edges"]]
        reference = reference or result.data["allCodes"]["edges"][0]["cursor"]
    # Codes that carry the fields few codes have: STATUTE, LABCERT, ASC_GRP and ASC_DT, CIM, MCM.
    return [*codes, "A4252", "G0027", "A2001", "A4210", "A0888"]


def _graphql_values(record: dict[str, Any], name: str) -> list[tuple[object, str | None]]:
    """The (value, meaning) pairs GraphQL gives for the property NAME."""
    if name == STATUS:
        return [(record["status"]["status"], None)]
    if name == INACTIVE:
        return [(record["status"]["status"] != "ACTIVE", None)]
    found = record[name]
    values = found if isinstance(found, list) else [] if found is None else [found]
    return [
        (value["code"], value.get("description")) if isinstance(value, dict) else (value, None)
        for value in values
    ]


def _fhir_values(found: dict[str, Any], name: str) -> list[tuple[object, str | None]]:
    pairs = []
    for parts in found.get("property", []):
        by_name = {part["name"]: part for part in parts}
        if by_name["code"]["valueCode"] != name:
            continue
        value = next(v for k, v in by_name["value"].items() if k.startswith("value"))
        description = by_name.get("description", {}).get("valueString")
        pairs.append((value, description))
    return pairs


async def test_lookup_agrees_with_graphql_on_every_attribute(
    client: httpx.AsyncClient, context: Context
) -> None:
    codes = await _sample_codes(context)
    records = []
    for start in range(0, len(codes), 100):
        result = await schema.execute(
            CODES,
            variable_values={"codes": codes[start : start + 100], "on": ON.isoformat()},
            context_value=context,
        )
        assert result.errors is None
        assert result.data is not None
        records += result.data["codes"]
    names = [prop.code for prop in properties() if prop.code != NOC]
    given: set[str] = set()
    for record in records:
        found = parameters(
            validated(
                await client.get(
                    "/fhir/CodeSystem/$lookup",
                    params={"system": S, "code": record["code"], "version": "2026-01"},
                )
            )
        )
        assert (found["display"], [d[1]["valueString"] for d in found.get("designation", [])]) == (
            record["longDescription"],
            [record["shortDescription"]] if record["shortDescription"] else [],
        )
        with_date = parameters(
            validated(
                await client.get(
                    "/fhir/CodeSystem/$lookup",
                    params={
                        "system": S,
                        "code": record["code"],
                        "date": ON.isoformat(),
                        "property": [STATUS, INACTIVE],
                    },
                )
            )
        )
        for name in names:
            source = with_date if name in (STATUS, INACTIVE) else found
            expected = _graphql_values(record, name)
            assert _fhir_values(source, name) == expected, (record["code"], name)
            if expected:
                given.add(name)
    # CMS leaves OPPS, OPPS_PI and OPPS_DT blank for every code of January 2026.
    blank = {"mogPaymentGroup", "mogPaymentPolicyIndicator", "mogEffectiveDate"}
    assert sorted(given) == sorted(set(names) - blank)


@pytest.mark.parametrize(("verdict", "sample"), list(VERDICT_SAMPLE.items()))
async def test_validate_code_agrees_with_check_claim_lines(
    client: httpx.AsyncClient,
    context: Context,
    verdict: Verdict,
    sample: tuple[str, datetime.date],
) -> None:
    code, day = sample
    lines = [{"code": code, "dateOfService": day.isoformat()}]
    result = await schema.execute(CHECK, variable_values={"lines": lines}, context_value=context)
    assert result.errors is None
    assert result.data is not None
    (line,) = result.data["checkClaimLines"]
    findings = [(finding["verdict"], finding["message"]) for finding in line["findings"]]
    assert verdict.value in [name for name, _ in findings]
    found = parameters(
        validated(
            await client.get(
                "/fhir/CodeSystem/$validate-code",
                params={"url": S, "code": code, "date": day.isoformat()},
            )
        )
    )
    issues = [
        (issue["details"]["coding"][0]["code"], issue["details"]["text"])
        for issue in found["issues"]["issue"]
    ]
    assert issues == findings
    assert found["result"] is (findings[0][0] == Verdict.VALID.value)
    assert found["message"] == " ".join(message for _, message in findings)


async def test_a_modifier_is_validated_as_the_modifier_of_a_line(
    client: httpx.AsyncClient, context: Context
) -> None:
    lines = [{"code": "", "modifiers": ["CP"], "dateOfService": ON.isoformat()}]
    result = await schema.execute(CHECK, variable_values={"lines": lines}, context_value=context)
    assert result.errors is None
    assert result.data is not None
    (line,) = result.data["checkClaimLines"]
    findings = [(finding["verdict"], finding["message"]) for finding in line["findings"][1:]]
    assert [verdict for verdict, _ in findings] == [Verdict.MODIFIER_NOT_VALID.value]
    found = parameters(
        validated(
            await client.get(
                "/fhir/CodeSystem/$validate-code",
                params={"url": S, "code": "cp", "date": ON.isoformat()},
            )
        )
    )
    issues = [
        (issue["details"]["coding"][0]["code"], issue["details"]["text"])
        for issue in found["issues"]["issue"]
    ]
    assert (found["result"], issues) == (False, findings)


SEARCH = """
query Search($text: String!) {
  search(text: $text, release: "2026-01", first: 50) { totalCount edges { node { code } } }
}
"""


@pytest.mark.parametrize("text", ["wheelchair cushion", "J90", "J9O35", "oxygen", "LT"])
async def test_expand_finds_what_search_finds(
    client: httpx.AsyncClient, context: Context, text: str
) -> None:
    result = await schema.execute(SEARCH, variable_values={"text": text}, context_value=context)
    assert result.errors is None
    assert result.data is not None
    searched = result.data["search"]
    query = {"url": f"{S}?fhir_vs", "filter": text, "count": "50", "version": "2026-01"}
    expansion = validated(await client.get("/fhir/ValueSet/$expand", params=query))["expansion"]
    assert expansion["total"] == searched["totalCount"]
    assert [entry["code"] for entry in expansion.get("contains", [])] == [
        edge["node"]["code"] for edge in searched["edges"]
    ]


XREFS = """
query CrossReferences {
  allCodes(filter: { hasCrossReferences: true }, release: "2026-01", first: 40) {
    edges { node { code crossReferences { code } } }
  }
}
"""
REFERRERS = """
query Referrers($codes: [String!]!) {
  codes(codes: $codes, release: "2026-01") { code referencedBy { code } }
}
"""


def _translated(found: dict[str, Any]) -> list[str]:
    return [match[1]["valueCoding"]["code"] for match in parameters(found).get("match", [])]


async def test_translate_agrees_with_cross_references_and_referenced_by(
    client: httpx.AsyncClient, context: Context
) -> None:
    result = await schema.execute(XREFS, context_value=context)
    assert result.errors is None
    assert result.data is not None
    nodes = [edge["node"] for edge in result.data["allCodes"]["edges"]]
    targets = sorted({ref["code"] for node in nodes for ref in node["crossReferences"]})
    for node in nodes:
        query = {"system": S, "code": node["code"], "version": "2026-01"}
        found = validated(await client.get("/fhir/ConceptMap/$translate", params=query))
        assert _translated(found) == [ref["code"] for ref in node["crossReferences"]]
    result = await schema.execute(
        REFERRERS, variable_values={"codes": targets[:100]}, context_value=context
    )
    assert result.errors is None
    assert result.data is not None
    for record in result.data["codes"]:
        if record is None:  # a cross-reference to a code the release lacks
            continue
        query = {"system": S, "code": record["code"], "version": "2026-01", "reverse": "true"}
        found = validated(await client.get("/fhir/ConceptMap/$translate", params=query))
        assert _translated(found) == [code["code"] for code in record["referencedBy"]]
