from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from hcpcs_graphql.http.middleware.metrics import SECONDS_BUCKETS, Metrics


def test_each_lookup_is_counted_under_its_result() -> None:
    metrics = Metrics()
    for result in ("miss", "hit", "miss"):
        metrics.record_lookup(result)
    text = generate_latest(metrics.registry).decode()
    assert 'hcpcs_response_cache_total{result="hit"} 1.0' in text.splitlines()
    assert 'hcpcs_response_cache_total{result="miss"} 2.0' in text.splitlines()


def test_the_counts_are_exposed_as_prometheus_clients_own_metrics_expose_them() -> None:
    metrics = Metrics()
    registry = CollectorRegistry()
    requests = Counter("hcpcs_requests", "", ["operation", "outcome"], registry=registry)
    seconds = Histogram("hcpcs_request_seconds", "", buckets=SECONDS_BUCKETS, registry=registry)
    recorded = [
        ("Lookup", "ok", 0.0012), (None, "error", 0.3), ("Lookup", "ok", 20.0),
        ("Lookup", "cached", 0.001), ("Search", "rejected", 0.0),
    ]  # fmt: skip
    for operation, outcome, spent in recorded:
        metrics.record(operation, outcome, spent)
        requests.labels(operation or "anonymous", outcome).inc()
        seconds.observe(spent)

    def samples(registry: CollectorRegistry) -> list[object]:
        # Their values and labels; prometheus_client's own also say when each was created.
        return [
            (sample.name, sample.labels, sample.value)
            for family in registry.collect()
            if family.name in {"hcpcs_requests", "hcpcs_request_seconds"}
            for sample in family.samples
            if not sample.name.endswith("_created")
        ]

    assert samples(metrics.registry) == samples(registry)
