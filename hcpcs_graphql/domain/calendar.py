"""CMS's release calendar: a HCPCS release takes effect on the first day of a quarter (January,
April, July, October 1), so the release that should answer for a day is known from the day alone.
And the day the server takes as today (HCPCS_TODAY, for tests and demonstrations)."""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Mapping
from functools import cache

TODAY_VARIABLE = "HCPCS_TODAY"


def release_for(day: datetime.date) -> str:
    """The id of the release CMS has in effect on the day: the quarter that holds it."""
    return f"{day.year:04d}-{(day.month - 1) // 3 * 3 + 1:02d}"


def effective_date(release_id: str) -> datetime.date:
    return datetime.date.fromisoformat(f"{release_id}-01")


def age_days(release_id: str, today: datetime.date) -> int:
    """Days since the release took effect (negative before)."""
    return (today - effective_date(release_id)).days


def today_from(environ: Mapping[str, str] = os.environ) -> datetime.date:
    """Today, or the day HCPCS_TODAY gives (YYYY-MM-DD); a ValueError naming it when bad."""
    text = environ.get(TODAY_VARIABLE, "").strip()
    if not text:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{TODAY_VARIABLE} must be a date, YYYY-MM-DD, not {text!r}") from None


class Clock:
    """The calendar's date, read again only once the day read has ended: a request costs a
    clock read (the calendar's date is a read of the local time zone)."""

    def __init__(self) -> None:
        self.day = datetime.date.min
        self.text = self.day.isoformat()
        self.starts = self.ends = 0.0

    def __call__(self) -> datetime.date:
        now = time.time()
        if not self.starts <= now < self.ends:
            day = datetime.date.today()
            start = datetime.datetime.combine(day, datetime.time())
            self.starts = start.timestamp()
            self.ends = (start + datetime.timedelta(days=1)).timestamp()
            self.day, self.text = day, day.isoformat()
        return self.day


calendar_day = Clock()
"""Today on the calendar, whatever HCPCS_TODAY says."""


def today() -> datetime.date:
    """Today, or the day HCPCS_TODAY gave when it was first read: the environment is read once
    per process (as the settings are), the clock every call."""
    fixed = _fixed_day()
    return calendar_day() if fixed is None else fixed


def today_text() -> str:
    """today() as YYYY-MM-DD, written once a day."""
    fixed = _fixed_day()
    if fixed is not None:
        return fixed.isoformat()
    calendar_day()
    return calendar_day.text


@cache
def _fixed_day() -> datetime.date | None:
    if not os.environ.get(TODAY_VARIABLE, "").strip():
        return None
    return today_from(os.environ)
