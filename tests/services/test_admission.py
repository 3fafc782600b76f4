"""The gate of heavy operations: counted, never timed."""

from __future__ import annotations

import asyncio

import pytest

from hcpcs_graphql.services.admission import AdmissionSettings, Gate, Overloaded

HEAVY = 1000


async def hold(gate: Gate, cost: int, release: asyncio.Event, log: list[str], name: str) -> None:
    async with gate.admit(cost):
        log.append(f"in {name}")
        await release.wait()
    log.append(f"out {name}")


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_one_heavy_at_a_time_the_rest_wait_in_order() -> None:
    gate = Gate(AdmissionSettings(heavy_cost=HEAVY, heavy_max=1, heavy_queue=8))
    releases = [asyncio.Event() for _ in range(3)]
    log: list[str] = []
    tasks = [asyncio.create_task(hold(gate, HEAVY, releases[n], log, f"h{n}")) for n in range(3)]
    await settle()
    assert (log, gate.running, len(gate.waiting)) == (["in h0"], 1, 2)
    # A light operation is not held up.
    light = asyncio.Event()
    light.set()
    await hold(gate, HEAVY - 1, light, log, "light")
    assert log == ["in h0", "in light", "out light"]
    for release in releases:
        release.set()
        await settle()
    await asyncio.gather(*tasks)
    assert log[3:] == ["out h0", "in h1", "out h1", "in h2", "out h2"]
    assert (gate.admitted, gate.queued, gate.refused, gate.running) == (3, 2, 0, 0)


async def test_past_the_queue_refused() -> None:
    gate = Gate(AdmissionSettings(heavy_cost=HEAVY, heavy_max=2, heavy_queue=1))
    release = asyncio.Event()
    log: list[str] = []
    tasks = [asyncio.create_task(hold(gate, HEAVY, release, log, f"h{n}")) for n in range(3)]
    await settle()
    with pytest.raises(Overloaded):
        async with gate.admit(HEAVY):
            pass
    release.set()
    await asyncio.gather(*tasks)
    assert (gate.admitted, gate.queued, gate.refused, gate.running) == (3, 1, 1, 0)


async def test_a_waiter_cancelled_leaves_its_place() -> None:
    gate = Gate(AdmissionSettings(heavy_cost=HEAVY, heavy_max=1, heavy_queue=8))
    first, second, third = asyncio.Event(), asyncio.Event(), asyncio.Event()
    log: list[str] = []
    running = asyncio.create_task(hold(gate, HEAVY, first, log, "a"))
    cancelled = asyncio.create_task(hold(gate, HEAVY, second, log, "b"))
    waiting = asyncio.create_task(hold(gate, HEAVY, third, log, "c"))
    await settle()
    cancelled.cancel()
    await settle()
    first.set()
    third.set()
    await asyncio.gather(running, waiting)
    assert log == ["in a", "out a", "in c", "out c"]
    assert (gate.admitted, gate.running, gate.waiting) == (2, 0, [])


async def test_cost_zero_turns_it_off() -> None:
    gate = Gate(AdmissionSettings(heavy_cost=0, heavy_max=1, heavy_queue=0))
    async with gate.admit(10**9), gate.admit(10**9):
        pass
    assert (gate.admitted, gate.queued) == (0, 0)
