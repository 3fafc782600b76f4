"""Admission of heavy operations: at most a few at once, a bounded number waiting, the rest
refused (503 with Retry-After). One worker runs one request's Python at a time, so a few
CPU-bound pages running together hold the event loop for every light lookup in between; letting
one in at a time keeps the lookups' tail short and the pages' throughput the same (bench/stack.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

HEAVY_COST = 500
"""An operation whose cost (schema/limits.py: the objects its response would hold) is at least
this is heavy (HCPCS_HEAVY_COST; 0 lets every operation in at once)."""
HEAVY_MAX = 1
"""Heavy operations one worker runs at once (HCPCS_HEAVY_MAX)."""
HEAVY_QUEUE = 64
"""Heavy operations that may wait for their turn; past it, refused (HCPCS_HEAVY_QUEUE)."""
RETRY_SECONDS = 1
"""What a refused client is told to wait (Retry-After)."""


class Overloaded(Exception):
    """Too many heavy operations are waiting already."""


@dataclass(frozen=True, slots=True)
class AdmissionSettings:
    heavy_cost: int = HEAVY_COST
    heavy_max: int = HEAVY_MAX
    heavy_queue: int = HEAVY_QUEUE


class Gate:
    """The heavy operations of one worker (one event loop). Counts what it did, for the
    metrics and the tests."""

    def __init__(self, settings: AdmissionSettings | None = None) -> None:
        self.settings = settings or AdmissionSettings()
        self.running = 0
        self.waiting: list[asyncio.Future[None]] = []
        self.admitted = 0
        """Heavy operations let in, at once or after waiting."""
        self.queued = 0
        """Heavy operations that had to wait."""
        self.refused = 0

    def is_heavy(self, cost: int) -> bool:
        return 0 < self.settings.heavy_cost <= cost

    @contextlib.asynccontextmanager
    async def admit(self, cost: int) -> AsyncIterator[None]:
        if not self.is_heavy(cost):
            yield
            return
        if self.running >= self.settings.heavy_max:
            if len(self.waiting) >= self.settings.heavy_queue:
                self.refused += 1
                raise Overloaded
            self.queued += 1
            turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self.waiting.append(turn)
            try:
                await turn  # the slot is handed over by the one that leaves (below)
            except BaseException:
                if turn in self.waiting:
                    self.waiting.remove(turn)
                elif not turn.cancelled():
                    self._leave()  # handed the slot as it was cancelled: pass it on
                raise
        else:
            self.running += 1
        self.admitted += 1
        try:
            yield
        finally:
            self._leave()

    def _leave(self) -> None:
        while self.waiting:
            turn = self.waiting.pop(0)
            if not turn.done():
                turn.set_result(None)  # running stays: the slot passes to the next in line
                return
        self.running -= 1
