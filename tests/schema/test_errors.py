"""What clients see of errors, and what the log keeps."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from hcpcs_graphql.db.connection import connect_read_only
from hcpcs_graphql.schema.schema import schema
from hcpcs_graphql.services.catalog import Catalog
from hcpcs_graphql.services.context import Context, make_context

CODE = "query($code: String!) { code(code: $code) { code } }"


async def test_no_field_suggestions(context: Context) -> None:
    result = await schema.execute("{ cod }", context_value=context)
    assert [(error.message, error.extensions) for error in result.errors or []] == [
        ("Cannot query field 'cod' on type 'Query'.", {"code": "GRAPHQL_VALIDATION_FAILED"})
    ]


async def test_a_syntax_error_has_a_code(context: Context) -> None:
    result = await schema.execute("{ code(", context_value=context)
    assert [(error.message, error.extensions) for error in result.errors or []] == [
        ("Syntax Error: Expected Name, found <EOF>.", {"code": "GRAPHQL_PARSE_FAILED"})
    ]


async def test_a_client_error_is_one_log_line(
    context: Context, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="hcpcs_graphql")
    result = await schema.execute(CODE, variable_values={"code": 5}, context_value=context)
    assert result.errors is not None
    assert [
        (record.levelname, record.getMessage(), record.exc_info) for record in caplog.records
    ] == [
        (
            "INFO",
            "rejected: GRAPHQL_VALIDATION_FAILED: Variable '$code' has invalid value:"
            " String cannot represent a non string value: 5",
            None,
        )
    ]


async def test_an_internal_error_is_masked_with_a_reference(
    real_db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    connection = await connect_read_only(real_db)
    catalog = await Catalog.read(connection)
    await connection.close()  # every query now fails inside the server
    result = await schema.execute(
        CODE, variable_values={"code": "A9597"}, context_value=make_context(connection, catalog)
    )
    assert result.errors is not None
    (error,) = result.errors
    assert error.extensions is not None
    reference = error.extensions["reference"]
    assert (error.message, error.extensions) == (
        f"Internal error (reference {reference}): the server could not answer.",
        {"code": "INTERNAL_SERVER_ERROR", "reference": reference},
    )
    (record,) = [record for record in caplog.records if record.name == "hcpcs_graphql"]
    assert record.getMessage() == f"internal error {reference} at ['code']"
    assert record.exc_info is not None
