"""GraphQL fragments that several test files share."""

from __future__ import annotations

EVERY_CODE_FIELD = """
fragment EveryCodeField on Code {
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
  crossReferences { code target { code shortDescription coverage { code description } } }
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
  release { id effectiveDate codeCount }
}
"""
