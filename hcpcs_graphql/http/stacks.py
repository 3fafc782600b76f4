"""The event loop and HTTP parser uvicorn runs the app on. Both are installed; asyncio with h11
stays the default: measured side by side (bench/stack.py, docs/performance.md), uvloop with
httptools serves lookups faster at 16 clients, but at 64 its lookups' p99 is several times
asyncio's with lookups alone too, so it is not the heavy work that the admission of heavy
operations (services/admission.py) bounds. asyncio with httptools kept uvloop's throughput with
asyncio's tail in two runs, too few on a shared machine to make it the default."""

from __future__ import annotations

STACKS = {
    "asyncio": ("asyncio", "h11"),
    "httptools": ("asyncio", "httptools"),
    # uvloop's loop, accepting every waiting connection at once (http/accepting.py).
    "uvloop": ("hcpcs_graphql.http.accepting:new_event_loop", "httptools"),
}
"""By name: uvicorn's `loop` and `http` settings."""
DEFAULT_STACK = "asyncio"
