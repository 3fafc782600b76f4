"""Where the benches find the repository, the CMS files and their results, and the error that
stops a bench. Every bench imports it first: it puts the repository on sys.path for `tests`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
# The helpers the tests share (query fragments, nginx); after PYTHONPATH's folders (sys.path
# holds this script's folder, then them), so that `PYTHONPATH=DIR` runs DIR's package.
_GIVEN = [folder for folder in os.environ.get("PYTHONPATH", "").split(os.pathsep) if folder]
sys.path.insert(1 + len(_GIVEN), str(REPO))

DATA = (REPO / ".." / "shared" / "data" / "hcpcs").resolve()
JANUARY_2026 = DATA / "2026-01_JAN"
OCTOBER_2025 = DATA / "2025-10_OCT"
RESULTS = BENCH / "results"
REFERENCE_APP = BENCH / "reference_app.py"
HOST = "127.0.0.1"


class BenchError(Exception):
    """Something the bench cannot go on without; the message says what."""
