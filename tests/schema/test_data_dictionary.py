"""dataDictionary: every field against the CMS record layout (positions, types, names, meanings),
every code table with its values, and the values new in the 2026 layout."""

from __future__ import annotations

import csv
import re
from typing import Any

from hcpcs_graphql.domain.code_tables import TABLES, code_table
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.context import Context
from tests.conftest import DATA, JANUARY_2026
from tests.graphql import execute

DICTIONARY = """
{
  dataDictionary {
    source
    recordLength
    fields {
      name xlsxHeader layoutField layoutName layoutType start end length
      graphqlField codeTable meaning note
    }
    codeTables {
      name title columns rootField source
      values { code description category newInLayout source }
    }
  }
}
"""
TABLES_CSV = DATA / "tables"
LAYOUT_TXT = JANUARY_2026 / "HCPC2026_recordlayout.txt"
CORRECTED = {"Prodecure": "Procedure", "monitering": "monitoring"}
"""Two misspellings of the layout that the dictionary corrects."""


async def dictionary(context: Context) -> Any:
    return (await execute(context, DICTIONARY))["dataDictionary"]


async def test_the_fields_are_the_cms_record_layout(context: Context) -> None:
    found = await dictionary(context)
    with (TABLES_CSV / "record_layout.csv").open() as stream:
        layout = list(csv.DictReader(stream))
    assert [
        (f["name"], f["xlsxHeader"] or "", f["layoutField"], f["layoutName"], f["start"],
         f["end"], f["length"], f["layoutType"])
        for f in found["fields"]
    ] == [
        (row["column"], row["xlsx_header"], int(row["layout_field_no"]),
         # The shared table names field 1 after its modifier redefinition too.
         row["layout_name"].split(" (")[0], int(row["start_1based"]), int(row["end_1based"]),
         int(row["length"]), row["type"])
        for row in layout
    ]  # fmt: skip
    assert found["recordLength"] == 320
    assert sum(field["length"] for field in found["fields"]) == 320


def _plain(text: str) -> str:
    for wrong, right in CORRECTED.items():
        text = text.replace(wrong, right)
    return " ".join(text.split()).lower()


async def test_the_meanings_are_the_layouts_words(context: Context) -> None:
    layout = _plain(LAYOUT_TXT.read_text(encoding="latin-1"))
    found = await dictionary(context)
    meanings = [field["meaning"] for field in found["fields"]]
    assert [field["name"] for field in found["fields"] if field["meaning"] is None] == [
        "FILLER260",
        "FILLER294",
    ]
    for meaning in filter(None, meanings):
        for sentence in re.split(r"(?<=\.)\s+(?=[A-Z(])", meaning):
            assert _plain(sentence) in layout, sentence


async def test_each_graphql_field_is_a_field_of_code(context: Context) -> None:
    result = await schema.execute('{ __type(name: "Code") { fields { name } } }')
    assert result.data is not None
    code_fields = {field["name"] for field in result.data["__type"]["fields"]}
    found = await dictionary(context)
    served = [field["graphqlField"] for field in found["fields"] if field["graphqlField"]]
    assert set(served) <= code_fields
    assert [field["name"] for field in found["fields"] if not field["graphqlField"]] == [
        "SEQNUM",
        "FILLER260",
        "FILLER294",
    ]


async def test_every_code_table_with_its_values(context: Context) -> None:
    found = await dictionary(context)
    tables = {table["name"]: table for table in found["codeTables"]}
    assert list(tables) == [
        "record_identification", "pricing_indicator", "multiple_pricing_indicator",
        "lab_certification", "coverage", "asc_payment_group", "mog_payment_group",
        "mog_payment_policy_indicator", "processing_note", "betos", "betos_category",
        "type_of_service", "action_code",
    ]  # fmt: skip
    assert set(TABLES) < set(tables)
    for name in TABLES:
        assert [(value["code"], value["description"]) for value in tables[name]["values"]] == [
            (value.code, value.description)
            for value in sorted(code_table(name).values(), key=lambda value: value.code)
        ]
    # Each field's code table is listed.
    assert {field["codeTable"] for field in found["fields"]} - {None} <= set(tables)
    assert tables["coverage"] == {
        "name": "coverage",
        "title": "Coverage",
        "columns": ["COV"],
        "rootField": "coverageCodes",
        "source": 'HCPC2026_recordlayout.txt (CMS, "HCPCS Contractor Record - 2026", as of '
        "11/12/2025), field 16 (COV)",
        "values": [
            {"code": code, "description": text, "category": None, "newInLayout": None,
             "source": None}
            for code, text in [
                ("C", "Carrier judgment"),
                ("D", "Special coverage instructions apply"),
                ("I", "Not payable by Medicare"),
                ("M", "Non-covered by Medicare"),
                ("S", "Non-covered by Medicare statute"),
            ]
        ],
    }  # fmt: skip


async def test_the_record_identification_codes(context: Context) -> None:
    found = await dictionary(context)
    [table] = [t for t in found["codeTables"] if t["name"] == "record_identification"]
    with (TABLES_CSV / "record_identification_code.csv").open() as stream:
        expected = [
            (row["code"], " ".join(row["description"].split())) for row in csv.DictReader(stream)
        ]
    assert [(value["code"], value["description"]) for value in table["values"]] == expected


async def test_values_new_in_the_2026_layout(context: Context) -> None:
    found = await dictionary(context)
    source = (
        "The 2026 record layout (HCPC2026_recordlayout.txt) lists it; the CMS record layouts of "
        "2017, 2018 and 2019 do not"
    )
    assert [
        (table["name"], value)
        for table in found["codeTables"]
        for value in table["values"]
        if value["newInLayout"] is not None
    ] == [
        (
            "pricing_indicator",
            {
                "code": "40",
                "description": "Lymphedema Compression Treatment Items (eff 1/1/2024)",
                "category": "Durable Medical Equipment, Prosthetics, Orthotics, Supplies And "
                "Surgical Dressings",
                "newInLayout": 2026,
                "source": source,
            },
        ),
        (
            "betos",
            {
                "code": "O1L",
                "description": "Lymphedema Compression Treatment Items (eff 1/1/2024)",
                "category": "O",
                "newInLayout": 2026,
                "source": source,
            },
        ),
    ]
