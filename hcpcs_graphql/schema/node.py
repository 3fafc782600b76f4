"""Relay's Node interface: an object with a global id that `node` and `nodes` find again."""

from __future__ import annotations

import strawberry


@strawberry.interface(
    description="An object with a global id (Relay): `node(id:)` and `nodes(ids:)` find it again."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="The object's global id: opaque, the same in every query."
    )
