"""The answers given before, kept in memory to be sent again without execution: one store of
HCPCS_RESPONSE_CACHE_MB a process, shared by the layer in front of the app (stored_answers.py,
which keeps GET answers by request) and the HTTP cache (caching.py, which keeps POST answers by
ETag). The least recently used is forgotten first; an answer is forgotten when its freshness
(its Cache-Control max-age) has passed, and every answer when the releases served or the day
change (the caller clears the store)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import NamedTuple

from hcpcs_graphql.domain.calendar import today_text
from hcpcs_graphql.http.whole_response import header_block

STORE_BYTES = 64 * 1024 * 1024
"""Bytes of answers kept in memory (HCPCS_RESPONSE_CACHE_MB)."""
SEEN = 65_536
"""Requests remembered as answered once (by their key's hash), before the oldest are forgotten."""
ENTRY_BYTES = 200
"""Bytes an entry is counted for besides its key, headers and body (the objects holding them):
an answer without a body (a 304) is not free."""

Headers = Sequence[tuple[bytes, bytes]]


def generation(state: object) -> tuple[str, str]:
    """What every answer depends on besides its request: the fingerprint of what the app serves
    (releases and code, kept in the app's state by its lifespan and by live.py) and today's date
    (it chooses the default release and judges statuses without a date)."""
    return getattr(state, "fingerprint", ""), today_text()


class Answer(NamedTuple):
    """An answer as it went out: status, headers, body; with the operation it answered (for the
    metrics), when it stops being fresh (time.monotonic()), the bytes it is counted for, and its
    headers encoded once to be sent whole (whole_response.py; None: they cannot be)."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    operation: str | None
    expires: float
    size: int
    head: bytes | None


def answer(
    key: Hashable,
    status: int,
    headers: Headers,
    body: bytes,
    *,
    operation: str | None,
    seconds: float,
    head: bytes | None = None,
) -> Answer:
    """The answer to keep under KEY, fresh for SECONDS from now; HEAD, its header block when
    it was encoded already (whole_response.py)."""
    size = ENTRY_BYTES + len(body) + sum(len(name) + len(value) for name, value in headers)
    size += sum(len(part) for part in key) if isinstance(key, tuple) else len(str(key))
    if head is None:
        head = header_block(status, headers, body)
    # A tuple of tuples of bytes: once the collector has seen it, it never looks at it again
    # (nor at the answer holding it), however many answers the store keeps.
    kept = tuple(headers)
    return Answer(status, kept, body, operation, time.monotonic() + seconds, size, head)


class ResponseStore:
    """Answers by key, the least recently used forgotten first past a size in bytes. An ordered
    dict in the order of use: cachetools' LRUCache took three times as long to keep an answer
    (a put for each answer to a new request, and the store is full in a busy process)."""

    def __init__(self, max_bytes: int = STORE_BYTES) -> None:
        self.maxsize = max_bytes
        self.size = 0
        """Bytes of the answers kept (what each is counted for: Answer.size)."""
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._seen: set[int] = set()

    def __len__(self) -> int:
        return len(self._answers)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._answers

    def clear(self) -> None:
        self._answers.clear()
        self._seen.clear()
        self.size = 0

    def admits(self, key: Hashable) -> bool:
        """Whether an answer to KEY is kept: when its request was answered before (since the
        store was cleared). Most requests asked once are never asked again (each keystroke of
        a search, a different code each time): keeping the first answer to every request cost
        each one about a twentieth of its time, and pushed out of the store answers that are
        asked for again. A request asked again is answered from memory from its third time."""
        if self.maxsize <= 0:
            return False  # HCPCS_RESPONSE_CACHE_MB=0: nothing is kept, nothing to remember
        seen, mark = self._seen, hash(key)
        if mark in seen:
            return True
        if len(seen) >= SEEN:
            seen.clear()
        seen.add(mark)
        return False

    def fresh(self, key: Hashable) -> Answer | None:
        """The answer kept under KEY while it is fresh; a stale one is forgotten."""
        answers = self._answers
        found = answers.get(key)
        if found is None:
            return None
        if found.expires > time.monotonic():
            answers.move_to_end(key)
            return found
        del answers[key]
        self.size -= found.size
        return None

    def put(self, key: Hashable, found: Answer) -> None:
        # An answer kept stays as it is; one larger than the whole store is not kept.
        if found.size > self.maxsize or self.fresh(key) is not None:
            return
        answers = self._answers
        answers[key] = found
        self.size += found.size
        while self.size > self.maxsize:
            _, forgotten = answers.popitem(last=False)
            self.size -= forgotten.size
