"""How much one request's document may ask for (HCPCS_MAX_* settings). schema/limits.py
measures a document against them before it is validated."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    depth: int = 10
    aliases: int = 15
    directives: int = 50
    tokens: int = 2000
    fields: int = 2000
    """Field selections with every fragment spread expanded (fan-out multiplies them)."""
    cost: int = 5000
    """Objects the response would hold, through lists and each connection's page size."""
