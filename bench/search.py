"""Benchmark of typeahead search and of a filtered 100-code page, on the real January 2026 release.

Run from anywhere (the paths come from this file's location):

    .venv/bin/python bench/search.py [--db FILE] [--duration S] [--json OUT]

It serves the release with `hcpcs serve` and measures over HTTP on loopback (wrk, at 1 and 32
clients), side by side in one run: `search(text:, first: 10)` as a typeahead asks for it, in
one variant per kind of text (1, 2 and 3 characters, one word, two words, codes), each cycling
through hundreds of distinct texts; a filtered `allCodes(first: 100)` page with every nested
field, cycling through filters and `after` cursors; and a reference server that answers a
typical typeahead response from memory. It prints throughput, p50 and p99 latency, the ratio to
the reference, and whether the latency targets hold. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import re
import sqlite3
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

# bench/serve.py's helpers: processes, the database, wrk and the response check.
from serve import (
    EVERY_CODE_FIELD,
    EXECUTE_EVERY_REQUEST,
    WARM_UP_S,
    WRK_BODIES,
    WRK_ERRORS,
    BenchError,
    LoadResult,
    Processes,
    Server,
    bench_args,
    bench_parser,
    check_response,
    hcpcs_command,
    january_environment,
    load_average,
    load_result,
    prepare_database,
    print_heading,
    reused_db_help,
    run_bench,
    run_wrk,
    spread,
    work_folder,
)

RELEASE = "2026-01"
CLIENTS = (1, 32)
DEFAULT_DURATION_S = 6
SEED = 2026
PROBE_BUDGET_S = 8.0
"""Seconds the one-by-one probe of a variant's texts may take at most."""
PAGE_DISCOVERY_BUDGET_S = 30.0
PAGES_PER_FILTER = 5
PAGE_SIZE = 100
SEARCH_FIRST = 10

TYPEAHEAD_P99_TARGET_MS = 8.0
PAGE_P50_TARGET_MS = 20.0

ONE_CHAR = "(1a) search: 1 char"
TWO_CHARS = "(1b) search: 2 chars"
THREE_CHARS = "(1c) search: 3 chars"
ONE_WORD = "(1d) search: 1 word"
TWO_WORDS = "(1e) search: 2 words"
CODES = "(1f) search: code"
TYPOS = "(1g) search: typo"
TYPEAHEAD = (ONE_CHAR, TWO_CHARS, THREE_CHARS, ONE_WORD, TWO_WORDS, CODES, TYPOS)
PAGE = "(2) allCodes x100, nested"
REFERENCE = "(3) reference: typeahead"
REFERENCE_BEFORE = f"{REFERENCE} (1st)"
REFERENCE_AFTER = f"{REFERENCE} (2nd)"
PAGE_REFERENCE = "(3b) reference: page bytes"

SEARCH_QUERY = (
    "query($t: String!) { search(text: $t, first: 10) { totalCount edges { matchedBy"
    " markedShortDescription node { code shortDescription } } } }"
)

# Every field of Code and of the types nested in it, as a page of a filtered listing.
PAGE_QUERY = (
    """query Page($filter: CodeFilter, $after: String) {
  allCodes(filter: $filter, first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { ...EveryCodeField } }
  }
}"""
    + EVERY_CODE_FIELD
)

# The listings the page variant cycles through: each holds more than 100 codes of January 2026,
# so that it gives full pages; its first PAGES_PER_FILTER pages are taken (`after` each time).
PAGE_FILTERS: tuple[dict[str, Any], ...] = (
    {"codePrefix": {"eq": "J"}},
    {"codePrefix": {"eq": "l"}},
    {"betosCategory": {"eq": "D"}},
    {"coverage": {"eq": "I"}},
    {"typeOfService": {"eq": "P"}},
    {"pricingIndicator": {"in": ["51", "53"]}},
    {"hasCrossReferences": True},
    {"action": {"in": ["A", "C", "D", "P"]}},
    {"kind": {"eq": "PROCEDURE"}, "status": {"eq": "ACTIVE"}},
    {"multiplePricingIndicator": {"eq": "9"}},
    {"and": [{"codePrefix": {"eq": "G"}}, {"not": {"coverage": {"eq": "S"}}}]},
    {"or": [{"codePrefix": {"eq": "Q"}}, {"betosCategory": {"eq": "I"}}]},
    {"addedDate": {"from": "2020-01-01"}},
)

# Words as the API splits them (hcpcs_graphql.db.search_query): runs of letters and digits.
WORD = re.compile(r"[^\W_]+")
STOPWORDS = frozenset((
    "a", "an", "and", "any", "are", "as", "at", "be", "by", "each", "for", "from", "in",
    "includes", "including", "is", "it", "no", "non", "not", "of", "on", "or", "other", "per",
    "than", "that", "the", "this", "to", "up", "use", "used", "w", "when", "which", "with",
))  # fmt: skip
EXAMPLE_WORDS = ("wheelchair", "injection", "catheter")
TEXTS_PER_VARIANT = 400
CODE_TEXTS = 500
MIN_WORDS = 40

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


# --- the texts -----------------------------------------------------------------------------


def heavy_and_spread(ranked: Sequence[str], count: int) -> list[str]:
    """Half of COUNT from the top of RANKED (the most frequent, the heaviest to search), the
    other half spread evenly over the rest (down to the rarest)."""
    if len(ranked) <= count:
        return list(ranked)
    top = count // 2
    return [*ranked[:top], *spread(ranked[top:], count - top)]


def by_frequency(counts: Counter[str], minimum: int = 1) -> list[str]:
    return [
        item
        for item, count in sorted(counts.items(), key=lambda entry: (-entry[1], entry[0]))
        if count >= minimum
    ]


def mixed_case(code: str, index: int) -> str:
    """The code as users type it: upper case, lower case, or capitalized (Lt, Rt, ...)."""
    return (code.upper(), code.lower(), code.capitalize())[index % 3]


def shuffled(texts: Sequence[str], seed: int) -> list[str]:
    """The distinct texts in a fixed pseudo-random order, so that neighbours differ."""
    unique = list(dict.fromkeys(texts))
    random.Random(seed).shuffle(unique)
    return unique


@dataclass
class Texts:
    release: str
    by_variant: dict[str, list[str]]


def choose_texts(db: Path) -> Texts:
    """The texts of each typeahead variant, from the descriptions and codes of the release."""
    uri = f"{db.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        row = connection.execute(
            "select id from release order by effective_date desc limit 1"
        ).fetchone()
        if row is None:
            raise BenchError(f"{db} holds no release")
        if row[0] != RELEASE:
            raise BenchError(f"{db}: its newest release is {row[0]}, not {RELEASE}")
        rows: list[tuple[str, str | None, str]] = connection.execute(
            "select code, short_description, long_description from code where release_id = ?"
            " order by code",
            (RELEASE,),
        ).fetchall()
    # Each count is of codes: a word counts once per code whose descriptions hold it.
    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    prefixes: dict[int, Counter[str]] = {2: Counter(), 3: Counter()}
    code_prefixes: dict[int, Counter[str]] = {2: Counter(), 3: Counter()}
    for code, short, long in rows:
        found: set[str] = set()
        found_pairs: set[str] = set()
        for text in (short or "", long):
            tokens = [token.lower() for token in WORD.findall(text)]
            found.update(tokens)
            found_pairs.update(
                f"{first} {second}"
                for first, second in itertools.pairwise(tokens)
                if plain_word(first, 3) and plain_word(second, 3)
            )
        words.update(found)
        pairs.update(found_pairs)
        for length, counter in prefixes.items():
            counter.update({word[:length] for word in found if len(word) >= length})
        for length, counter in code_prefixes.items():
            if len(code) > length:
                counter[code[:length]] += 1
    one_word = [word for word in by_frequency(words, 2) if plain_word(word, 4)]
    chosen_words = heavy_and_spread(one_word, TEXTS_PER_VARIANT)
    chosen_words += [word for word in EXAMPLE_WORDS if word not in chosen_words]
    if len(chosen_words) < MIN_WORDS:
        raise BenchError(f"{db}: only {len(chosen_words)} words for the one-word variant")

    def short_texts(length: int) -> list[str]:
        # Three quarters the start of a description word, a quarter the start of a code.
        from_words = heavy_and_spread(by_frequency(prefixes[length]), TEXTS_PER_VARIANT * 3 // 4)
        from_codes = heavy_and_spread(by_frequency(code_prefixes[length]), TEXTS_PER_VARIANT // 4)
        seen = {text.lower() for text in from_words}
        return from_words + [
            mixed_case(prefix, index)
            for index, prefix in enumerate(from_codes)
            if prefix.lower() not in seen
        ]

    codes = [code for code, _, _ in rows]
    letters = "abcdefghijklmnopqrstuvwxyz"
    by_variant = {
        ONE_CHAR: [*letters, *letters.upper(), *"0123456789"],
        TWO_CHARS: short_texts(2),
        THREE_CHARS: short_texts(3),
        ONE_WORD: chosen_words,
        TWO_WORDS: heavy_and_spread(by_frequency(pairs, 2), TEXTS_PER_VARIANT),
        CODES: [mixed_case(code, index) for index, code in enumerate(spread(codes, CODE_TEXTS))],
        # Two inner letters swapped (the search repairs them): words no description holds.
        TYPOS: [
            typo
            for word in chosen_words
            if len(word) >= MIN_TYPO_LENGTH
            and (typo := word[:2] + word[3] + word[2] + word[4:]) not in words
        ],
    }
    return Texts(
        RELEASE,
        {
            name: shuffled(texts, SEED + index)
            for index, (name, texts) in enumerate(by_variant.items())
        },
    )


MIN_TYPO_LENGTH = 6


def plain_word(word: str, length: int) -> bool:
    return word.isalpha() and len(word) >= length and word not in STOPWORDS


def search_body(text: str) -> dict[str, Any]:
    return {"query": SEARCH_QUERY, "variables": {"t": text}}


def page_body(page_filter: dict[str, Any], after: str | None) -> dict[str, Any]:
    return {"query": PAGE_QUERY, "variables": {"filter": page_filter, "after": after}}


# --- one request at a time -----------------------------------------------------------------


@dataclass
class ProbedText:
    text: str
    ms: float
    total_count: int
    response_bytes: int


@dataclass
class Probe:
    """Every text of a variant sent once, one at a time: each must answer without errors."""

    variant: str
    texts: int
    probed: list[ProbedText]

    @property
    def median_ms(self) -> float:
        return statistics.median(text.ms for text in self.probed)

    def slowest(self, count: int = 3) -> list[ProbedText]:
        return sorted(self.probed, key=lambda text: -text.ms)[:count]


def graphql_post(client: httpx.Client, server: Server, body: dict[str, Any]) -> httpx.Response:
    response = client.post(f"{server.url}/graphql", json=body)
    if response.status_code != 200:
        raise BenchError(
            f"{server.name} answered {response.status_code} to {json.dumps(body['variables'])}:"
            f" {response.text[:300]}"
        )
    if "errors" in response.json():
        raise BenchError(
            f"{server.name} answered errors to {json.dumps(body['variables'])}:"
            f" {response.text[:300]}"
        )
    return response


def probe(server: Server, variant: str, texts: Sequence[str]) -> Probe:
    found = Probe(variant, len(texts), [])
    deadline = time.perf_counter() + PROBE_BUDGET_S
    with httpx.Client(timeout=30.0) as client:
        for text in texts:
            if time.perf_counter() > deadline:
                break
            started = time.perf_counter()
            response = graphql_post(client, server, search_body(text))
            ms = (time.perf_counter() - started) * 1000
            total = int(response.json()["data"]["search"]["totalCount"])
            found.probed.append(ProbedText(text, ms, total, len(response.content)))
    return found


@dataclass
class PageBody:
    filter: dict[str, Any]
    after: str | None
    total_count: int


def discover_pages(server: Server) -> list[PageBody]:
    """The full 100-code pages of each filter, up to PAGES_PER_FILTER each, following
    `pageInfo.endCursor`; in turns, one page of each filter after the other."""
    per_filter: list[list[PageBody]] = []
    deadline = time.perf_counter() + PAGE_DISCOVERY_BUDGET_S
    with httpx.Client(timeout=30.0) as client:
        for page_filter in PAGE_FILTERS:
            pages: list[PageBody] = []
            after: str | None = None
            for _ in range(PAGES_PER_FILTER):
                if time.perf_counter() > deadline:
                    break
                response = graphql_post(client, server, page_body(page_filter, after))
                found = response.json()["data"]["allCodes"]
                if len(found["edges"]) == PAGE_SIZE:
                    pages.append(PageBody(page_filter, after, int(found["totalCount"])))
                if not found["pageInfo"]["hasNextPage"]:
                    break
                after = found["pageInfo"]["endCursor"]
            per_filter.append(pages)
    turns = max((len(pages) for pages in per_filter), default=0)
    ordered = [pages[turn] for turn in range(turns) for pages in per_filter if turn < len(pages)]
    if len(ordered) < len(PAGE_FILTERS):
        raise BenchError(f"only {len(ordered)} full 100-code pages found for the page variant")
    return ordered


def typical_text(probes: Sequence[Probe]) -> ProbedText:
    """The probed text whose response has the median size of all typeahead responses."""
    texts = sorted(
        (text for found in probes for text in found.probed), key=lambda text: text.response_bytes
    )
    if not texts:
        raise BenchError("no typeahead text was probed")
    return texts[len(texts) // 2]


# --- load tests ----------------------------------------------------------------------------


def write_wrk_script(work: Path, name: str, bodies: Sequence[dict[str, Any]]) -> Path:
    bodies_file = work / f"{name}.bodies"
    bodies_file.write_text(
        "".join(json.dumps(body, separators=(",", ":")) + "\n" for body in bodies)
    )
    script = work / f"{name}.lua"
    script.write_text(WRK_SCRIPT.replace("__BODIES__", json.dumps(str(bodies_file))))
    return script


@dataclass
class Variant:
    name: str
    server: Server
    bodies: list[dict[str, Any]]
    script: Path
    expected: bytes | None
    """The exact bytes the reference servers answer with."""


@dataclass
class Run:
    result: LoadResult
    bodies: int
    """Distinct request bodies the variant cycles through."""


def measure(variant: Variant, clients: int, duration: int) -> Run:
    # One request first: HTTP 200 without GraphQL errors (and the reference's exact bytes).
    check_response(variant.server, variant.bodies[0], variant.expected)
    run_wrk(variant.server.url, variant.script, clients, WARM_UP_S)
    summary = run_wrk(variant.server.url, variant.script, clients, duration)
    if variant.server.process.poll() is not None:
        raise BenchError(f"{variant.server.name} exited:\n{variant.server.log_tail()}")
    result = load_result(variant.name, clients, summary, ERROR_KINDS)
    print(
        f"  {result.variant:<28} {clients:>2} clients: {result.requests_per_s:9.1f} req/s"
        f"  p50 {result.p50_ms:8.2f} ms  p99 {result.p99_ms:8.2f} ms",
        flush=True,
    )
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
        for run in block:
            if reference:
                run.result.ratio_to_reference = run.result.requests_per_s / reference
        runs += block
    return runs


@dataclass
class Target:
    variant: str
    measure: str
    limit_ms: float
    value_ms: float

    @property
    def holds(self) -> bool:
        return self.value_ms <= self.limit_ms


def targets(runs: Sequence[Run]) -> list[Target]:
    at_one = {run.result.variant: run.result for run in runs if run.result.clients == 1}
    found = [
        Target(name, "p99", TYPEAHEAD_P99_TARGET_MS, at_one[name].p99_ms) for name in TYPEAHEAD
    ]
    found.append(Target(PAGE, "p50", PAGE_P50_TARGET_MS, at_one[PAGE].p50_ms))
    return found


# --- the run -------------------------------------------------------------------------------


@dataclass
class Report:
    environment: dict[str, Any]
    database: str
    release: str
    texts: dict[str, list[str]]
    probes: list[Probe]
    pages: list[PageBody]
    reference_text: str
    reference_bytes: int
    page_reference_bytes: int
    runs: list[Run]
    targets: list[Target] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for found, entry in zip(self.probes, data["probes"], strict=True):
            entry["median_ms"] = found.median_ms
        for target, entry in zip(self.targets, data["targets"], strict=True):
            entry["holds"] = target.holds
        return data


def run(args: argparse.Namespace) -> Report:
    env = january_environment(args.duration)
    env["clients"] = list(CLIENTS)
    hcpcs = str(hcpcs_command())
    runs_count = len(CLIENTS) * (len(TYPEAHEAD) + 4)
    print(
        f"{runs_count} load tests of {args.duration} s (+ {WARM_UP_S} s warm-up each):"
        f" about {runs_count * (args.duration + WARM_UP_S + 1) / 60:.1f} minutes of wrk",
        flush=True,
    )
    with work_folder() as work:
        processes = Processes(work)
        try:
            print(f"1. database ({RELEASE})", flush=True)
            db = prepare_database(args.db or work / f"{RELEASE}.db", work)
            texts = choose_texts(db)
            for name, chosen in texts.by_variant.items():
                print(f"  {name:<28} {len(chosen):>4} distinct texts", flush=True)

            print("2. hcpcs serve; every text once, one at a time (checked)", flush=True)
            server = processes.start_healthy(
                "hcpcs-serve",
                [hcpcs, "serve", "--db", str(db), "--workers", "1"],
                EXECUTE_EVERY_REQUEST,
            )
            probes = []
            for name in TYPEAHEAD:
                found = probe(server, name, texts.by_variant[name])
                probes.append(found)
                print(
                    f"  {name:<28} {len(found.probed):>4} of {found.texts} texts,"
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
            typical = typical_text(probes)
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
                return Variant(name, target, bodies, write_wrk_script(work, slug, bodies), expected)

            word_bodies = [search_body(text) for text in texts.by_variant[ONE_WORD]]
            variants = [
                variant(REFERENCE, references["reference"], word_bodies, typical_bytes),
                *(
                    variant(name, server, [search_body(t) for t in texts.by_variant[name]], None)
                    for name in TYPEAHEAD
                ),
                variant(PAGE, server, page_bodies, None),
                variant(PAGE_REFERENCE, references["page-reference"], page_bodies, page_bytes),
            ]
            print(f"4. load tests (wrk, {args.duration} s each, side by side)", flush=True)
            runs = load_tests(variants, args.duration)
        finally:
            processes.stop_all()
    env["load_average_after"] = os.getloadavg()
    return Report(
        environment=env,
        database=str(args.db) if args.db else "(temporary: January 2026 loaded for this run)",
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


def print_report(report: Report) -> None:
    env = report.environment
    print_heading("search", env, f"release {report.release}", load_average(env))
    print(
        f"reference: the response to search(text: {report.reference_text!r}) from memory"
        f" ({report.reference_bytes:,} bytes); page reference: {report.page_reference_bytes:,}"
        " bytes"
    )
    print()
    header = (
        f"{'variant':<30} {'clients':>7} {'texts':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'ratio':>6}  errors"
    )
    print(header)
    print("-" * len(header))
    previous = None
    for found in report.runs:
        result = found.result
        if previous is not None and result.clients != previous:
            print()
        previous = result.clients
        ratio = "" if result.ratio_to_reference is None else f"{result.ratio_to_reference:.3f}"
        errors = ", ".join(f"{kind} {count}" for kind, count in result.errors.items()) or "-"
        print(
            f"{result.variant:<30} {result.clients:>7} {found.bodies:>5}"
            f" {result.requests_per_s:>9.1f} {result.p50_ms:>8.2f} {result.p99_ms:>8.2f}"
            f" {ratio:>6}  {errors}"
        )
    print(
        "texts: distinct request bodies cycled through; ratio: throughput / the mean of the"
        " typeahead reference's two runs at the same number of clients"
    )
    for clients in CLIENTS:
        by_name = {
            run.result.variant: run.result for run in report.runs if run.result.clients == clients
        }
        if by_name[PAGE_REFERENCE].requests_per_s:
            print(
                f"(2) / (3b), the page against a reference answering its bytes,"
                f" {clients} client(s):"
                f" {by_name[PAGE].requests_per_s / by_name[PAGE_REFERENCE].requests_per_s:.3f}"
            )
    print()
    print("Targets at 1 client:")
    for target in report.targets:
        verdict = (
            "holds"
            if target.holds
            else f"MISSED by {target.value_ms - target.limit_ms:.2f} ms"
            f" ({target.value_ms / target.limit_ms:.2f}x)"
        )
        print(
            f"  {target.variant:<28} {target.measure} {target.value_ms:7.2f} ms"
            f" <= {target.limit_ms:.0f} ms: {verdict}"
        )
    print()
    print("One at a time (every text once, client-side ms incl. httpx), the slowest texts:")
    for probed in report.probes:
        over = sum(1 for text in probed.probed if text.ms > TYPEAHEAD_P99_TARGET_MS)
        slowest = ", ".join(
            f"{text.text!r} {text.ms:.1f} ms ({text.total_count} hits)" for text in probed.slowest()
        )
        print(
            f"  {probed.variant:<28} median {probed.median_ms:6.2f} ms,"
            f" {over:>2} of {len(probed.probed):>3} over {TYPEAHEAD_P99_TARGET_MS:.0f} ms;"
            f" {slowest}"
        )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = bench_parser(
        __doc__,
        db_help=reused_db_help(RELEASE),
        duration_s=DEFAULT_DURATION_S,
        json_help="also write the results as JSON to OUT (e.g. bench/results/search.json)",
    )
    return bench_args(parser, argv, max_duration_s=None)


def main(argv: Sequence[str] | None = None) -> int:
    return run_bench(parse_args(argv), run, print_report)


if __name__ == "__main__":
    sys.exit(main())
