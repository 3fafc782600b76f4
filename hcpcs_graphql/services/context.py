from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import aiosqlite
import strawberry

from hcpcs_graphql.domain import calendar
from hcpcs_graphql.domain.request_limits import Limits
from hcpcs_graphql.services.admission import Gate
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.errors import StaleRelease
from hcpcs_graphql.services.loaders import Loaders


@dataclass(kw_only=True)
class Context:
    connection: aiosqlite.Connection
    catalog: Catalog
    loaders: Loaders
    today: datetime.date
    limits: Limits = field(default_factory=Limits)
    """How much the request's document may ask for."""
    """The day that decides the default release and statuses without a date."""
    answered: dict[str, None] = field(default_factory=dict)
    """The releases that answered the request, in the order they were chosen (an ordered set)."""
    warnings: dict[StaleRelease, None] = field(default_factory=dict)
    """What the answer should say besides its data (an ordered set)."""
    gate: Gate | None = None
    """Where heavy operations wait for their turn (schema/admission.py); None lets all in."""
    overloaded: bool = False
    """The operation was refused by the gate: the app answers 503."""


Info = strawberry.Info[Context, None]


def make_context(
    connection: aiosqlite.Connection,
    catalog: Catalog,
    *,
    today: datetime.date | None = None,
    limits: Limits | None = None,
    gate: Gate | None = None,
) -> Context:
    """The context of one request: the app's get_context and the tests both call this."""
    return Context(
        connection=connection,
        catalog=catalog,
        loaders=Loaders.create(connection, catalog),
        today=today or calendar.today(),
        limits=limits or Limits(),
        gate=gate,
    )
