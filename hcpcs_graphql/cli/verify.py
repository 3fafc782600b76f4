"""`hcpcs verify PATH`: compare a source file with the database, field by field. A difference is
printed with the field's name in the export (HCPC, PRICE1, ...) and its values as CMS writes
them (dates YYYYMMDD, RECID 3 or 7), then a closing count."""

from __future__ import annotations

import argparse
from pathlib import Path

from hcpcs_graphql.cli.common import Commands, Parents, sources
from hcpcs_graphql.db.connection import check_database
from hcpcs_graphql.db.verify import Changed, Missing, differences
from hcpcs_graphql.domain.export_format import COLUMNS, RECIDS
from hcpcs_graphql.domain.layout import DETAIL_FIELDS, HCPC, LONG_DESCRIPTION, RECID, FieldType
from hcpcs_graphql.domain.records import Value

BLANK = "(blank)"

# A record's keys (CodeRecord.as_dict) are the database's columns: the code and its kind stand
# where the layout has HCPC and RECID.
_FIELDS = {
    "code": HCPC,
    "kind": RECID,
    LONG_DESCRIPTION.column: LONG_DESCRIPTION,
    **{field.column: field for field in DETAIL_FIELDS},
}
_NAMES = dict(zip(_FIELDS, COLUMNS, strict=True))


def cms_text(column: str, value: Value) -> str:
    """VALUE as the CMS file writes it."""
    field = _FIELDS[column]
    if value is None or value == "":
        return BLANK
    if field is RECID:
        return RECIDS[str(value)]
    if field.type is FieldType.DATE:
        return str(value).replace("-", "")
    return str(value)


def line(difference: Changed | Missing, file_name: str) -> str:
    if isinstance(difference, Missing):
        if difference.from_database:
            return f"{difference.code}: in {file_name}, not in the database"
        return f"{difference.code}: in the database, not in {file_name}"
    column = difference.column
    return (
        f"{difference.code} {_NAMES[column]}: file {cms_text(column, difference.in_file)}, "
        f"database {cms_text(column, difference.in_database)}"
    )


def add(commands: Commands, parents: Parents, help: str) -> None:
    command = commands.add_parser(
        "verify",
        parents=[parents.db, parents.release],
        help=help,
        description="Re-read a release's source file and compare every code and field with the "
        "database; print each difference (the field's name as the export writes it, the values "
        "as CMS does) and their count, and exit 1 if there is any.",
    )
    command.add_argument("path", type=Path, metavar="PATH")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    check_database(args.db)
    different = False
    for source in sources([args.path], args.release):
        release_id, file_name = source.release_id, source.primary.name
        found = differences(args.db, source)
        if found is None:
            print(f"release {release_id}: not in {args.db}")
            different = True
            continue
        for difference in found:
            print(f"{release_id} {line(difference, file_name)}")
        if found:
            count = f"{len(found):,} difference{'s' if len(found) > 1 else ''}"
            print(f"release {release_id}: {count} between {file_name} and {args.db}")
            different = True
        else:
            print(f"release {release_id}: {file_name} matches {args.db}")
    return 1 if different else 0
