"""The names of the CMS code tables: the one place they are spelled (code_tables.py holds what
each layer needs to know of them; the layout names the table a column's values come from)."""

from __future__ import annotations

from enum import StrEnum


class Table(StrEnum):
    RECORD_IDENTIFICATION = "record_identification"
    PRICING_INDICATOR = "pricing_indicator"
    MULTIPLE_PRICING_INDICATOR = "multiple_pricing_indicator"
    LAB_CERTIFICATION = "lab_certification"
    COVERAGE = "coverage"
    ASC_PAYMENT_GROUP = "asc_payment_group"
    MOG_PAYMENT_GROUP = "mog_payment_group"
    MOG_PAYMENT_POLICY_INDICATOR = "mog_payment_policy_indicator"
    PROCESSING_NOTE = "processing_note"
    BETOS = "betos"
    BETOS_CATEGORY = "betos_category"
    TYPE_OF_SERVICE = "type_of_service"
    ACTION_CODE = "action_code"
