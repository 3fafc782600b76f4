"""Issue 13's "the same lookup again", checkouts side by side: bench/cache.py's (a) (the same
single-code GET, answered from the server's store) against its (d) (the reference answering
(a)'s bytes from memory), with `hcpcs serve` of each checkout given, in one run. With
`--case distinct`, bench/cache.py's (b) instead of (a): a different code each request (and a
fresh unused variable each run), which no cache helps.

    .venv/bin/python bench/cache_same.py --db FILE --code DIR [--code DIR ...]
        [--case same|distinct] [--rounds N] [--duration S]

Each DIR runs as `PYTHONPATH=DIR hcpcs serve --workers 1` (bench/paths.py). At 1 and 16 clients,
each round runs the reference and every checkout in turn (the order turned by one each round),
wrk for S seconds after a warm-up. It prints for each server the median of its requests a second,
the median of its rounds' ratios to the reference's rate in the same round (the number to read
on a shared machine: a round's servers ran within seconds of one another), and the median CPU
time the server process spent a request (its user and system time over wrk's requests: work,
which the machine's other load disturbs less than rates).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx
from lookups import LOOKUP_PATH, Nonces, distinct_codes, write_distinct_script
from paths import BenchError
from processes import Processes, Server, hcpcs_command, work_folder
from wrk import WARM_UP_S, WRK_DONE, run_wrk_command, wrk_arguments

CLIENTS = (1, 16)
REFERENCE = "reference"
SAME = "same"
DISTINCT = "distinct"


def cpu_seconds(pid: int) -> float:
    """User and system time of process PID so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def package_of(folder: Path) -> str:
    """Where `PYTHONPATH=FOLDER` imports hcpcs_graphql from: the checkout it runs."""
    completed = subprocess.run(
        # -P: not the current folder first, as `hcpcs serve` (a console script) does not.
        [sys.executable, "-P", "-c", "import hcpcs_graphql; print(hcpcs_graphql.__file__)"],
        env={**os.environ, "PYTHONPATH": str(folder)},
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def measure(
    server: Server,
    script: Path,
    clients: int,
    seconds: float,
    extra: Callable[[], Sequence[str]] = tuple,
    path: str = LOOKUP_PATH,
) -> tuple[float, float]:
    """Requests a second, and the server's CPU microseconds a request. EXTRA: the script's
    arguments for each wrk run (the warm-up's and the measured one's)."""
    url = f"{server.url}{path}"
    run_wrk_command(wrk_arguments(url, script, clients, WARM_UP_S, (), *extra()), WARM_UP_S)
    before = cpu_seconds(server.process.pid)
    summary = run_wrk_command(wrk_arguments(url, script, clients, seconds, (), *extra()), seconds)
    spent = cpu_seconds(server.process.pid) - before
    if summary["status"] or not summary["requests"]:
        raise BenchError(f"{server.name}: {summary}")
    return summary["requests"] / (summary["duration_us"] / 1e6), spent / summary["requests"] * 1e6


def start(processes: Processes, db: Path, codes: Sequence[Path]) -> dict[str, Server]:
    servers: dict[str, Server] = {}
    for folder in codes:
        print(f"  {folder}: {package_of(folder)}", flush=True)
        servers[str(folder)] = processes.start_healthy(
            folder.name,
            [str(hcpcs_command()), "serve", "--db", str(db), "--workers", "1"],
            {"PYTHONPATH": str(folder)},
        )
    bodies = {httpx.get(f"{s.url}{LOOKUP_PATH}", timeout=30).content for s in servers.values()}
    if len(bodies) != 1:
        raise BenchError("the checkouts answer the lookup differently")
    body = processes.work / "body.json"
    body.write_bytes(bodies.pop())
    return {REFERENCE: processes.start_reference(body), **servers}


def run(db: Path, codes: Sequence[Path], rounds: int, seconds: float, case: str = SAME) -> None:
    began = load_average()
    rates: dict[tuple[str, int], list[float]] = {}
    ratios: dict[tuple[str, int], list[float]] = {}
    costs: dict[tuple[str, int], list[float]] = {}
    with work_folder() as work:
        processes = Processes(work)
        try:
            servers = start(processes, db, codes)
            script = work / "done.lua"
            script.write_text(WRK_DONE)
            distinct = write_distinct_script(work, distinct_codes(db))
            nonces = Nonces()

            def measured(name: str, clients: int) -> tuple[float, float]:
                if case == SAME or name == REFERENCE:
                    return measure(servers[name], script, clients, seconds)
                # A fresh nonce each wrk run, as bench/cache.py's (b): no request is sent twice.
                return measure(
                    servers[name],
                    distinct,
                    clients,
                    seconds,
                    lambda: (nonces.take(),),
                    path="/graphql",
                )

            names = list(servers)
            for clients in CLIENTS:
                for turn in range(rounds):
                    order = names[turn % len(names) :] + names[: turn % len(names)]
                    found = {name: measured(name, clients) for name in order}
                    for name, (rate, cost) in found.items():
                        rates.setdefault((name, clients), []).append(rate)
                        ratios.setdefault((name, clients), []).append(rate / found[REFERENCE][0])
                        costs.setdefault((name, clients), []).append(cost)
                    print(
                        f"  {clients:>2} clients, round {turn + 1}: "
                        + ", ".join(f"{name} {found[name][0]:.0f}" for name in names),
                        flush=True,
                    )
        finally:
            processes.stop_all()
    print(
        f"\ncase {case}: {rounds} rounds of {seconds:g} s a server;"
        f" load average {began} -> {load_average()}"
    )
    print(f"{'server':<32} {'clients':>7} {'req/s':>9} {'ratio':>7} {'CPU us/req':>11}")
    for (name, clients), values in rates.items():
        ratio = statistics.median(ratios[name, clients])
        cost = statistics.median(costs[name, clients])
        print(
            f"{name:<32} {clients:>7} {statistics.median(values):>9.0f} {ratio:>7.3f} {cost:>11.1f}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--code", type=Path, action="append", required=True, help="a checkout")
    parser.add_argument("--case", choices=(SAME, DISTINCT), default=SAME)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=3)
    args = parser.parse_args(argv)
    try:
        run(
            args.db.resolve(),
            [folder.resolve() for folder in args.code],
            args.rounds,
            args.duration,
            args.case,
        )
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
