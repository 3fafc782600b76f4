"""The day the server takes as today: HCPCS_TODAY is read once per process, the clock each time."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest

from hcpcs_graphql.domain import calendar


@pytest.fixture
def fresh() -> Iterator[None]:
    calendar._fixed_day.cache_clear()
    yield
    calendar._fixed_day.cache_clear()  # the next reader gets the suite's HCPCS_TODAY


def test_the_environment_is_read_once(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(calendar.TODAY_VARIABLE, "2026-12-02")
    assert calendar.today() == datetime.date(2026, 12, 2)
    monkeypatch.setenv(calendar.TODAY_VARIABLE, "2027-01-05")
    assert calendar.today() == datetime.date(2026, 12, 2)
    info = calendar._fixed_day.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_without_it_the_clock(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(calendar.TODAY_VARIABLE)
    assert calendar.today() == datetime.date.today()


def test_a_bad_day_is_refused_each_time(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(calendar.TODAY_VARIABLE, "soon")
    for _ in range(2):
        with pytest.raises(ValueError, match="HCPCS_TODAY must be a date"):
            calendar.today()


def test_the_calendar_day_is_read_again_once_the_day_has_ended() -> None:
    clock = calendar.Clock()
    assert clock() == datetime.date.today()
    clock.day, clock.text = datetime.date(1900, 1, 1), "1900-01-01"
    assert (clock(), clock.text) == (datetime.date(1900, 1, 1), "1900-01-01")  # not read again
    clock.ends = clock.starts  # the day has ended
    assert (clock(), clock.text) == (datetime.date.today(), datetime.date.today().isoformat())
