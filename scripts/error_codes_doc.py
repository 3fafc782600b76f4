"""The table of error codes that cog writes into docs/errors.md, from the enum."""

from __future__ import annotations

import cog  # type: ignore[import-not-found]

from hcpcs_graphql.domain.error_codes import ErrorCode


def error_code_table() -> None:
    cog.outl("| Code | HTTP status | Meaning |\n| --- | --- | --- |")
    for code in ErrorCode:
        status = "in the answer (200)" if code.status is None else str(code.status)
        cog.outl(f"| `{code}` | {status} | {code.description} |")
