"""The statement clock on a clock the test moves: overdue past its seconds, from each start."""

from __future__ import annotations

import time

import pytest

from hcpcs_graphql.db.connection import StatementClock


def test_a_statement_is_overdue_past_its_seconds_from_its_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [100.0]
    # The module reads time.monotonic at each call: the test moves it.
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    clock = StatementClock(0.5)
    seen: list[str] = []
    clock.listeners.append(seen.append)
    clock.started("select 1")
    now[0] = 100.5
    assert clock.overdue() == 0
    now[0] = 100.6
    assert clock.overdue() == 1
    clock.started("select 2")
    assert clock.overdue() == 0
    assert seen == ["select 1", "select 2"]


def test_a_statement_is_stopped_at_its_checks_whatever_the_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(time, "monotonic", lambda: 100.0)
    clock = StatementClock(0.5, checks=3)
    clock.started("select 1")
    assert [clock.overdue() for _ in range(3)] == [0, 0, 1]
    clock.started("select 2")
    assert [clock.overdue() for _ in range(3)] == [0, 0, 1]
