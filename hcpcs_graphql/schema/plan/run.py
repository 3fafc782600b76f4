"""Running an object plan: graphql-core's `execute_fields`, with plain fields completed directly.

A plain field reads its attribute and completes it as its plan says: no resolve info, no
argument values, no awaitable check on a leaf. Whatever the plan does not expect (a null in a
non-null position, a value a leaf type refuses, an object of another type, a value that is not a
list) is handed to graphql-core's `execute_field` for that field before anything of it ran, so
the error, its path and the null propagation are graphql-core's own. An error raised below a plain
field is handled as graphql-core's `execute_field` handles it (`handle_field_error`: null this
field when nullable, else raise to the parent).

An object plan that keeps (build.py) starts from a copy of what it kept of the source: a shared
fact's whole dict, or a code's template with only its live fields left to run (kept.py)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from graphql import GraphQLOutputType
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path, Undefined, gather_with_cancel

from hcpcs_graphql.schema.plan.build import FieldPlan, ObjectPlan
from hcpcs_graphql.schema.plan.kept import UNPLANNED, KeptRunner
from hcpcs_graphql.schema.plan.shared import copy, kept_value

_COMPLETED = frozenset({dict, list, type(None)})
"""The types of what a plain object field completes to when nothing is awaited."""


class PlanRunner(KeptRunner):
    def run_object(
        self, plan: ObjectPlan, source: Any, path: Path | None, position_context: Any
    ) -> Any:
        results, fields = self._started(plan, source)
        awaiting: list[str] = []
        kind, type_name = plan.kind, plan.type_name
        try:
            for field in fields:
                name = field.name
                coerce = field.coerce
                if coerce is not None:  # a single leaf, most fields: no path unless it fails
                    try:
                        value = getattr(source, field.attribute)  # type: ignore[arg-type]
                        if type(value) is field.same:
                            results[name] = value
                            continue
                        if value is None:
                            if field.nullable:
                                results[name] = None
                                continue
                        elif not isinstance(value, Exception):
                            done = coerce(value)
                            if done is not None and done is not Undefined:
                                results[name] = done
                                continue
                    except Exception:  # graphql-core reads it again and reports the error
                        pass
                    result = self.execute_field(
                        kind, source, field.details, Path(path, name, type_name), position_context
                    )
                elif field.leaf is not None:
                    result = self._leaves(field, source)
                    if result is not UNPLANNED:
                        results[name] = result
                        continue
                    result = self.execute_field(
                        kind, source, field.details, Path(path, name, type_name), position_context
                    )
                else:
                    result = UNPLANNED
                    if field.attribute is not None:
                        result = self._run_plain(field, source, path, type_name, position_context)
                        if type(result) in _COMPLETED:
                            results[name] = result
                            continue
                    if result is UNPLANNED:
                        result = self.execute_field(
                            kind, source, field.details, Path(path, name, type_name),
                            position_context,
                        )  # fmt: skip
                    if result is Undefined:
                        results.pop(name, None)  # a template's placeholder
                        continue
                results[name] = result
                if self.is_awaitable(result):  # only what graphql-core completed comes here
                    awaiting.append(name)
        except Exception:
            if awaiting:
                self.settle_in_background([results[name] for name in awaiting])
            raise
        if not awaiting:
            return results
        return _await_fields(results, awaiting)

    def _started(
        self, plan: ObjectPlan, source: Any
    ) -> tuple[dict[str, Any], tuple[FieldPlan, ...]]:
        """A copy of the source's template and the live fields left to run, when the plan keeps
        one (or can make one now); else an empty dict and every field."""
        live = plan.live
        if live is None:
            live = self._partition(plan)
        if plan.keeps:
            entry = plan.templates.get(id(source))
            if entry is not None and entry[0] is source:
                return copy(plan, entry[1]), live
            done = self._template(plan, source)
            if done is not None:
                return done, live
        return {}, plan.fields

    def _run_plain(
        self, field: FieldPlan, source: Any, parent: Path | None, type_name: str,
        position_context: Any,
    ) -> Any:  # fmt: skip
        """An object field, or a list of objects. Its path is built when something needs it."""
        try:
            value = getattr(source, field.attribute)  # type: ignore[arg-type]
        except Exception:  # graphql-core's resolver reads it again and reports the error
            return UNPLANNED
        if value is None:
            return None if field.nullable else UNPLANNED
        sub = field.sub
        if sub is not None and sub.shared:
            if not field.listed:  # most often: one coded value
                entry = sub.completed.get(id(value))
                if entry is not None and entry[0] is value:
                    return copy(sub, entry[1])
            else:
                kept = kept_value(field, sub, value)
                if kept is not None:
                    return kept
        if not self._expected(field, value):
            return UNPLANNED
        try:
            if field.listed:
                completed = self._objects(field, value, parent, type_name, position_context)
            else:
                sub = self._sub(field)
                completed = self._shared(sub, value) if sub.shared else None
                if completed is None:
                    path = Path(parent, field.name, type_name)
                    completed = self.run_object(sub, value, path, position_context)
        except Exception as error:
            path = Path(parent, field.name, type_name)
            self.handle_field_error(error, field.return_type, field.details, path)  # type: ignore[arg-type]
            return None
        if type(completed) not in _COMPLETED and self.is_awaitable(completed):
            path = Path(parent, field.name, type_name)
            return self._await_field(completed, field.return_type, field.details, path)  # type: ignore[arg-type]
        return completed

    def _objects(
        self, field: FieldPlan, value: list[Any], parent: Path | None, type_name: str,
        position_context: Any,
    ) -> Any:  # fmt: skip
        completed: list[Any] = []
        awaiting = False
        item_type = field.item_type
        path: Path | None = None
        done: Any
        for index, item in enumerate(value):
            if item is None:
                completed.append(None)
                continue
            sub = self._sub(field)
            if sub.shared:
                kept = self._shared(sub, item)
                if kept is not None:
                    completed.append(kept)
                    continue
            if path is None:
                path = Path(parent, field.name, type_name)
            item_path = path.add_key(index, None)
            try:
                done = self.run_object(sub, item, item_path, position_context)
            except Exception as error:
                try:
                    self.handle_field_error(error, item_type, field.details, item_path)  # type: ignore[arg-type]
                except Exception:  # a non-null item: the list is null, its items still settle
                    if awaiting:
                        self.settle_in_background([i for i in completed if self.is_awaitable(i)])
                    raise
                done = None
            if self.is_awaitable(done):
                awaiting = True
                done = self._await_field(done, item_type, field.details, item_path)  # type: ignore[arg-type]
            completed.append(done)
        if not awaiting:
            return completed
        return _await_items(completed, self.is_awaitable)

    async def _await_field(
        self,
        completed: Awaitable[Any],
        return_type: GraphQLOutputType,
        details: FieldDetailsList,
        path: Path,
    ) -> Any:
        try:
            return await completed
        except Exception as error:
            self.handle_field_error(error, return_type, details, path)
            return None


async def _await_fields(results: dict[str, Any], awaiting: list[str]) -> dict[str, Any]:
    if len(awaiting) == 1:
        results[awaiting[0]] = await results[awaiting[0]]
    else:
        done = await gather_with_cancel(*(results[name] for name in awaiting))
        results.update(zip(awaiting, done, strict=True))
    return results


async def _await_items(items: list[Any], is_awaitable: Any) -> list[Any]:
    waiting = [index for index, item in enumerate(items) if is_awaitable(item)]
    done = await gather_with_cancel(*(items[index] for index in waiting))
    for index, item in zip(waiting, done, strict=True):
        items[index] = item
    return items
