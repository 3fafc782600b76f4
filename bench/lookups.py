"""The single-code lookup over GET that the cache, stack and nginx benches send, as a browser
would: its URL, wrk's scripts that send it (the same URL, or a new one every request), and the
codes the distinct requests cycle through."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from paths import BenchError
from queries import spread
from releases import read_release
from wrk import WRK_DONE

RELEASE = "2026-01"
DISTINCT_CODES = 600
LOOKUP_CODE = "A9597"

LOOKUP_QUERY = (
    f'query($code: String!) {{ code(code: $code, release: "{RELEASE}") {{'
    " code shortDescription coverage { code description } } }"
)


# (b): GET the single-code lookup, cycling through the codes (one a line), with a number in the
# variables that the document does not use, so that no two requests (in any run: wrk passes a
# base per run) have the same cache key and the response store never answers.
DISTINCT_SCRIPT = (
    """
local codes_file = __CODES__
local prefix = __PREFIX__
local codes = {}
local next_index = 0
local nonce = 0

function init(args)
  for line in io.lines(codes_file) do
    codes[#codes + 1] = line
  end
  nonce = tonumber(args[1])
end

function request()
  next_index = next_index % #codes + 1
  nonce = nonce + 1
  local variables = string.format(
    "%%7B%%22code%%22%%3A%%22%s%%22%%2C%%22nonce%%22%%3A%.0f%%7D", codes[next_index], nonce)
  return wrk.format("GET", prefix .. variables)
end
"""
    + WRK_DONE
)


# The attacks: the same POST every time (the body read from a file).
POST_SCRIPT = (
    """
local body_file = io.open(__BODY__, "rb")
wrk.method = "POST"
wrk.body = body_file:read("*a")
body_file:close()
wrk.headers["Content-Type"] = "application/json"
"""
    + WRK_DONE
)


def variables_path(variables: dict[str, Any]) -> str:
    """/graphql?query=LOOKUP_QUERY&variables=..., as a browser would send it."""
    return "/graphql?" + urlencode(
        {"query": LOOKUP_QUERY, "variables": json.dumps(variables, separators=(",", ":"))},
        quote_via=quote,
    )


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII is a valid Lua string


LOOKUP_PATH = variables_path({"code": LOOKUP_CODE})
"""The single-code lookup every request of the same-URL variants sends."""


def distinct_codes(db: Path) -> list[str]:
    """DISTINCT_CODES codes spread evenly over the newest release, which must be RELEASE."""
    with read_release(db, RELEASE) as (connection, _):
        codes = [
            code
            for (code,) in connection.execute(
                "select code from code where release_id = ? order by code", (RELEASE,)
            )
        ]
    if len(codes) < DISTINCT_CODES:
        raise BenchError(f"{db}: fewer than {DISTINCT_CODES} codes")
    chosen = spread(codes, DISTINCT_CODES)
    if any(not code.isalnum() for code in chosen):
        raise BenchError("a code that is not letters and digits: the Lua script can't send it")
    return chosen


class Nonces:
    """A fresh base for the unused variable of (b), per wrk run."""

    def __init__(self) -> None:
        self.next = 0

    def take(self) -> str:
        self.next += 1
        return str(self.next * 1_000_000_000)


def write_distinct_script(work: Path, codes: list[str]) -> Path:
    """DISTINCT_SCRIPT cycling through CODES (the codes file written beside it)."""
    codes_file = work / "codes.txt"
    codes_file.write_text("".join(f"{code}\n" for code in codes))
    prefix = variables_path({"code": "X"}).rsplit("=", 1)[0] + "="
    script = work / "distinct.lua"
    script.write_text(
        DISTINCT_SCRIPT.replace("__CODES__", lua_string(str(codes_file))).replace(
            "__PREFIX__", lua_string(prefix)
        )
    )
    return script


def write_post_script(work: Path, name: str, body: bytes) -> Path:
    """POST_SCRIPT sending BODY (the body file written beside it)."""
    body_file = work / f"{name}.body"
    body_file.write_bytes(body)
    script = work / f"{name}.lua"
    script.write_text(POST_SCRIPT.replace("__BODY__", lua_string(str(body_file))))
    return script
