"""Our resolvers called directly, in place of Strawberry's wrapper, on the prepared path.

Strawberry wraps every resolver (schema_converter.from_resolver): per call it builds its Info,
converts each argument by its type (convert_arguments), renames the arguments, chains the field
extensions and, for an async resolver, awaits it in a coroutine of its own. For a field with no
field extension, no exception handler and only scalar arguments, that conversion gives each value
as graphql-core coerced it, so the renaming and the Info are all it does: that is done here,
with the names worked out once. An async resolver is run at once up to its first suspension
(`eager`): one that answers without waiting (a row the row cache holds) gives graphql-core a
plain value, with no coroutine to await and no turn of the event loop.

graphql-core asks its middleware manager for the resolver of every field it resolves
(Executor.execute_field); `DirectResolvers` is that manager, with no middleware: it hands back
the direct resolver of a field it knows, else the resolver it was given."""

from __future__ import annotations

import types
from collections import Counter
from collections.abc import Callable, Coroutine, Generator
from typing import Any

from graphql import (
    GraphQLFieldResolver,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    MiddlewareManager,
)
from strawberry.relay import GlobalID
from strawberry.schema.compat import is_scalar
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryList, StrawberryMaybe, StrawberryOptional
from strawberry.types.field import StrawberryField

COUNTS: Counter[str] = Counter()
"""`suspended`: async resolvers that had to wait (the rest answered at once). Tests count it."""


def eager(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """The coroutine's value when it finishes without suspending, else an awaitable that goes
    on from where it stopped (what `await coroutine` would have done, one step ahead)."""
    try:
        step = coroutine.send(None)
    except StopIteration as done:
        return done.value
    COUNTS["suspended"] += 1
    # A future is yielded flagged as awaited (asyncio's `_asyncio_future_blocking`) and the task
    # that receives it clears the flag; until one does, another await of the same future (a
    # DataLoader gives the same one for the same key) is refused. So it is cleared here, as a
    # task would, and set again when it goes on to the task (`_resume`).
    blocking = getattr(step, "_asyncio_future_blocking", None)
    if blocking:
        step._asyncio_future_blocking = False
    return _resume(coroutine, step, blocking=bool(blocking))


@types.coroutine
def _resume(
    coroutine: Coroutine[Any, Any, Any], step: Any, *, blocking: bool
) -> Generator[Any, Any, Any]:
    # `yield from` by hand: the coroutine has already yielded `step` (a future, to the task
    # that awaits us), so each later send or throw goes to it as the task makes it.
    if blocking:
        step._asyncio_future_blocking = True
    while True:
        try:
            sent = yield step
        except GeneratorExit:
            coroutine.close()
            raise
        except BaseException as error:  # a cancellation, or a future's error
            try:
                step = coroutine.throw(error)
            except StopIteration as done:
                return done.value
        else:
            try:
                step = coroutine.send(sent)
            except StopIteration as done:
                return done.value


def _plain_scalar(kind: Any, converter: GraphQLCoreConverter) -> bool:
    """An argument type convert_argument gives back as it is: a scalar (not a GlobalID, which
    it decodes), maybe optional (not a Maybe, which it wraps)."""
    if isinstance(kind, StrawberryMaybe):
        return False
    if isinstance(kind, StrawberryOptional):
        kind = kind.of_type
    return kind is not GlobalID and is_scalar(kind, converter.scalar_registry)


def _scalar_list(kind: Any, converter: GraphQLCoreConverter) -> bool:
    """A list of plain scalars, maybe optional: convert_argument gives a copy of the list (the
    default graphql-core gives every request that omits it must not change)."""
    if isinstance(kind, StrawberryMaybe):
        return False
    if isinstance(kind, StrawberryOptional):
        kind = kind.of_type
    return isinstance(kind, StrawberryList) and _plain_scalar(kind.of_type, converter)


def direct_resolver(
    field: StrawberryField, converter: GraphQLCoreConverter
) -> GraphQLFieldResolver | None:
    """What Strawberry's wrapper does for this field, done directly; None when it does more."""
    resolver = field.base_resolver
    if (
        resolver is None
        or field.extensions
        or field.is_subscription
        or resolver.parent_parameter is not None
        or resolver.root_parameter is not None
        or converter.exception_handlers
        or not all(
            _plain_scalar(argument.type, converter) or _scalar_list(argument.type, converter)
            for argument in field.arguments
        )
    ):
        return None
    function: Callable[..., Any] = resolver.wrapped_func  # type: ignore[assignment]
    config = converter.config
    names = tuple(
        (config.name_converter.from_argument(argument), argument.python_name)
        for argument in field.arguments
        if not _scalar_list(argument.type, converter)
    )
    lists = tuple(
        (config.name_converter.from_argument(argument), argument.python_name)
        for argument in field.arguments
        if _scalar_list(argument.type, converter)
    )
    info_class = config.info_class
    info_name = None if resolver.info_parameter is None else resolver.info_parameter.name
    takes_self = resolver.self_parameter is not None
    is_async = field.is_async

    def resolve(source: Any, info: GraphQLResolveInfo[Any], **given: Any) -> Any:
        kwargs = {python: given[name] for name, python in names if name in given}
        for name, python in lists:
            if name in given:
                value = given[name]
                kwargs[python] = None if value is None else list(value)
        if info_name is not None:
            kwargs[info_name] = info_class(_raw_info=info, _field=field)
        result = function(source, **kwargs) if takes_self else function(**kwargs)
        return eager(result) if is_async else result

    return resolve


class DirectResolvers(MiddlewareManager):
    """graphql-core's middleware manager, with no middleware, handing out direct resolvers."""

    def __init__(self, schema: GraphQLSchema, converter: GraphQLCoreConverter) -> None:
        super().__init__()
        self.resolvers: dict[GraphQLFieldResolver, GraphQLFieldResolver] = {}
        for kind in schema.type_map.values():
            if not isinstance(kind, GraphQLObjectType):
                continue
            for graphql_field in kind.fields.values():
                field = (graphql_field.extensions or {}).get(
                    GraphQLCoreConverter.DEFINITION_BACKREF
                )
                if not isinstance(field, StrawberryField) or graphql_field.resolve is None:
                    continue
                direct = direct_resolver(field, converter)
                if direct is not None:
                    self.resolvers[graphql_field.resolve] = direct

    def get_field_resolver(self, field_resolver: GraphQLFieldResolver) -> GraphQLFieldResolver:
        return self.resolvers.get(field_resolver, field_resolver)
