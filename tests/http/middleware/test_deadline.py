"""The requests' deadlines (http/middleware/deadline.py): one timer for every request in flight,
set at the oldest's deadline, which cancels each request past its own and no other."""

from __future__ import annotations

import asyncio

from hcpcs_graphql.http.middleware.deadline import Watch, Watches

SECONDS = 0.05


async def test_requests_answered_in_time_cost_one_timer_and_leave_the_queue() -> None:
    watches = Watches(SECONDS)
    timers = set()
    for _ in range(100):
        watch = watches.watch()
        timers.add(id(watches.timer))
        watch.done = True  # answered
    assert (len(timers), len(watches.waiting)) == (1, 1)  # the last one, until the next comes


async def test_each_request_is_cancelled_at_its_own_deadline_and_no_sooner() -> None:
    watches = Watches(SECONDS)
    loop = asyncio.get_running_loop()
    found: dict[str, tuple[Watch, float]] = {}

    async def request(name: str, answers: bool) -> None:
        watch = watches.watch()
        if answers:
            watch.done = True  # its answer started: never cancelled
        try:
            await asyncio.sleep(SECONDS * 4)
        except asyncio.CancelledError:
            found[name] = (watch, loop.time())
            raise

    first = asyncio.create_task(request("first", answers=False))
    await asyncio.sleep(0)  # it has begun: its deadline is the earliest
    answered = asyncio.create_task(request("answered", answers=True))
    await asyncio.sleep(SECONDS / 2)
    last = asyncio.create_task(request("last", answers=False))
    results = await asyncio.gather(first, answered, last, return_exceptions=True)
    assert [type(result) for result in results] == [
        asyncio.CancelledError,
        type(None),
        asyncio.CancelledError,
    ]
    assert set(found) == {"first", "last"}
    for watch, cancelled in found.values():
        assert watch.fired
        assert cancelled >= watch.deadline
    assert found["first"][0].deadline < found["last"][0].deadline
    assert (watches.timer, len(watches.waiting)) == (None, 0)  # nothing left in flight


async def test_a_request_answered_lets_go_of_its_task_while_its_watch_waits() -> None:
    watches = Watches(SECONDS)

    async def request() -> Watch:
        watch = watches.watch()
        watch.end()
        return watch

    task = asyncio.create_task(request())
    watch = await task
    # Still queued (until a later request takes it out), without the task and its frames.
    assert (list(watches.waiting), watch.task, watch.done) == ([watch], None, True)
