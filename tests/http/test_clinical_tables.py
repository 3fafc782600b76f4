"""GET /api/hcpcs/v3/search, NLM Clinical Tables' HCPCS search API, backed by `search`, on the
real releases."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

URL = "/api/hcpcs/v3/search"


async def get(client: httpx.AsyncClient, **parameters: Any) -> Any:
    response = await client.get(URL, params=parameters)
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_answer_is_nlm_s_array(client: httpx.AsyncClient) -> None:
    assert await get(client, terms="oxygen concentrater", maxList=2) == [
        7,
        ["E1390", "E1391"],
        None,
        [
            [
                "E1390",
                "Oxygen concentrator, single delivery port, capable of delivering 85 percent or "
                "greater oxygen concentration at the prescribed flow rate",
            ],
            [
                "E1391",
                "Oxygen concentrator, dual delivery port, capable of delivering 85 percent or "
                "greater oxygen concentration at the prescribed flow rate, each",
            ],
        ],
    ]


async def test_fields_extra_data_paging_and_constraints(client: httpx.AsyncClient) -> None:
    parameters = {"terms": "ambulance", "df": "code,short_desc", "ef": "is_noc,term_dt:t"}
    total, codes, extra, display = await get(client, count=2, **parameters)
    assert (total, extra["is_noc"], extra["t"]) == (27, [False, False], [None, None])
    assert [row[0] for row in display] == codes
    assert await get(client, count=1, offset=1, **parameters) == [
        27,
        codes[1:],
        {"is_noc": [False], "t": [None]},
        display[1:],
    ]
    assert await get(client, terms="ambulance", q="is_noc:true", cf="code", df="code") == [
        1,
        ["A0999"],
        None,
        [["A0999"]],
    ]
    # More than one page of the API (100) in one answer.
    found = await get(client, terms="wheelchair", count=150, df="code")
    assert (found[0], len(found[1]), found[3][:1]) == (323, 150, [[found[1][0]]])


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({}, "terms: the text to search for is required"),
        ({"terms": "walker", "count": "501"}, "count: a whole number from 0 to 500, not '501'"),
        (
            {"terms": "walker", "df": "code,price"},
            "df: no field 'price'; the fields are code, display, short_desc, long_desc, add_dt,"
            " act_eff_dt, term_dt, obsolete, is_noc",
        ),
        (
            {"terms": "walker", "q": "kind:modifier"},
            "q: 'kind:modifier' is not is_noc:true|false or obsolete:true|false",
        ),
        ({"terms": "*"}, "search text needs at least one letter or digit"),
    ],
)
async def test_bad_parameters_are_400(
    client: httpx.AsyncClient, parameters: dict[str, str], message: str
) -> None:
    response = await client.get(URL, params=parameters)
    assert (response.status_code, response.json()) == (400, {"error": message})
