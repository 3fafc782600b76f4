"""Side by side, in one run: the coded-value store as it was (a dict, unbounded) and as it is
(functools.lru_cache, bounded), looking up the objects of a page of codes.

    .venv/bin/python bench/coded_cache.py [--values N] [--rounds R]

It prints the median time of one lookup for each and their ratio. No database is needed: the
keys are built like schema/coded.py's (a class and a row)."""

from __future__ import annotations

import argparse
import statistics
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from hcpcs_graphql.schema.coded import CODED_VALUES_KEPT


@dataclass(frozen=True, slots=True)
class Row:
    code_table: str
    code: str
    description: str


class Kind:
    pass


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--values", type=int, default=800)
    options.add_argument("--rounds", type=int, default=15)
    arguments = options.parse_args()
    keys = [(Kind, Row("table", str(index), f"value {index}")) for index in range(arguments.values)]
    built: dict[tuple[type[Kind], Row], object] = {}

    def as_it_was(kind: type[Kind], row: Row) -> object:
        found = built.get((kind, row))
        if found is None:
            found = built[kind, row] = object()
        return found

    @lru_cache(maxsize=CODED_VALUES_KEPT)
    def as_it_is(kind: type[Kind], row: Row) -> object:
        return object()

    lookups: dict[str, Callable[..., object]] = {
        "dict": as_it_was,
        "lru_cache": as_it_is,
    }
    medians = {}
    for name, lookup in lookups.items():

        def page(lookup: Callable[..., object] = lookup) -> None:
            for key in keys:
                lookup(*key)

        times = timeit.repeat(page, number=50, repeat=arguments.rounds)
        medians[name] = statistics.median(times) / 50 / len(keys) * 1e9
        print(f"{name:>10}: {medians[name]:.1f} ns a lookup (median of {arguments.rounds})")
    print(f"lru_cache / dict: {medians['lru_cache'] / medians['dict']:.2f}")


if __name__ == "__main__":
    main()
