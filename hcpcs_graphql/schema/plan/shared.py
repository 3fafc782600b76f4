"""What an object plan keeps of shared facts (build.py): the dict completed of each source, by
the source's identity, and a copy of it for each answer."""

from __future__ import annotations

from typing import Any

from hcpcs_graphql.schema.plan.build import FieldPlan, ObjectPlan

COMPLETED_KEPT = 1024
"""Completed dicts an object plan keeps: more than a code table's values of one field."""


def keep(plan: ObjectPlan, source: Any, done: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """Kept until the plan is dropped, or forgotten with the others past COMPLETED_KEPT."""
    if len(plan.completed) >= COMPLETED_KEPT:
        plan.completed.clear()
    entry = plan.completed[id(source)] = (source, done)
    return entry


def kept_value(field: FieldPlan, plan: ObjectPlan, value: Any) -> Any:
    """The field's value completed, when each object of it is kept by the plan (and so was
    checked to be of its type when it was completed); else None."""
    completed = plan.completed
    if not field.listed:
        entry = completed.get(id(value))
        if entry is None or entry[0] is not value:
            return None
        return copy(plan, entry[1])
    if type(value) is not list:
        return None
    items: list[Any] = []
    for item in value:
        if item is None:
            if not field.item_nullable:
                return None
            items.append(None)
            continue
        entry = completed.get(id(item))
        if entry is None or entry[0] is not item:
            return None
        items.append(copy(plan, entry[1]))
    return items


def copy(plan: ObjectPlan, completed: dict[str, Any]) -> dict[str, Any]:
    """Each answer gets its own dicts: a caller may change the answer it was given."""
    answer = completed.copy()
    for key in plan.nested:
        inner = answer[key]
        if inner is not None:
            answer[key] = _deep_copy(inner)
    return answer


def _deep_copy(completed: dict[str, Any]) -> dict[str, Any]:
    return {
        key: _deep_copy(value) if type(value) is dict else value for key, value in completed.items()
    }
