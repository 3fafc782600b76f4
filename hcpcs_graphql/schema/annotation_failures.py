"""Strawberry (0.341) evaluates a field's string annotation each time the field's type is asked
for, until an evaluation succeeds. While a class becomes a dataclass, its fields' annotations
have no namespace yet (Strawberry sets it afterwards), so each of those asks (three by
dataclasses, one by Strawberry) parses, compiles and evaluates the annotation against no names,
and fails with NameError: about 700 failures, 15 ms of every start. Without a namespace the
outcome depends on the text alone, so a text that failed once fails again at once here; every
other evaluation is Strawberry's own. The package imports this module before any type is
defined (schema/__init__.py); the SDL is the same (the staleness test in tests/schema)."""

from __future__ import annotations

from strawberry.annotation import StrawberryAnnotation

_evaluate = StrawberryAnnotation.evaluate
_failed: dict[str, tuple[str, str | None]] = {}
"""By annotation text: the message and the missing name of its NameError without a namespace."""


def _evaluate_once_failed(annotation: StrawberryAnnotation) -> type:
    text = annotation.raw_annotation
    if annotation.namespace is not None or not isinstance(text, str):
        return _evaluate(annotation)
    failed = _failed.get(text)
    if failed is not None:
        message, name = failed
        raise NameError(message, name=name)
    try:
        return _evaluate(annotation)
    except NameError as error:
        _failed[text] = (str(error), error.name)
        raise


StrawberryAnnotation.evaluate = _evaluate_once_failed  # type: ignore[method-assign, assignment]
