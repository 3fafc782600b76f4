"""How the benches print their load tests: a line as each ends, and the columns of the report's
tables. Imported as a module (`table.progress(...)`)."""

from __future__ import annotations

from wrk import LoadResult


def progress(result: LoadResult, width: int, prefix: str = "") -> None:
    """The line a bench prints as each load test ends."""
    print(
        f"  {prefix}{result.variant:<{width}} {result.clients:>2} clients:"
        f" {result.requests_per_s:9.1f} req/s  p50 {result.p50_ms:8.2f} ms"
        f"  p99 {result.p99_ms:8.2f} ms",
        flush=True,
    )


def under_load(name: str, width: int, lookups: LoadResult, rest: str = "") -> None:
    """The line a bench prints as lookups measured under another load end."""
    print(
        f"  {name:<{width}} lookups p99 {lookups.p99_ms:8.2f} ms"
        f" ({lookups.requests_per_s:.1f} req/s){rest}",
        flush=True,
    )


def header(text: str) -> None:
    """A table's header line, underlined."""
    print(text)
    print("-" * len(text))


def ratio(result: LoadResult) -> str:
    return "" if result.ratio_to_reference is None else f"{result.ratio_to_reference:.3f}"


def errors(result: LoadResult) -> str:
    return ", ".join(f"{kind} {count}" for kind, count in result.errors.items()) or "-"
