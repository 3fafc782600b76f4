"""The event loop and HTTP parser uvicorn runs the app on. asyncio with h11 is the default:
measured side by side (bench/stack.py), uvloop with httptools serves small answers faster but
lets requests wait behind CPU-bound ones at many clients."""

from __future__ import annotations

import importlib.util

STACKS = {
    "asyncio": ("asyncio", "h11"),
    "uvloop": ("uvloop", "httptools"),
}
"""By name: uvicorn's `loop` and `http` settings."""
DEFAULT_STACK = "asyncio"


def missing_modules(stack: str) -> list[str]:
    """The modules the stack needs that are not installed."""
    return [module for module in STACKS[stack] if importlib.util.find_spec(module) is None]
