"""The part of a plan's run that completes what an object plan keeps (build.py, shared.py): the
partition of its fields into kept and live ones, a shared fact's completed dict, a code's template.

Only plain fields are kept, completed strictly: the first value that is not as the plan expects
(a null in a non-null field, a value a leaf refuses, an object of another type, an error) gives
None and nothing is kept; the caller completes the object as usual, with graphql-core's
errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql.execution.executor import Executor
from graphql.pyutils import Undefined

from hcpcs_graphql.schema.plan.build import FieldPlan, ObjectPlan, is_shared
from hcpcs_graphql.schema.plan.cache import Plan
from hcpcs_graphql.schema.plan.shared import copy, keep_completed, keep_template

_complete_leaf = Executor.complete_leaf_value
UNPLANNED = object()
"""What a plain field's completion returns when graphql-core must complete the field itself."""


class KeptRunner(Executor[Any]):
    plan: Plan | None = None

    def _leaves(self, field: FieldPlan, source: Any) -> Any:
        """A list of leaves."""
        leaf = field.leaf
        try:
            value = getattr(source, field.attribute)  # type: ignore[arg-type]
            if value is None:
                return None if field.nullable else UNPLANNED
            if not isinstance(value, list):
                return UNPLANNED
            if field.item_nullable:
                return [None if item is None else _complete_leaf(leaf, item) for item in value]
            return [_complete_leaf(leaf, item) for item in value]
        except Exception:  # graphql-core reports it, with its path
            return UNPLANNED

    def _expected(self, field: FieldPlan, value: Any) -> bool:
        """Whether every object the field holds is of its type (checked before any runs)."""
        kind = field.object_type
        is_type_of = kind.is_type_of  # type: ignore[union-attr]
        items = value if field.listed else (value,)
        if field.listed and not isinstance(value, list):
            return False
        for item in items:
            if item is None:
                if not field.item_nullable:
                    return False
            # Strawberry's is_type_of is an isinstance check that never reads the info.
            elif is_type_of is not None and not is_type_of(item, None):  # type: ignore[arg-type]
                return False
        return True

    def _sub(self, field: FieldPlan) -> ObjectPlan:
        sub = field.sub
        if sub is None:  # the first object of this field in this plan
            plan, kind = self.plan, field.object_type
            assert plan is not None
            assert kind is not None
            sub = field.sub = plan.object_plan(self, self.schema, kind, field.details)
        if sub.live is None:
            self._partition(sub)
        return sub

    def _partition(self, plan: ObjectPlan) -> tuple[FieldPlan, ...]:
        """The plan's live fields (build.py), found once; its plans below are made first."""
        if not plan.keeps:
            plan.live = plan.fields
            return plan.fields
        live = tuple(field for field in plan.fields if not self._kept(field))
        plan.nested = tuple(
            (field.name, field.listed, field.sub)
            for field in plan.fields
            if field.coerce is None and field not in live
        )
        plan.live, plan.shared = live, not live
        return live

    def _kept(self, field: FieldPlan) -> bool:
        """Whether what the field completes to depends on its source alone: a plain field (no
        resolver of ours, no arguments) of leaves, or of shared objects whose fields all are."""
        if field.attribute is None:
            return False
        if field.object_type is None:
            return True
        return is_shared(field.object_type) and self._sub(field).shared

    def _template(self, plan: ObjectPlan, source: Any) -> dict[str, Any] | None:
        """The source's kept fields completed, a None for each live one, kept by the plan (its
        copies are the next runs' templates); None when a kept field is not as the plan expects
        (the caller runs every field as usual)."""
        return self._kept_as(plan, source, keep_template)

    def _shared(self, plan: ObjectPlan, source: Any) -> dict[str, Any] | None:
        """The dict completed of a shared fact, a copy of the one its plan keeps; None when the
        plan cannot keep it or a field is not as the plan expects (the caller runs it as
        usual)."""
        entry = plan.completed.get(id(source))
        if entry is not None and entry[0] is source:
            return copy(plan, entry[1])
        if not plan.shared:
            return None
        return self._kept_as(plan, source, keep_completed)

    def _kept_as(
        self,
        plan: ObjectPlan,
        source: Any,
        keep: Callable[[ObjectPlan, Any, dict[str, Any]], dict[str, Any]],
    ) -> dict[str, Any] | None:
        """The plan's kept fields of SOURCE completed and kept by KEEP (a copy of them); None
        when one is not as the plan expects."""
        try:
            done = self._complete_kept(plan, source)
        except Exception:  # run_object completes it again, as graphql-core would
            return None
        return None if done is None else keep(plan, source, done)

    def _complete_kept(self, plan: ObjectPlan, source: Any) -> dict[str, Any] | None:
        """The plan's kept fields of SOURCE, in the order of its fields, a None in place of each
        live one; None at the first that is not as the plan expects."""
        results: dict[str, Any] = {}
        live = plan.live
        for field in plan.fields:
            if live and field in live:
                results[field.name] = None
                continue
            value = getattr(source, field.attribute)  # type: ignore[arg-type]
            if value is None:
                if not field.nullable:
                    return None
                results[field.name] = None
                continue
            if isinstance(value, Exception):
                return None
            coerce = field.coerce
            if coerce is not None:
                if type(value) is field.same:
                    results[field.name] = value
                    continue
                done = coerce(value)
                if done is None or done is Undefined:
                    return None
            elif field.leaf is not None:
                done = self._leaves(field, source)
                if done is UNPLANNED:
                    return None
            else:
                if not self._expected(field, value):
                    return None
                sub = self._sub(field)
                if field.listed:
                    done = []
                    for item in value:
                        kept = None if item is None else self._shared(sub, item)
                        if kept is None and item is not None:
                            return None
                        done.append(kept)
                else:
                    done = self._shared(sub, value)
                    if done is None:
                        return None
            results[field.name] = done
        return results
