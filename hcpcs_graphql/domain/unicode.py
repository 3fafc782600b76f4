"""Text a client sends must be Unicode that can be encoded: JSON lets a string hold a lone
surrogate (`"\\ud800"`), which Python decodes into a str that no UTF-8 encoder (SQLite's binding,
a JSON answer, a Prometheus label) accepts."""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(value: object) -> bool:
    """Whether any string in VALUE (a JSON value: its keys too) holds a surrogate code point."""
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(lone_surrogate(key) or lone_surrogate(item) for key, item in value.items())
    if isinstance(value, list):
        return any(lone_surrogate(item) for item in value)
    return False
