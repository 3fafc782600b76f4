"""The event loop and HTTP parser uvicorn runs the app on; all three are installed. uvloop with
httptools is the default: side by side (bench/stack.py, three runs, docs/performance.md) it
answered lookups at 64 clients, alone and beside 100-code pages, with the most requests a second
and a p99 no longer than asyncio's. Its tail used to be seconds long at 64 clients: libuv accepts
one connection a turn of its loop, and a loop busy with requests turns slowly, so new connections
waited to be accepted while their clients' first requests counted; http/accepting.py accepts
them all at once, as asyncio does. asyncio (with h11 or httptools) stays a setting
(HCPCS_STACK, `--stack`)."""

from __future__ import annotations

STACKS = {
    "asyncio": ("asyncio", "h11"),
    "httptools": ("asyncio", "httptools"),
    # uvloop's loop, accepting every waiting connection at once (http/accepting.py).
    "uvloop": ("hcpcs_graphql.http.accepting:new_event_loop", "httptools"),
}
"""By name: uvicorn's `loop` and `http` settings."""
DEFAULT_STACK = "uvloop"
