"""What a client sees of an error, and what the log keeps.

A client's mistake (a bad argument, a query too large, a syntax error) is answered with its
message and logged in one line, without a traceback. Anything else is a fault of ours: the
client sees a reference, the log has the reference with the traceback."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry import Schema as StrawberrySchema
from strawberry.extensions import MaskErrors

from hcpcs_graphql.db.connection import is_statement_timeout
from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.services.errors import ClientError

logger = logging.getLogger("hcpcs_graphql")


def is_timeout(error: GraphQLError) -> bool:
    """SQLite stopped a statement that ran past its time limit (the progress handler)."""
    return is_statement_timeout(error.original_error)


def is_internal(error: GraphQLError) -> bool:
    original = error.original_error
    refused = isinstance(original, GraphQLError | ClientError) or is_timeout(error)
    return original is not None and not refused


def anonymised(error: GraphQLError) -> GraphQLError:
    reference = secrets.token_hex(6)
    logger.error("internal error %s at %s", reference, error.path, exc_info=error.original_error)
    return GraphQLError(
        message=f"Internal error (reference {reference}): the server could not answer.",
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": ErrorCode.INTERNAL_SERVER_ERROR, "reference": reference},
    )


def masked(errors: list[GraphQLError]) -> list[GraphQLError]:
    """What MaskErrors makes of a result's errors (the prepared operation's)."""
    return [anonymised(error) if is_internal(error) else error for error in errors]


class InternalErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=is_internal)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return anonymised(error)


def client_code(error: GraphQLError) -> str:
    """The error's stable `extensions.code`: ours, or one for graphql-core's own errors."""
    if isinstance(error.original_error, ClientError):
        return error.original_error.code
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    if is_timeout(error):
        return ErrorCode.STATEMENT_TIMEOUT
    if isinstance(error, GraphQLSyntaxError):
        return ErrorCode.GRAPHQL_PARSE_FAILED
    return ErrorCode.GRAPHQL_VALIDATION_FAILED


class Schema(StrawberrySchema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        rejected = [error for error in errors if not is_internal(error)]
        for error in rejected:
            error.extensions = {**(error.extensions or {}), "code": client_code(error)}
            if is_timeout(error):
                error.message = ErrorCode.STATEMENT_TIMEOUT.description
        if rejected:
            logger.info(
                "rejected: %s",
                "; ".join(f"{client_code(error)}: {error.message}" for error in rejected),
            )
