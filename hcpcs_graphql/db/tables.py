"""The SQLite schema: releases, their source files, their codes (one row per code and release,
one column per CMS field), CMS's text of the values that do not parse, the full-text index of
their descriptions and the code tables.

The codes of a release are written in one statement, so their rowids are consecutive: the
release keeps their range, which restricts a full-text search to the release cheaply.

`prefix_rank` holds, for every one- and two-character word prefix, the release's codes in the
order a search for it ranks them (bm25, then code): typing one or two characters matches
thousands of codes, and ranking them on each keystroke would take longer than a keystroke."""

from __future__ import annotations

import sqlite3

from hcpcs_graphql.domain.layout import DETAIL_FIELDS, FieldType

SCHEMA_VERSION = 4

_SQL_TYPES = {FieldType.TEXT: "text", FieldType.DATE: "text", FieldType.INTEGER: "integer"}

CODE_COLUMNS: tuple[str, ...] = (
    "release_id",
    "code",
    "kind",
    "long_description",
    *(field.column for field in DETAIL_FIELDS),
)

_DETAIL_DDL = ",\n    ".join(f"{field.column} {_SQL_TYPES[field.type]}" for field in DETAIL_FIELDS)

DDL = f"""
create table if not exists meta (
    key text primary key,
    value text not null
) strict;

create table if not exists release (
    id text primary key,
    effective_date text not null,
    loaded_at text not null,
    code_count integer not null,
    procedure_count integer not null,
    modifier_count integer not null,
    first_rowid integer not null,
    last_rowid integer not null
) strict;

create table if not exists release_file (
    release_id text not null,
    name text not null,
    role text not null,
    sha256 text not null,
    size integer not null,
    primary key (release_id, name)
) strict;

create table if not exists release_note (
    release_id text not null,
    kind text not null,
    message text not null
) strict;

create table if not exists code (
    release_id text not null,
    code text not null,
    kind text not null,
    long_description text not null,
    {_DETAIL_DDL},
    unique (release_id, code)
) strict;

-- A value of a code that does not parse (its typed column holds null): CMS's text as in the
-- file, spaces kept, under the field's column, and why it does not parse.
create table if not exists code_defect (
    release_id text not null,
    code text not null,
    field text not null,
    cms_text text not null,
    reason text not null,
    primary key (release_id, code, field)
) strict, without rowid;

create virtual table if not exists code_fts using fts5(
    short_description,
    long_description,
    content = 'code',
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

create virtual table if not exists code_fts_vocabulary using fts5vocab(code_fts, 'row');

create table if not exists prefix_rank (
    release_id text not null,
    prefix text not null,
    position integer not null,
    code_rowid integer not null,
    primary key (release_id, prefix, position)
) strict, without rowid;

create table if not exists code_value (
    code_table text not null,
    code text not null,
    description text,
    category text,
    primary key (code_table, code)
) strict, without rowid;
"""


class SchemaVersionError(Exception):
    pass


def create_schema(connection: sqlite3.Connection) -> None:
    """Create the tables that are missing, inside the caller's transaction."""
    for statement in DDL.split(";"):
        if statement.strip():
            connection.execute(statement)
    row = connection.execute("select value from meta where key = 'schema_version'").fetchone()
    if row is None:
        connection.execute(
            "insert into meta (key, value) values ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
    elif row[0] != str(SCHEMA_VERSION):
        raise SchemaVersionError(
            f"the database has schema version {row[0]}, this program writes {SCHEMA_VERSION}:"
            " load into a new file"
        )
