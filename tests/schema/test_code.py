from __future__ import annotations

from textwrap import indent
from typing import Any

from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.context import Context
from tests.fragments import code_fields
from tests.graphql import execute

CODE = (
    """
query Code($code: String!, $release: String) {
  code(code: $code, release: $release) {"""
    + indent(code_fields(target="code", release="id effectiveDate"), "  ")
    + """
  }
}
"""
)

A9597 = {
    "code": "A9597",
    "kind": "PROCEDURE",
    "longDescription": "Positron emission tomography radiopharmaceutical, diagnostic, "
    "for tumor identification, not otherwise classified",
    "shortDescription": "Pet, dx, for tumor id, noc",
    "pricingIndicators": [
        {"code": "57", "description": "Other carrier priced", "category": "Other"}
    ],
    "multiplePricingIndicator": {
        "code": "A",
        "description": "Not applicable as HCPCS priced under one methodology",
    },
    "coverage": {"code": "C", "description": "Carrier judgment"},
    "betos": {
        "code": "I1E",
        "description": "Standard imaging - nuclear medicine",
        "category": {"code": "I", "description": "Imaging"},
    },
    "typesOfService": [{"code": "4", "description": "Diagnostic radiology"}],
    "labCertifications": [],
    "crossReferences": [],
    "cimReferences": [],
    "mcmReferences": [],
    "statute": None,
    "ascPaymentGroup": None,
    "ascPaymentGroupEffectiveDate": None,
    "mogPaymentGroup": None,
    "mogPaymentPolicyIndicator": None,
    "mogEffectiveDate": None,
    "processingNote": None,
    "anesthesiaBaseUnits": 0,
    "addedDate": "2017-01-01",
    "actionEffectiveDate": "2017-01-01",
    "terminationDate": None,
    "action": {"code": "N", "description": "No maintenance for this code"},
    "release": {"id": "2026-01", "effectiveDate": "2026-01-01"},
}


async def run(context: Context, **variables: Any) -> Any:
    return (await execute(context, CODE, **variables))["code"]


async def test_a9597_as_on_the_seed_card(context: Context) -> None:
    assert await run(context, code="A9597") == A9597


async def test_any_case_and_blanks(context: Context) -> None:
    assert await run(context, code=" a9597 ") == A9597


async def test_explicit_release(context: Context) -> None:
    found = await run(context, code="A9597", release="2025-10")
    assert found == {**A9597, "release": {"id": "2025-10", "effectiveDate": "2025-10-01"}}


async def test_unknown_code_is_null(context: Context) -> None:
    assert await run(context, code="Z9999") is None
    assert await run(context, code="") is None


async def test_modifier(context: Context) -> None:
    found = await run(context, code="lt")
    assert (found["code"], found["kind"], found["longDescription"]) == (
        "LT",
        "MODIFIER",
        "Left side (used to identify procedures performed on the left side of the body)",
    )


async def test_unknown_release_is_a_clear_error(context: Context) -> None:
    result = await schema.execute(
        CODE, variable_values={"code": "A9597", "release": "2019-01"}, context_value=context
    )
    assert result.data == {"code": None}
    assert result.errors is not None
    assert [(error.message, error.extensions) for error in result.errors] == [
        (
            "release '2019-01' is not loaded; loaded releases: 2026-01, 2025-10",
            {"code": "UNKNOWN_RELEASE"},
        )
    ]
