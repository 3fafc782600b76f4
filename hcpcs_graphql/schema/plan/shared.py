"""What an object plan keeps of shared facts (build.py), by the source's identity: the dict
completed of a source whose every field is kept (`completed`), or a code's template, the dict of
its kept fields with a placeholder for each live one (`templates`); and each answer's copy."""

from __future__ import annotations

import weakref
from typing import Any

from hcpcs_graphql.schema.plan.build import FieldPlan, ObjectPlan

COMPLETED_KEPT = 1024
"""Completed dicts an object plan keeps: more than a code table's values of one field."""
TEMPLATES_KEPT = 1024
"""Templates an object plan keeps: ten 100-code pages."""
TEMPLATES_TOTAL = 2048
"""All object plans' templates are counted once in TEMPLATES_TOTAL additions and all forgotten
when there are as many: fewer than twice as many live at any time, about 16 MB (a code's
template is about 2.8 KB of dicts and lists, its strings the code's own, and keeps its code
alive, about 1.2 KB)."""


class _AllTemplates:
    """The plans that keep templates (a dropped plan's go with it), and the templates added
    since they were last counted."""

    def __init__(self) -> None:
        self.plans: weakref.WeakSet[ObjectPlan] = weakref.WeakSet()
        self.added = 0


_ALL = _AllTemplates()
Kept = dict[int, tuple[Any, dict[str, Any]]]
"""By the identity of a source: the source (kept alive, so that no identity is reused while its
entry lives) and what was completed of it."""


def keep(kept: Kept, bound: int, source: Any, done: dict[str, Any]) -> None:
    """Kept until the plan is dropped, or forgotten with the others past BOUND."""
    if len(kept) >= bound:
        kept.clear()
    kept[id(source)] = (source, done)


def keep_completed(plan: ObjectPlan, source: Any, done: dict[str, Any]) -> dict[str, Any]:
    """DONE kept; the caller's answer gets a copy."""
    keep(plan.completed, COMPLETED_KEPT, source, done)
    return copy(plan, done)


def keep_template(plan: ObjectPlan, source: Any, done: dict[str, Any]) -> dict[str, Any]:
    _ALL.added += 1
    if _ALL.added > TEMPLATES_TOTAL:  # once in TEMPLATES_TOTAL additions: a count
        plans = list(_ALL.plans)
        if sum(len(kept.templates) for kept in plans) >= TEMPLATES_TOTAL:
            for kept in plans:
                kept.templates.clear()
        _ALL.added = 0
    keep(plan.templates, TEMPLATES_KEPT, source, done)
    _ALL.plans.add(plan)
    return copy(plan, done)


def kept_value(field: FieldPlan, plan: ObjectPlan, value: Any) -> Any:
    """The field's value completed, when each object of it is kept by the plan (and so was
    checked to be of its type when it was completed); else None."""
    return copied(plan, plan.completed, value, listed=field.listed, nulls=field.item_nullable)


def copied(plan: ObjectPlan, kept: Kept, value: Any, *, listed: bool, nulls: bool) -> Any:
    """A copy of what KEPT holds of the value, an object or a list of them (None items where
    NULLS allows them); None unless it holds each."""
    if not listed:
        entry = kept.get(id(value))
        if entry is None or entry[0] is not value:
            return None
        return copy(plan, entry[1])
    if type(value) is not list:
        return None
    items: list[Any] = []
    for item in value:
        if item is None:
            if not nulls:
                return None
            items.append(None)
            continue
        entry = kept.get(id(item))
        if entry is None or entry[0] is not item:
            return None
        items.append(copy(plan, entry[1]))
    return items


def copy(plan: ObjectPlan, completed: dict[str, Any]) -> dict[str, Any]:
    """Each answer gets its own dicts and lists (a caller may change the answer it was given):
    the plan says which keys hold them (`nested`), so only those are walked."""
    answer = completed.copy()
    for key, listed, sub in plan.nested:
        inner = answer[key]
        if inner is None:
            continue
        if sub is None:  # a list of leaves
            answer[key] = inner.copy()
        elif not listed:
            answer[key] = copy(sub, inner) if sub.nested else inner.copy()
        elif sub.nested:
            answer[key] = [None if item is None else copy(sub, item) for item in inner]
        else:
            answer[key] = [None if item is None else item.copy() for item in inner]
    return answer
