"""Benchmark of typeahead search and of a filtered 100-code page, on the real January 2026 release.

Run from anywhere (the paths come from this file's location):

    .venv/bin/python bench/search.py [--db FILE] [--duration S] [--json OUT] [--against DIR]

It serves the release with `hcpcs serve` and measures over HTTP on loopback (wrk, at 1 and 32
clients), side by side in one run: `search(text:, first: 10)` as a typeahead asks for it, in
one variant per kind of text (1, 2 and 3 characters, one word, two words, codes), each cycling
through hundreds of distinct texts; a filtered `allCodes(first: 100)` page with every nested
field, cycling through filters and `after` cursors; and a reference server that answers a
typical typeahead response from memory. It prints throughput, p50 and p99 latency, the ratio to
the reference, and whether the latency targets hold. See bench/README.md.

`--against DIR` also serves the package of another checkout (a baseline: PYTHONPATH=DIR) and
runs each variant on it right after the same variant on this one, both probed alike first.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import runner
import table
from paths import REPO, BenchError
from processes import EXECUTE_EVERY_REQUEST, Server, hcpcs_command, serving
from queries import check_response
from releases import prepare_database
from search_report import AGAINST, CLIENTS, PAGE, PAGE_REFERENCE, Report, Run, print_report, targets
from search_requests import (
    PAGE_FILTERS,
    discover_pages,
    graphql_post,
    page_body,
    probe,
    search_body,
    typical_text,
)
from search_texts import ONE_WORD, RELEASE, TYPEAHEAD, choose_texts
from wrk import (
    WARM_UP_S,
    WRK_BODIES,
    WRK_ERRORS,
    load_result,
    run_wrk,
    set_ratios,
    write_wrk_script,
)

DEFAULT_DURATION_S = 6


REFERENCE = "(3) reference: typeahead"
REFERENCE_BEFORE = f"{REFERENCE} (1st)"
REFERENCE_AFTER = f"{REFERENCE} (2nd)"


# wrk runs this script in its thread: it cycles through the request bodies (one JSON document a
# line), POSTs each to /graphql, counts 200 answers that carry GraphQL errors, and prints a
# summary line at the end (the format bench/serve.py's run_wrk reads, plus `graphql`).
WRK_SCRIPT = (
    WRK_BODIES
    + """
local threads = {}
graphql_errors = 0

function setup(thread)
  threads[#threads + 1] = thread
end

function response(status, headers, body)
  if status == 200 and string.find(body, '"errors":', 1, true) then
    graphql_errors = graphql_errors + 1
  end
end

function done(summary, latency, requests)
  local graphql = 0
  for _, thread in ipairs(threads) do
    graphql = graphql + (thread:get("graphql_errors") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT {\\"requests\\": %.0f, \\"duration_us\\": %.0f, \\"bytes\\": %.0f, " ..
    "\\"connect\\": %.0f, \\"read\\": %.0f, \\"write\\": %.0f, \\"status\\": %.0f, " ..
    "\\"timeout\\": %.0f, \\"graphql\\": %.0f, \\"p50_us\\": %.0f, \\"p90_us\\": %.0f, " ..
    "\\"p99_us\\": %.0f, \\"max_us\\": %.0f, \\"mean_us\\": %.1f}\\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, graphql,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""
)
ERROR_KINDS = (*WRK_ERRORS, "graphql")


@dataclass
class Variant:
    name: str
    server: Server
    bodies: list[dict[str, Any]]
    script: Path
    expected: bytes | None
    """The exact bytes the reference servers answer with."""


def measure(variant: Variant, clients: int, duration: int) -> Run:
    # One request first: HTTP 200 without GraphQL errors (and the reference's exact bytes).
    check_response(variant.server, variant.bodies[0], variant.expected)
    run_wrk(variant.server.url, variant.script, clients, WARM_UP_S)
    summary = run_wrk(variant.server.url, variant.script, clients, duration)
    if variant.server.process.poll() is not None:
        raise BenchError(f"{variant.server.name} exited:\n{variant.server.log_tail()}")
    result = load_result(variant.name, clients, summary, ERROR_KINDS)
    table.progress(result, 28)
    return Run(result, len(variant.bodies))


def load_tests(variants: Sequence[Variant], duration: int) -> list[Run]:
    """For each number of clients: the reference, every variant in turn, the reference again.
    Ratios are to the mean of the reference's two runs at the same number of clients."""
    named = {variant.name: variant for variant in variants}
    order = [name for name in named if name != REFERENCE]
    runs: list[Run] = []
    for clients in CLIENTS:
        block = [measure(named[REFERENCE], clients, duration)]
        block[0].result.variant = REFERENCE_BEFORE
        block += [measure(named[name], clients, duration) for name in order]
        block.append(measure(named[REFERENCE], clients, duration))
        block[-1].result.variant = REFERENCE_AFTER
        reference = statistics.mean(
            (block[0].result.requests_per_s, block[-1].result.requests_per_s)
        )
        set_ratios([run.result for run in block], reference)
        runs += block
    return runs


# --- the run -------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> Report:
    env = runner.january_environment(args.duration)
    env["clients"] = list(CLIENTS)
    hcpcs = str(hcpcs_command())
    runs_count = len(CLIENTS) * ((len(TYPEAHEAD) + 1) * (2 if args.against else 1) + 3)
    print(
        f"{runs_count} load tests of {args.duration} s (+ {WARM_UP_S} s warm-up each):"
        f" about {runs_count * (args.duration + WARM_UP_S + 1) / 60:.1f} minutes of wrk",
        flush=True,
    )
    with serving() as (work, processes):
        print(f"1. database ({RELEASE})", flush=True)
        db = prepare_database(args.db or work / f"{RELEASE}.db", work)
        texts = choose_texts(db)
        for name, chosen in texts.by_variant.items():
            print(f"  {name:<28} {len(chosen):>4} distinct texts", flush=True)

        print("2. hcpcs serve; every text once, one at a time (checked)", flush=True)
        serve = [hcpcs, "serve", "--db", str(db), "--workers", "1"]
        checkouts = {"": REPO} | ({AGAINST: args.against} if args.against else {})
        servers = {
            suffix: processes.start_healthy(
                f"hcpcs-serve{suffix}", serve, {**EXECUTE_EVERY_REQUEST, "PYTHONPATH": str(code)}
            )
            for suffix, code in checkouts.items()
        }
        server = servers[""]
        probes = []
        for suffix, target in servers.items():
            for name in TYPEAHEAD:
                found = probe(target, name + suffix, texts.by_variant[name])
                probes.append(found)
                print(
                    f"  {name + suffix:<28} {len(found.probed):>4} of {found.texts} texts,"
                    f" median {found.median_ms:6.2f} ms, slowest "
                    + ", ".join(f"{text.text!r} {text.ms:.1f} ms" for text in found.slowest()),
                    flush=True,
                )
        pages = discover_pages(server)
        print(
            f"  {PAGE:<28} {len(pages):>4} full pages of {len(PAGE_FILTERS)} filters",
            flush=True,
        )

        print("3. reference servers (bytes from memory)", flush=True)
        typical = typical_text(probes[: len(TYPEAHEAD)])
        with httpx.Client(timeout=30.0) as client:
            typical_bytes = graphql_post(client, server, search_body(typical.text)).content
            page_bodies = [page_body(page.filter, page.after) for page in pages]
            page_bytes = graphql_post(client, server, page_bodies[0]).content
        print(
            f"  typeahead: the response to {typical.text!r} ({len(typical_bytes):,} bytes,"
            f" the median size); page: {len(page_bytes):,} bytes",
            flush=True,
        )
        references = {}
        for name, answer in (("reference", typical_bytes), ("page-reference", page_bytes)):
            body_file = work / f"{name}.json"
            body_file.write_bytes(answer)
            references[name] = processes.start_reference(body_file, name)

        def variant(
            name: str, target: Server, bodies: list[dict[str, Any]], expected: bytes | None
        ) -> Variant:
            slug = "-".join(re.findall(r"[a-z0-9]+", name.lower()))
            script = write_wrk_script(work, slug, bodies, WRK_SCRIPT)
            return Variant(name, target, bodies, script, expected)

        word_bodies = [search_body(text) for text in texts.by_variant[ONE_WORD]]
        variants = [
            variant(REFERENCE, references["reference"], word_bodies, typical_bytes),
            *(
                variant(
                    name + suffix, target, [search_body(t) for t in texts.by_variant[name]], None
                )
                for name in TYPEAHEAD
                for suffix, target in servers.items()
            ),
            *(
                variant(PAGE + suffix, target, page_bodies, None)
                for suffix, target in servers.items()
            ),
            variant(PAGE_REFERENCE, references["page-reference"], page_bodies, page_bytes),
        ]
        print(f"4. load tests (wrk, {args.duration} s each, side by side)", flush=True)
        runs = load_tests(variants, args.duration)
    return Report(
        environment=runner.finished(env),
        database=runner.database_note(args.db),
        release=texts.release,
        texts=texts.by_variant,
        probes=probes,
        pages=pages,
        reference_text=typical.text,
        reference_bytes=len(typical_bytes),
        page_reference_bytes=len(page_bytes),
        runs=runs,
        targets=targets(runs),
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = runner.release_parser(__doc__, "search", DEFAULT_DURATION_S)
    parser.add_argument(
        "--against", type=Path, metavar="DIR", help="also run every variant on DIR's package"
    )
    return runner.bench_args(parser, argv, max_duration_s=None)


def main(argv: Sequence[str] | None = None) -> int:
    return runner.run_bench(parse_args(argv), run, print_report)


if __name__ == "__main__":
    sys.exit(main())
