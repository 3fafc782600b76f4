"""Publishing live, measured: `hcpcs serve` on the real releases (2025-10, 2026-01) while a
client loops on code lookups over HTTP, and `hcpcs load` adds the January file as release
2026-04 in another process. Reports the failed requests (there must be none), the lookups'
latency before, during and after the load (medians and 99th percentiles), the time from the
load's end to the first answer that names 2026-04, and the server's catalog swap (from its log).
Run from anywhere:

    .venv/bin/python bench/live.py [--db FILE]

The machine is shared: compare the phases of one run, not runs."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from paths import DATA
from processes import free_port, healthy_after

HCPCS = [sys.executable, "-m", "hcpcs_graphql.cli.main"]
QUERY = '{ releases { id } code(code: "J9035") { code shortDescription release { id } } }'
SWAP = re.compile(r"catalog read again in (?P<seconds>[0-9.]+) s")


class Client(threading.Thread):
    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.stop = threading.Event()
        # (start, end, status, newest release id or None)
        self.answers: list[tuple[float, float, int, str | None]] = []
        self.failures: list[str] = []

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            while not self.stop.is_set():
                began = time.perf_counter()
                try:
                    response = client.post("/graphql", json={"query": QUERY})
                    body = response.json()
                    newest = None if "errors" in body else body["data"]["releases"][0]["id"]
                    self.answers.append((began, time.perf_counter(), response.status_code, newest))
                    if response.status_code != 200 or "errors" in body:
                        self.failures.append(response.text[:200])
                except (httpx.HTTPError, ValueError, KeyError) as error:
                    self.failures.append(repr(error))


def latencies(answers: list[tuple[float, float, int, str | None]]) -> str:
    found = sorted((end - start) * 1000 for start, end, _, _ in answers)
    if not found:
        return "none"
    p99 = found[min(len(found) - 1, int(len(found) * 0.99))]
    return f"{len(found)} lookups, median {statistics.median(found):.1f} ms, p99 {p99:.1f} ms"


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--db", type=Path)
    args = options.parse_args()
    with tempfile.TemporaryDirectory(prefix="hcpcs-bench-live-") as folder:
        work = Path(folder)
        db = work / "hcpcs.db"
        if args.db is not None:
            shutil.copyfile(args.db, db)
        else:
            subprocess.run(
                [*HCPCS, "load", DATA / "2026-01_JAN", DATA / "2025-10_OCT", "--db", db],
                check=True,
                capture_output=True,
            )
        port = free_port()
        log = (work / "serve.log").open("w")
        server = subprocess.Popen(
            [*HCPCS, "serve", "--db", str(db), "--port", str(port)],
            stdout=log,
            stderr=log,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        url = f"http://127.0.0.1:{port}"
        try:
            if healthy_after(url, server, time.perf_counter()) is None:
                raise SystemExit(f"the server did not start: see {work / 'serve.log'}")
            client = Client(url)
            client.start()
            time.sleep(3)
            load_began = time.perf_counter()
            subprocess.run(
                [*HCPCS, "load", DATA / "2026-01_JAN", "--release", "2026-04", "--db", db],
                check=True,
                capture_output=True,
            )
            load_ended = time.perf_counter()
            time.sleep(3)
            client.stop.set()
            client.join()
        finally:
            server.terminate()
            server.wait(timeout=15)
            log.close()
        answers = client.answers
        before = [a for a in answers if a[1] < load_began]
        during = [a for a in answers if a[0] >= load_began and a[1] <= load_ended]
        after = [a for a in answers if a[0] > load_ended]
        first_new = next((a for a in answers if a[3] == "2026-04"), None)
        print(f"failed requests: {len(client.failures)} of {len(answers)}")
        for failure in client.failures[:5]:
            print(f"  {failure}")
        print(f"before the load: {latencies(before)}")
        print(f"during the load ({load_ended - load_began:.2f} s): {latencies(during)}")
        print(f"after the load: {latencies(after)}")
        if first_new is not None:
            stale = [a for a in after if a[3] != "2026-04"]
            print(
                f"first answer naming 2026-04: {(first_new[1] - load_ended) * 1000:.1f} ms after"
                f" the load ended; answers started after the load that missed it: {len(stale)}"
            )
        swaps = SWAP.findall((work / "serve.log").read_text())
        print(f"catalog swaps: {len(swaps)}, each {', '.join(s + ' s' for s in swaps)}")


if __name__ == "__main__":
    main()
