"""Relay global object identification: `Code.id`, `node(id:)` and `nodes(ids:)`, on the real
January 2026 and October 2025 releases."""

from __future__ import annotations

import base64

from hcpcs_graphql.services.context import Context
from tests.graphql import execute as execute_data
from tests.graphql import execute_result as execute

IDS = """
query Ids {
  january: code(code: "J9035") { id }
  october: code(code: "J9035", release: "2025-10") { id }
  search(text: "bevacizumab", first: 20) { edges { node { id code release { id } } } }
}
"""

NODES = """
query Nodes($id: ID!, $ids: [ID!]!) {
  node(id: $id) { id ... on Code { code release { id } } }
  nodes(ids: $ids) { id ... on Code { code } }
}
"""


def an_id(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


async def test_a_code_of_a_release_has_one_id_everywhere(context: Context) -> None:
    data = await execute_data(context, IDS)
    assert data["january"]["id"] != data["october"]["id"]
    [j9035] = [e["node"] for e in data["search"]["edges"] if e["node"]["code"] == "J9035"]
    assert j9035["id"] == data["january"]["id"]
    assert j9035["release"] == {"id": "2026-01"}


async def test_node_and_nodes_find_the_code_again(context: Context) -> None:
    january = an_id("Code:2026-01:J9035")
    october = an_id("Code:2025-10:J9035")
    result = await execute(
        context, NODES, id=october, ids=[january, an_id("Code:1999-01:J9035"), october]
    )
    assert result.errors is None
    assert result.data == {
        "node": {"id": october, "code": "J9035", "release": {"id": "2025-10"}},
        "nodes": [{"id": january, "code": "J9035"}, None, {"id": october, "code": "J9035"}],
    }


async def test_an_id_the_api_did_not_give_is_refused(context: Context) -> None:
    for wrong in ("zzz", an_id("Release:2026-01"), an_id("Code:2026-01:")):
        result = await execute(context, NODES, id=wrong, ids=[])
        # node is nullable: null, with the error.
        assert result.data == {"node": None, "nodes": []}
        assert result.errors is not None
        assert [(e.message, e.extensions) for e in result.errors] == [
            (f"not an id this API gave: {wrong!r}", {"code": "BAD_ID"})
        ]
