"""The stack `hcpcs serve` runs on: HCPCS_STACK, then the default (http/stacks.py); `--stack`
wins over both; a bad value stops the command with one line naming the variable."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from hcpcs_graphql.cli.main import main
from hcpcs_graphql.http import server
from hcpcs_graphql.http.setting_kinds import SettingsError
from hcpcs_graphql.http.settings import Settings
from hcpcs_graphql.http.stacks import DEFAULT_STACK, STACKS
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stack") / "hcpcs.db"
    assert main(["load", str(FIXTURES), "--db", str(path)]) == 0
    return path


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The stack of each `hcpcs serve` run, with the server itself not started."""
    stacks: list[str] = []

    def serve(db: Path, host: str, port: int, workers: int, stack: str) -> None:
        assert not gc.isenabled()  # the start runs with the collector off
        stacks.append(stack)

    monkeypatch.setattr(server, "serve", serve)
    return stacks


def test_the_setting() -> None:
    assert Settings.from_environment({}).stack == DEFAULT_STACK
    for stack in STACKS:
        assert Settings.from_environment({"HCPCS_STACK": stack}).stack == stack
    with pytest.raises(SettingsError, match=r"^HCPCS_STACK must be asyncio, httptools or uvloop"):
        Settings.from_environment({"HCPCS_STACK": "trio"})


def test_environment_then_option(
    db: Path, started: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["serve", "--db", str(db), "--workers", "1"]) == 0
    monkeypatch.setenv("HCPCS_STACK", "httptools")
    assert main(["serve", "--db", str(db), "--workers", "1"]) == 0
    assert main(["serve", "--db", str(db), "--workers", "1", "--stack", "asyncio"]) == 0
    assert started == [DEFAULT_STACK, "httptools", "asyncio"]
    assert gc.isenabled()


def test_a_bad_stack_stops_serve(
    db: Path,
    started: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HCPCS_STACK", "trio")
    assert main(["serve", "--db", str(db)]) == 2
    assert capsys.readouterr().err == (
        "hcpcs: HCPCS_STACK must be asyncio, httptools or uvloop, not 'trio'\n"
    )
    assert started == []
