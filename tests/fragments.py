"""GraphQL fragments that several test files (and bench/serve.py) share."""

from __future__ import annotations

# Every field of Code; what each user asks of a cross reference's target and of the release
# differs, so those two selections are filled in (`__TARGET__`, `__RELEASE__`).
CODE_FIELDS = """
  code
  kind
  longDescription
  shortDescription
  pricingIndicators { code description category }
  multiplePricingIndicator { code description }
  coverage { code description }
  betos { code description category { code description } }
  typesOfService { code description }
  labCertifications { code description generalCertificationCode }
  crossReferences { code target { __TARGET__ } }
  cimReferences
  mcmReferences
  statute
  ascPaymentGroup { code description }
  ascPaymentGroupEffectiveDate
  mogPaymentGroup { code description bodySystem }
  mogPaymentPolicyIndicator { code description }
  mogEffectiveDate
  processingNote { code description }
  anesthesiaBaseUnits
  addedDate
  actionEffectiveDate
  terminationDate
  action { code description }
  release { __RELEASE__ }"""


def code_fields(*, target: str, release: str) -> str:
    """CODE_FIELDS with TARGET and RELEASE as the selections of the target and the release."""
    return CODE_FIELDS.replace("__TARGET__", target).replace("__RELEASE__", release)


def every_code_field(*, target: str, release: str) -> str:
    """The fragment EveryCodeField: code_fields as a fragment on Code."""
    return f"\nfragment EveryCodeField on Code {{{code_fields(target=target, release=release)}\n}}"


EVERY_CODE_FIELD = (
    every_code_field(
        target="code shortDescription coverage { code description }",
        release="id effectiveDate codeCount",
    )
    + "\n"
)
