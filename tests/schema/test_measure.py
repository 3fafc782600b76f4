"""The walk's measures and the request limits share their names on purpose: the check reads
each limit by the name of the measure it bounds."""

from __future__ import annotations

import dataclasses

from hcpcs_graphql.domain.request_limits import Limits
from hcpcs_graphql.schema.measure import MEASURED, Measure


def test_every_measure_has_its_limit_and_only_tokens_is_left_to_the_parser() -> None:
    limits = {field.name for field in dataclasses.fields(Limits)}
    assert set(MEASURED) == limits - {"tokens"}


def test_measures_add_up_but_depth_is_the_deeper() -> None:
    total = Measure(depth=2, aliases=1, fields=3, cost=4) + Measure(depth=5, directives=1, cost=1)
    assert total == Measure(depth=5, aliases=1, directives=1, fields=3, cost=5)
