"""The page a connection field is asked for, with the fingerprint its cursors carry."""

from __future__ import annotations

from typing import Any

from strawberry.types.nodes import SelectedField

from hcpcs_graphql.services.context import Info
from hcpcs_graphql.services.pagination import PAGING_ARGUMENTS, Page, scope_of


def page_of(
    info: Info,
    *parent: object,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Page:
    """Every argument of the field but the paging ones, as given (variables resolved), and
    the identity of the object the field hangs from (`parent`) choose the set."""
    [selected] = info.selected_fields[:1]
    assert isinstance(selected, SelectedField)  # the field being resolved, never a fragment
    given: dict[str, Any] = selected.arguments
    # An argument given empty (null, [] or {}) means what omitting it means.
    chosen = {
        name: value
        for name, value in given.items()
        if name not in PAGING_ARGUMENTS and value not in (None, [], {})
    }
    scope = scope_of(info._raw_info.parent_type.name, info.field_name, chosen, parent)
    return Page.of(scope, first=first, after=after, last=last, before=before)
