"""bench/cache.py's checks: the requests each variant's wrk sends, checked one at a time before
and after it."""

from __future__ import annotations

import time

import httpx
from lookups import variables_path
from paths import BenchError
from processes import Server


class Check:
    """The requests each variant's wrk sends, checked one at a time before and after it."""

    def __init__(self, hcpcs: Server, reference: Server, cached_path: str) -> None:
        self.hcpcs = hcpcs
        self.reference = reference
        self.cached_path = cached_path
        self.client = httpx.Client(timeout=30.0)
        first = self.client.get(f"{hcpcs.url}{cached_path}")
        if first.status_code != 200 or "errors" in first.json():
            raise BenchError(f"(a) answered {first.status_code}: {first.text[:300]}")
        self.body = first.content
        self.etag = first.headers.get("etag", "")
        if not self.etag:
            raise BenchError("(a)'s answer has no ETag")
        self.cache_control = first.headers.get("cache-control", "")

    def __call__(self) -> None:
        for server in (self.hcpcs, self.reference):
            if server.process.poll() is not None:
                raise BenchError(f"{server.name} exited:\n{server.log_tail()}")
        again = self.client.get(f"{self.hcpcs.url}{self.cached_path}")
        if again.status_code != 200 or again.content != self.body:
            raise BenchError(f"(a) answered something else: {again.status_code} {again.text}")
        revalidated = self.client.get(
            f"{self.hcpcs.url}{self.cached_path}", headers={"if-none-match": self.etag}
        )
        if revalidated.status_code != 304 or revalidated.content:
            raise BenchError(f"(c) answered {revalidated.status_code}, not 304 without a body")
        distinct = self.client.get(
            f"{self.hcpcs.url}{variables_path({'code': 'J9035', 'nonce': time.time_ns()})}"
        )
        if distinct.status_code != 200 or "errors" in distinct.json():
            raise BenchError(f"(b) answered {distinct.status_code}: {distinct.text[:300]}")
        if '"J9035"' not in distinct.text:
            raise BenchError(f"(b) answered another code: {distinct.text[:300]}")
        reference = self.client.get(f"{self.reference.url}{self.cached_path}")
        if reference.status_code != 200 or reference.content != self.body:
            raise BenchError("the reference answered something else than (a)'s bytes")

    def close(self) -> None:
        self.client.close()
