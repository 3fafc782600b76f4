"""Comparing a source file, field by field, with what the database holds for its release."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from hcpcs_graphql.db.tables import CODE_COLUMNS
from hcpcs_graphql.domain.records import Value
from hcpcs_graphql.ingest.sources import ReleaseSource


def database_codes(db_path: Path, release_id: str) -> dict[str, dict[str, Value]]:
    connection = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        cursor = connection.execute(
            f"select {', '.join(CODE_COLUMNS)} from code where release_id = ?", (release_id,)
        )
        return {
            row[1]: dict(zip(CODE_COLUMNS[1:], row[1:], strict=True)) for row in cursor.fetchall()
        }
    finally:
        connection.close()


@dataclass(frozen=True, slots=True)
class Changed:
    code: str
    column: str
    in_file: Value
    in_database: Value


@dataclass(frozen=True, slots=True)
class Missing:
    code: str
    from_database: bool
    """True: the file has the code and the database not; False: the other way round."""


def differences(db_path: Path, source: ReleaseSource) -> list[Changed | Missing] | None:
    """Each difference between the source's primary file and the database, in the file's code
    order; None when the database does not hold the source's release."""
    stored = database_codes(db_path, source.release_id)
    if not stored:
        return None
    found: list[Changed | Missing] = []
    for record in source.primary.records():
        values = stored.pop(record.code, None)
        if values is None:
            found.append(Missing(record.code, from_database=True))
            continue
        found.extend(
            Changed(record.code, column, value, values[column])
            for column, value in record.as_dict().items()
            if values[column] != value
        )
    found.extend(Missing(code, from_database=False) for code in sorted(stored))
    return found
