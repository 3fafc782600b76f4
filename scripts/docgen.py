"""What cog writes into the docs (`cog -r -I scripts docs/*.md`): text generated from the code,
so that the pages cannot drift from it. A test runs `cog --check`."""

from __future__ import annotations

import argparse
import os

import cog  # type: ignore[import-not-found]

from hcpcs_graphql.cli.main import parser
from hcpcs_graphql.http.setting_kinds import Page
from hcpcs_graphql.http.setting_registry import ADMISSION_SETTINGS, LIMIT_SETTINGS, SETTINGS


def cli_reference() -> None:
    """Every command's help, as `hcpcs COMMAND --help` prints it at 100 columns."""
    os.environ["COLUMNS"] = "100"
    root = parser()
    commands = next(
        action for action in root._actions if isinstance(action, argparse._SubParsersAction)
    )
    cog.outl(f"```text\n{root.format_help().rstrip()}\n```\n")
    for name, command in commands.choices.items():
        cog.outl(f"## hcpcs {name}\n\n```text\n{command.format_help().rstrip()}\n```\n")


def settings_table(page: str) -> None:
    """The settings the page lists (http/setting_registry.py: SETTINGS, LIMIT_SETTINGS and
    ADMISSION_SETTINGS), as a table."""
    wanted = Page(page)
    cog.outl("| variable | default | at least | unit | meaning |\n|---|---|---|---|---|")
    for setting in (*SETTINGS, *LIMIT_SETTINGS, *ADMISSION_SETTINGS):
        if setting.page is wanted:
            cog.outl(
                f"| `{setting.variable}` | {setting.shown_default} | {setting.shown_least} "
                f"| {setting.unit} | {setting.description} |"
            )
