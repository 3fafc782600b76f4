from __future__ import annotations

from prometheus_client import generate_latest

from hcpcs_graphql.http.middleware.metrics import Metrics


def test_each_lookup_is_counted_under_its_result() -> None:
    metrics = Metrics()
    for result in ("miss", "hit", "miss"):
        metrics.record_lookup(result)
    text = generate_latest(metrics.registry).decode()
    assert 'hcpcs_response_cache_total{result="hit"} 1.0' in text.splitlines()
    assert 'hcpcs_response_cache_total{result="miss"} 2.0' in text.splitlines()
