"""Comparing a source file, field by field, with what the database holds for its release."""

from __future__ import annotations

import sqlite3
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


def differences(db_path: Path, source: ReleaseSource) -> list[str]:
    """One line per difference between the source's primary file and the database."""
    stored = database_codes(db_path, source.release_id)
    lines = []
    if not stored:
        return [f"release {source.release_id} is not in {db_path}"]
    for record in source.primary.records():
        found = stored.pop(record.code, None)
        if found is None:
            lines.append(f"{record.code}: in {source.primary.name}, not in the database")
            continue
        for column, value in record.as_dict().items():
            if found[column] != value:
                lines.append(f"{record.code} {column}: file {value!r}, database {found[column]!r}")
    lines.extend(
        f"{code}: in the database, not in {source.primary.name}" for code in sorted(stored)
    )
    return lines
