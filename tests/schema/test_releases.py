from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

from hcpcs_graphql.schema.release import RELEASES_KEPT, release_of
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context
from tests.graphql import execute

RELEASES = """
query Releases {
  releases {
    id
    effectiveDate
    fileDate
    codeCount
    procedureCount
    modifierCount
    statusCounts { active discontinued notYetEffective }
    files { name role sha256 size }
    notes
  }
}
"""

TXT_SHA256 = "1a9ce53ae6546c54e8150fc51b25d2b3e3eeefbca657c2ab2f7f1d7888a2239e"
XLSX_SHA256 = "808433ef2bdd17a511127549964a35923f97f96ae5c7f26b91d38618449ef9b7"
OCTOBER_SHA256 = "6fcd04186caa69af047915d16426a05ba20e49c3eba2367f472a94b534f9be52"


async def run(context: Context) -> Any:
    return (await execute(context, RELEASES))["releases"]


async def test_releases_newest_first(context: Context) -> None:
    assert await run(context) == [
        {
            "id": "2026-01",
            "effectiveDate": "2026-01-01",
            "fileDate": "2026-01-12",
            "codeCount": 9006,
            "procedureCount": 8623,
            "modifierCount": 383,
            "statusCounts": {"active": 7686, "discontinued": 1320, "notYetEffective": 0},
            "files": [
                {
                    "name": "HCPC2026_JAN_ANWEB_01122026.txt",
                    "role": "SOURCE",
                    "sha256": TXT_SHA256,
                    "size": 5350232,
                },
                {
                    "name": "HCPC2026_JAN_ANWEB_01122026.xlsx",
                    "role": "CROSS_CHECK",
                    "sha256": XLSX_SHA256,
                    "size": 1903339,
                },
            ],
            "notes": [
                "HCPC2026_JAN_ANWEB_01122026.xlsx differs in act_eff_dt for 117 codes"
                " (A0130, A0180, A0190, A0200, A0210, ...)",
                "HCPC2026_JAN_ANWEB_01122026.xlsx differs in price3 for 1 code (C9248)",
                "HCPC2026_JAN_ANWEB_01122026.xlsx differs in long_description (white space only)"
                " for 15 codes (C9754, G0023, G0417, G0418, G0419, ...)",
            ],
        },
        {
            "id": "2025-10",
            "effectiveDate": "2025-10-01",
            "fileDate": None,
            "codeCount": 8846,
            "procedureCount": 8463,
            "modifierCount": 383,
            "statusCounts": {"active": 7621, "discontinued": 1225, "notYetEffective": 0},
            "files": [
                {
                    "name": "HCPC2025_OCT_ANWEB.xlsx",
                    "role": "SOURCE",
                    "sha256": OCTOBER_SHA256,
                    "size": 1867538,
                }
            ],
            "notes": [],
        },
    ]


def test_release_objects_are_bounded(catalog: Catalog) -> None:
    """A reload while serving brings rows with a new loaded_at: the shared objects stay at most
    RELEASES_KEPT, the newest kept, and one row still gives one object."""
    row = catalog.releases[0]
    reloads = [
        replace(row, loaded_at=row.loaded_at + datetime.timedelta(seconds=n))
        for n in range(RELEASES_KEPT + 10)
    ]
    built = [release_of(reloaded) for reloaded in reloads]
    assert release_of.cache_info().currsize <= RELEASES_KEPT
    assert release_of(reloads[-1]) is built[-1]
