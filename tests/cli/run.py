"""The one way the tests run the `hcpcs` command, in process."""

from __future__ import annotations

from pathlib import Path

import pytest

from hcpcs_graphql.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """The exit code, standard output and standard error of `hcpcs ARGS`."""
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def run_binary(capsysbinary: pytest.CaptureFixture[bytes], *args: object) -> tuple[int, bytes, str]:
    """Like `run`, for a command whose output is bytes (an export)."""
    code = main([str(arg) for arg in args])
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


def loaded(capsys: pytest.CaptureFixture[str], db: Path, *sources: object) -> Path:
    """DB with SOURCES loaded into it by `hcpcs load`, which must succeed."""
    assert run(capsys, "load", *sources, "--db", db)[0] == 0
    return db
