"""An annotation text that failed to evaluate without a namespace fails again without being
evaluated (schema/annotation_failures.py); with a namespace, Strawberry evaluates as before.
Counted in evaluations, never timed."""

from __future__ import annotations

import datetime

import pytest
from strawberry.annotation import StrawberryAnnotation

from hcpcs_graphql.schema import annotation_failures


@pytest.fixture
def evaluations(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The annotations Strawberry's own evaluate is called for."""
    called: list[object] = []
    strawberry_evaluate = annotation_failures._evaluate

    def counted(annotation: StrawberryAnnotation) -> type:
        called.append(annotation.raw_annotation)
        return strawberry_evaluate(annotation)

    monkeypatch.setattr(annotation_failures, "_evaluate", counted)
    monkeypatch.setattr(annotation_failures, "_failed", {})
    return called


def test_a_text_that_failed_without_namespace_fails_at_once(evaluations: list[object]) -> None:
    for _ in range(3):
        with pytest.raises(NameError) as raised:
            StrawberryAnnotation("datetime.date | None").evaluate()
        assert raised.value.name == "datetime"
    assert evaluations == ["datetime.date | None"]


def test_with_a_namespace_every_evaluation_is_strawberrys(evaluations: list[object]) -> None:
    with pytest.raises(NameError):
        StrawberryAnnotation("datetime.date").evaluate()
    namespace = {"datetime": datetime}
    for _ in range(2):
        assert (
            StrawberryAnnotation("datetime.date", namespace=namespace).evaluate() is datetime.date
        )
    assert evaluations == ["datetime.date"] * 3


def test_what_evaluates_without_namespace_is_evaluated(evaluations: list[object]) -> None:
    for _ in range(2):
        assert StrawberryAnnotation("int | None").evaluate() == int | None
    assert evaluations == ["int | None"] * 2
