"""Each curl example of docs/fhir.md (a sh block with one curl command, followed by its json
block) is sent to the app, as curl would send it, and gives the JSON shown: a valid FHIR
resource, an OperationOutcome with a 4xx status for a refusal."""

from __future__ import annotations

import json
import re
import shlex
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import REPOSITORY
from tests.fhir_validation import validated

PAGE = REPOSITORY / "docs" / "fhir.md"
EXAMPLE = re.compile(r"```sh\n(?P<command>curl .*?)\n```\s*```json\n(?P<result>.*?)```", re.DOTALL)
EXAMPLES = [
    (match["command"], json.loads(match["result"])) for match in EXAMPLE.finditer(PAGE.read_text())
]


def test_the_page_has_examples_of_every_operation() -> None:
    paths = {urlsplit(_request(command)[1]).path for command, _ in EXAMPLES}
    assert paths == {
        "/fhir/CodeSystem/$lookup",
        "/fhir/CodeSystem/$validate-code",
        "/fhir/ValueSet/$validate-code",
        "/fhir/ValueSet/$expand",
        "/fhir/ConceptMap/$translate",
    }


def _request(command: str) -> tuple[str, str, dict[str, str], bytes | None]:
    """The method, URL, headers and body of a curl command (the options the page uses)."""
    words = shlex.split(command)
    method, headers, body, url = "GET", {}, None, None
    index = 1
    while index < len(words):
        word = words[index]
        if word == "-X":
            method, index = words[index + 1], index + 1
        elif word == "-H":
            name, _, value = words[index + 1].partition(":")
            headers[name.strip()] = value.strip()
            index += 1
        elif word == "-d":
            body, index = words[index + 1].encode(), index + 1
        elif word != "-s":
            assert url is None, f"an option the test does not know: {word}"
            url = word
        index += 1
    assert url is not None
    return method, url, headers, body


@pytest.mark.parametrize(("command", "expected"), EXAMPLES)
async def test_example(client: httpx.AsyncClient, command: str, expected: Any) -> None:
    method, url, headers, body = _request(command)
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    response = await client.request(method, target, headers=headers, content=body)
    refusal = expected["resourceType"] == "OperationOutcome"
    assert (400 <= response.status_code < 500) if refusal else response.status_code == 200
    assert validated(response, response.status_code) == expected
