"""How current the loaded releases are, for /readyz and /metrics (wired by the HTTP layer):
the newest release, its age, and the release CMS has in effect today."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from hcpcs_graphql.domain.calendar import age_days, release_for
from hcpcs_graphql.services.catalog import Catalog


@dataclass(frozen=True, slots=True)
class Freshness:
    newest_release: str
    age_days: int
    """Days since the newest release took effect."""
    expected_release: str
    """The release CMS has in effect today."""

    @property
    def stale(self) -> bool:
        return self.expected_release > self.newest_release

    def as_json(self) -> dict[str, object]:
        return {
            "newestRelease": self.newest_release,
            "ageDays": self.age_days,
            "expectedRelease": self.expected_release,
            "stale": self.stale,
        }


def freshness(catalog: Catalog, today: datetime.date) -> Freshness | None:
    """None when no release is loaded."""
    if not catalog.releases:
        return None
    newest = catalog.releases[0].id
    return Freshness(newest, age_days(newest, today), release_for(today))
