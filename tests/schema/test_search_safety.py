"""Safe highlights (offsets into the plain descriptions, and HTML that escapes them) and the
NOC flag, its filter and its facet, on the real January 2026 release."""

from __future__ import annotations

from hcpcs_graphql.services.context import Context
from tests.graphql import execute

HIGHLIGHTS = """
query Highlights($text: String!) {
  search(text: $text, first: 1) {
    edges {
      node { code shortDescription }
      highlights { field start end length }
      markedShortDescription
    }
  }
}
"""

NOC = """
query Noc($text: String!) {
  search(text: $text, first: 1, filter: {notOtherwiseClassified: true}) {
    totalCount
    edges { node { code isNotOtherwiseClassified } }
  }
  all: search(text: $text, first: 0) {
    facets { notOtherwiseClassified { code description count } }
  }
  specific: code(code: "J9035") { isNotOtherwiseClassified }
}
"""


async def test_marked_descriptions_escape_the_description(context: Context) -> None:
    # "Res change sc < 0": the offsets are into the plain text, the HTML escapes its "<".
    found = await execute(context, HIGHLIGHTS, text="res change sc")
    short = [
        {"field": "SHORT_DESCRIPTION", "start": start, "end": end, "length": end - start}
        for start, end in ((0, 3), (4, 10), (11, 13))
    ]
    [edge] = found["search"]["edges"]
    assert edge["node"] == {"code": "G2167", "shortDescription": "Res change sc < 0"}
    assert edge["highlights"][:3] == short
    assert edge["markedShortDescription"] == (
        "<mark>Res</mark> <mark>change</mark> <mark>sc</mark> &lt; 0"
    )


async def test_the_noc_flag_filter_and_facet(context: Context) -> None:
    assert await execute(context, NOC, text="ambulance") == {
        "search": {
            "totalCount": 1,
            "edges": [{"node": {"code": "A0999", "isNotOtherwiseClassified": True}}],
        },
        "all": {
            "facets": {
                "notOtherwiseClassified": [
                    {
                        "code": "false",
                        "description": "Specific (not on CMS's NOC list)",
                        "count": 26,
                    },
                    {
                        "code": "true",
                        "description": "Not otherwise classified (on CMS's NOC list)",
                        "count": 1,
                    },
                ]
            }
        },
        "specific": {"isNotOtherwiseClassified": False},
    }
