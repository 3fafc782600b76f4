"""The not otherwise classified (NOC) codes: CMS's own list, `NOC codes_JAN2026.xlsx` of the
January 2026 release zip, transcribed into package data (reference/noc_codes.csv; a test
compares the two). A claim line with one of them needs a narrative of what was provided.

The list is CMS's, not a guess from the descriptions: "not otherwise classified", "not otherwise
specified" and "unlisted" would miss J3490 (Unclassified drugs) and 11 others, and take 34 codes
that are no NOC code ("reason not otherwise specified" quality codes)."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

SOURCE = "NOC codes_JAN2026.xlsx (CMS, January 2026 HCPCS release)"


@cache
def noc_codes() -> frozenset[str]:
    text = (
        resources.files("hcpcs_graphql.domain").joinpath("reference", "noc_codes.csv").read_text()
    )
    return frozenset(row["code"] for row in csv.DictReader(io.StringIO(text)))


def is_noc(code: str) -> bool:
    return code in noc_codes()
