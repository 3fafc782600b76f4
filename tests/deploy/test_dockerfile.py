"""deploy/Dockerfile (docker does not run here: what can be checked without it)."""

from __future__ import annotations

import json

from hcpcs_graphql.cli.main import parser
from tests.conftest import REPOSITORY

DOCKERFILE = REPOSITORY / "deploy" / "Dockerfile"


def instructions() -> dict[str, str]:
    """The last argument of each instruction, by name (lines continued with \\ joined)."""
    joined = DOCKERFILE.read_text().replace("\\\n", " ")
    found: dict[str, str] = {}
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, argument = line.strip().partition(" ")
            found[name.upper()] = argument.strip()
    return found


def test_the_command_is_one_hcpcs_accepts() -> None:
    command = json.loads(instructions()["CMD"])  # the exec form: a JSON array
    assert command[0] == "hcpcs"
    args = parser().parse_args(command[1:])
    assert (args.command, args.host, args.port, args.workers) == ("serve", "0.0.0.0", 8000, None)
    assert instructions()["EXPOSE"] == str(args.port)
