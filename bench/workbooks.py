"""Reading the real ANWEB workbooks with openpyxl (the reader the loader used) and with
python-calamine (the reader it uses now), side by side in one run: every row of the first sheet,
median of --runs runs each. Run from anywhere:

    .venv/bin/python bench/workbooks.py [--runs N]

openpyxl is a development dependency (the tests write their workbooks with it)."""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import python_calamine

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "hcpcs"
WORKBOOKS = [
    path
    for path in sorted(DATA.glob("*/HCPC*_ANWEB*.xlsx"))
    if "Correction" not in path.name and "Transaction" not in path.name
]


def with_openpyxl(data: bytes) -> int:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def with_calamine(data: bytes) -> int:
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return sum(1 for _ in workbook.get_sheet_by_index(0).iter_rows())


READERS: dict[str, Callable[[bytes], int]] = {"openpyxl": with_openpyxl, "calamine": with_calamine}


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--runs", type=int, default=3)
    runs = options.parse_args().runs
    for path in WORKBOOKS:
        data = path.read_bytes()
        medians = {}
        for name, read in READERS.items():
            seconds = []
            for _ in range(runs):
                began = time.perf_counter()
                rows = read(data)
                seconds.append(time.perf_counter() - began)
            medians[name] = statistics.median(seconds)
            print(f"{path.name}: {name} {rows:,} rows in {medians[name]:.3f} s (median of {runs})")
        print(f"{path.name}: openpyxl / calamine = {medians['openpyxl'] / medians['calamine']:.1f}")


if __name__ == "__main__":
    main()
