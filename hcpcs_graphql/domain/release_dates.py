"""The date CMS put in a release file's name: HCPC2026_JAN_ANWEB_01122026.txt was published on
2026-01-12. Older names (HCPC2025_OCT_ANWEB.xlsx) carry none."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

_DATED = re.compile(r"_(?P<month>\d{2})(?P<day>\d{2})(?P<year>\d{4})\.[a-z]+$", re.IGNORECASE)


def file_date(names: Iterable[str]) -> datetime.date | None:
    """The first valid date found in the names."""
    for name in names:
        match = _DATED.search(name)
        if match is None:
            continue
        try:
            return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            continue
    return None
