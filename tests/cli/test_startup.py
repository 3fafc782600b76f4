"""What the command imports to start: a command's own module only, so that `hcpcs --help` and
`hcpcs load` import neither the server nor the GraphQL schema, and `hcpcs serve` not the loader.
Counted in a fresh interpreter, as modules, never timed."""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from hcpcs_graphql.cli.main import COMMANDS, main, parser
from tests.cli.run import run

SERVER_SIDE = ("uvicorn", "strawberry", "graphql", "starlette", "hcpcs_graphql.http.server")
LOADER_SIDE = ("hcpcs_graphql.db.loader", "hcpcs_graphql.ingest.fetch", "python_calamine")


def imported_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running CODE."""
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    return set(json.loads(output.splitlines()[-1]))


def holding(modules: set[str], packages: tuple[str, ...]) -> set[str]:
    return {name for name in modules if name.split(".")[0] in packages or name in packages}


def test_help_imports_no_command() -> None:
    modules = imported_after(
        "from hcpcs_graphql.cli.main import parser\nparser(['--help']).format_help()"
    )
    assert holding(modules, SERVER_SIDE + LOADER_SIDE) == set()
    assert {f"hcpcs_graphql.cli.{name}" for name in COMMANDS} & modules == set()


def test_serve_help_imports_serve_only() -> None:
    modules = imported_after(
        "from hcpcs_graphql.cli.main import parser\nparser(['serve', '--help']).format_help()"
    )
    assert "hcpcs_graphql.cli.serve" in modules
    assert holding(modules, SERVER_SIDE + LOADER_SIDE) == set()
    assert {f"hcpcs_graphql.cli.{name}" for name in COMMANDS if name != "serve"} & modules == set()


def test_load_imports_no_server() -> None:
    modules = imported_after(
        "from hcpcs_graphql.cli.main import parser\nparser(['load', '--help']).format_help()\n"
        "import hcpcs_graphql.cli.load"
    )
    assert "hcpcs_graphql.db.loader" in modules
    assert holding(modules, SERVER_SIDE) == set()


def subcommands(root: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in root._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_is_its_module() -> None:
    """Each name in COMMANDS is the command its module declares, listed in that order, and
    the whole parser (docs, tests) and the parser of one command agree."""
    assert list(subcommands(parser())) == list(COMMANDS)
    for name in COMMANDS:
        alone = subcommands(parser([name]))
        assert list(alone) == list(COMMANDS)
        assert alone[name].format_help() == subcommands(parser())[name].format_help()


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name, line in COMMANDS.items():
        assert name in out
        assert line.split()[0] in out


def test_serve_leaves_the_collector_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `hcpcs serve` turns the collector off while it starts; a start that fails turns it on.
    code, _, err = run(capsys, "serve", "--db", tmp_path / "missing.db")
    assert code == 2
    assert err.startswith("hcpcs: ")
    assert gc.isenabled()


def test_serve_on_the_default_stack_imports_its_parser_only() -> None:
    # What a worker imports to start on httptools: uvicorn's h11 protocol and h11 are not.
    modules = imported_after(
        "import hcpcs_graphql.http.server, hcpcs_graphql.http.app\n"
        "import hcpcs_graphql.http.httptools_protocol"
    )
    assert "hcpcs_graphql.http.httptools_protocol" in modules
    assert holding(modules, ("h11", "hcpcs_graphql.http.h11_protocol")) == set()


def test_the_app_imports_fhir_on_its_first_request() -> None:
    modules = imported_after("import hcpcs_graphql.http.app")
    assert {name for name in modules if name.startswith("hcpcs_graphql.http.fhir.")} == {
        "hcpcs_graphql.http.fhir.system"
    }


def test_the_app_imports_rapidfuzz_on_the_first_repair() -> None:
    # services/vocabulary.py: the first search with a word to repair imports it.
    modules = imported_after("import hcpcs_graphql.http.app")
    assert holding(modules, ("rapidfuzz",)) == set()
