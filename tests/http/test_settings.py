"""HCPCS_* settings: read once, and a bad value stops `hcpcs serve` with one clear line."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from hcpcs_graphql.cli.main import main
from hcpcs_graphql.domain.request_limits import Limits
from hcpcs_graphql.http.persisted_queries import document_hash
from hcpcs_graphql.http.setting_kinds import SettingsError
from hcpcs_graphql.http.settings import Settings
from hcpcs_graphql.services.admission import AdmissionSettings


def test_defaults() -> None:
    assert Settings.from_environment({}) == Settings(
        statement_seconds=1.0,
        request_seconds=10.0,
        max_body_bytes=64 << 10,
        cache_seconds=300,
        response_cache_bytes=64 << 20,
        row_cache=10_000,
        batch_max=0,
        cors_origins=("*",),
        allow_list=None,
    )


ALLOWED = "{ releases { id } }"
"""The one document of the allow list HCPCS_ALLOW_LIST names in test_values."""

# Each row: HCPCS_* variables as text, and what they set; all given at once in test_values.
VALUES: list[tuple[dict[str, str], dict[str, Any]]] = [
    ({"HCPCS_STATEMENT_SECONDS": "0.5"}, {"statement_seconds": 0.5}),
    ({"HCPCS_STATEMENT_STEPS": "3"}, {"statement_checks": 3}),
    ({"HCPCS_REQUEST_SECONDS": "2"}, {"request_seconds": 2.0}),
    ({"HCPCS_MAX_BODY_KB": "128"}, {"max_body_bytes": 128 << 10}),
    ({"HCPCS_CACHE_SECONDS": "0"}, {"cache_seconds": 0}),
    ({"HCPCS_RESPONSE_CACHE_MB": "8"}, {"response_cache_bytes": 8 << 20}),
    ({"HCPCS_ROW_CACHE": "0"}, {"row_cache": 0}),
    ({"HCPCS_BATCH_MAX": "10"}, {"batch_max": 10}),
    (
        {"HCPCS_CORS_ORIGINS": "https://a.example, https://b.example"},
        {"cors_origins": ("https://a.example", "https://b.example")},
    ),
    (
        {"HCPCS_MAX_DEPTH": "5", "HCPCS_MAX_COST": "100000"},
        {"limits": Limits(depth=5, cost=100_000)},
    ),
    (
        {"HCPCS_CORS_HEADERS": "Content-Type, X-Custom"},
        {"cors_headers": ("content-type", "x-custom")},
    ),
    ({"HCPCS_HEADER_SECONDS": "2.5"}, {"header_seconds": 2.5}),
    ({"HCPCS_KEEP_ALIVE_SECONDS": "30"}, {"keep_alive_seconds": 30}),
    ({"HCPCS_MAX_CONNECTIONS": "64"}, {"max_connections": 64}),
    ({"HCPCS_MAX_HEADER_KB": "8"}, {"max_header_bytes": 8 << 10}),
    ({"HCPCS_MAX_URL_KB": "4"}, {"max_url_bytes": 4 << 10}),
]


def test_values(tmp_path: Path) -> None:
    allowed = tmp_path / "allowed.json"
    allowed.write_text(json.dumps([ALLOWED]))
    environ = {"HCPCS_ALLOW_LIST": str(allowed)}
    expected: dict[str, Any] = {"allow_list": {document_hash(ALLOWED): ALLOWED}}
    for variables, fields in VALUES:
        environ |= variables
        expected |= fields
    assert Settings.from_environment(environ) == replace(Settings(), **expected)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("HCPCS_CACHE_SECONDS", "abc", "a whole number of seconds of at least 0, not 'abc'"),
        ("HCPCS_CACHE_SECONDS", "-1", "a whole number of seconds of at least 0, not '-1'"),
        ("HCPCS_CACHE_SECONDS", "1.5", "a whole number of seconds of at least 0, not '1.5'"),
        ("HCPCS_STATEMENT_SECONDS", "0", "a number of seconds of at least 0.001, not '0'"),
        ("HCPCS_STATEMENT_SECONDS", "nan", "a number of seconds of at least 0.001, not 'nan'"),
        ("HCPCS_REQUEST_SECONDS", "inf", "a number of seconds of at least 0.001, not 'inf'"),
        ("HCPCS_RESPONSE_CACHE_MB", "x", "a whole number of MiB of at least 0, not 'x'"),
        ("HCPCS_MAX_BODY_KB", "0", "a whole number of KiB of at least 1, not '0'"),
        ("HCPCS_MAX_TOKENS", "0", "a whole number of at least 1, not '0'"),
        ("HCPCS_MAX_ALIASES", "ten", "a whole number of at least 1, not 'ten'"),
        ("HCPCS_ROW_CACHE", "-5", "a whole number of rows of at least 0, not '-5'"),
        ("HCPCS_BATCH_MAX", "many", "a whole number of operations of at least 0, not 'many'"),
        ("HCPCS_HEADER_SECONDS", "0", "a number of seconds of at least 0.1, not '0'"),
        ("HCPCS_KEEP_ALIVE_SECONDS", "0", "a whole number of seconds of at least 1, not '0'"),
        ("HCPCS_MAX_CONNECTIONS", "0", "a whole number of connections of at least 1, not '0'"),
        ("HCPCS_MAX_HEADER_KB", "0", "a whole number of KiB of at least 1, not '0'"),
        ("HCPCS_MAX_URL_KB", "x", "a whole number of KiB of at least 1, not 'x'"),
    ],
)
def test_bad_numbers(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_environment({name: value})
    assert str(raised.value) == f"{name} must be {message}"


def test_cors_headers_are_header_names() -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_environment({"HCPCS_CORS_HEADERS": "content-type, x y"})
    assert str(raised.value) == "HCPCS_CORS_HEADERS: 'x y' is not a header name"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "No such file or directory"),
        (
            "{",
            "not JSON (Expecting property name enclosed in double quotes:"
            " line 1 column 2 (char 1))",
        ),
        ('{"a": 1}', "must be a JSON list of documents"),
        ("[1]", "must be a JSON list of documents"),
        ('["{ a }", "{ b\\ud800 }"]', "a document holds a lone surrogate"),
    ],
)
def test_bad_allow_lists(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "allowed.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(SettingsError) as raised:
        Settings.from_environment({"HCPCS_ALLOW_LIST": str(path)})
    assert str(raised.value) == f"HCPCS_ALLOW_LIST: {path}: {message}"


def test_serve_stops_on_a_bad_setting(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HCPCS_BATCH_MAX", "-1")
    assert main(["serve", "--db", str(real_db), "--port", "1"]) == 2
    assert capsys.readouterr().err == (
        "hcpcs: HCPCS_BATCH_MAX must be a whole number of operations of at least 0, not '-1'\n"
    )


def test_admission_settings() -> None:
    environ = {"HCPCS_HEAVY_COST": "0", "HCPCS_HEAVY_MAX": "3", "HCPCS_HEAVY_QUEUE": "0"}
    assert Settings.from_environment(environ).admission == AdmissionSettings(
        heavy_cost=0, heavy_max=3, heavy_queue=0
    )
    assert Settings.from_environment({}).admission == AdmissionSettings(
        heavy_cost=500, heavy_max=1, heavy_queue=64
    )
    with pytest.raises(SettingsError) as raised:
        Settings.from_environment({"HCPCS_HEAVY_MAX": "0"})
    assert str(raised.value) == (
        "HCPCS_HEAVY_MAX must be a whole number of operations of at least 1, not '0'"
    )
