"""A look at the database's files serves the requests that arrived before it began
(http/arrival.py, http/live.py): counted in looks, never timed."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from hcpcs_graphql.http import live
from hcpcs_graphql.http.arrival import EXTENSION, arrival, arrived
from hcpcs_graphql.http.live import LiveReleases
from tests.asgi import http_scope


@pytest.fixture
def looks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, ...]]:
    """Each look at the files (live.stamp), as it happens."""
    found: list[tuple[Path, ...]] = []
    real = live.stamp

    def counted(paths: tuple[Path, ...]) -> live.Stamp:
        found.append(paths)
        return real(paths)

    monkeypatch.setattr(live, "stamp", counted)
    return found


async def nothing(*_: object) -> None:
    return None


async def test_a_request_that_arrived_before_a_look_is_served_by_it(
    tmp_path: Path, looks: list[tuple[Path, ...]]
) -> None:
    (tmp_path / "hcpcs.db").write_bytes(b"")
    releases = LiveReleases(nothing, tmp_path / "hcpcs.db")
    state = SimpleNamespace()
    earlier = time.monotonic_ns()
    looks.clear()
    assert not await releases.refresh(state, time.monotonic_ns())
    assert not await releases.refresh(state, earlier)  # arrived before that look began
    assert len(looks) == 1
    assert not await releases.refresh(state, time.monotonic_ns())  # arrived after it
    assert not await releases.refresh(state)  # the server did not say when: looked at
    assert len(looks) == 3


def test_the_arrival_is_read_from_the_scopes_extensions() -> None:
    assert arrived(http_scope()) is None
    assert arrived({**http_scope(), "extensions": {EXTENSION: {"monotonic_ns": 5}}}) == 5
    now = arrival()
    assert arrived({**http_scope(), "extensions": {EXTENSION: now}}) == now["monotonic_ns"]
    assert arrived({**http_scope(), "extensions": {EXTENSION: {"monotonic_ns": "5"}}}) is None
