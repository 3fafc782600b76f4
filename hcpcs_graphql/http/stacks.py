"""The event loop and HTTP parser uvicorn runs the app on. uvloop with httptools is the default:
it serves small answers faster (bench/stack.py); what used to make its tail long under CPU-bound
pages, several of them holding the loop at once, the admission of heavy operations bounds
(services/admission.py). asyncio with h11 stays a setting."""

from __future__ import annotations

import importlib.util

STACKS = {
    "asyncio": ("asyncio", "h11"),
    "uvloop": ("uvloop", "httptools"),
}
"""By name: uvicorn's `loop` and `http` settings."""
DEFAULT_STACK = "uvloop"


def missing_modules(stack: str) -> list[str]:
    """The modules the stack needs that are not installed."""
    return [module for module in STACKS[stack] if importlib.util.find_spec(module) is None]
