"""http/setting_registry.py declares each setting once: the registry sets every field of
Settings, its defaults are the dataclass's, and each variable is named once."""

from __future__ import annotations

from dataclasses import fields

from hcpcs_graphql.domain.request_limits import Limits
from hcpcs_graphql.http.setting_registry import ADMISSION_SETTINGS, LIMIT_SETTINGS, SETTINGS
from hcpcs_graphql.http.settings import Settings
from hcpcs_graphql.services.admission import AdmissionSettings


def test_the_registry_sets_every_field() -> None:
    assert sorted(setting.attribute for setting in SETTINGS) == sorted(
        field.name for field in fields(Settings) if field.name not in {"limits", "admission"}
    )
    assert [setting.attribute for setting in LIMIT_SETTINGS] == [
        field.name for field in fields(Limits)
    ]
    assert [setting.attribute for setting in ADMISSION_SETTINGS] == [
        field.name for field in fields(AdmissionSettings)
    ]


def test_no_variable_is_named_twice() -> None:
    variables = [setting.variable for setting in (*SETTINGS, *LIMIT_SETTINGS, *ADMISSION_SETTINGS)]
    assert len(variables) == len(set(variables))


def test_the_defaults_are_the_dataclass_defaults() -> None:
    assert Settings.from_environment({}) == Settings()


def test_a_value_is_read_in_its_unit() -> None:
    settings = Settings.from_environment({"HCPCS_MAX_BODY_KB": "128", "HCPCS_MAX_COST": "7"})
    assert (settings.max_body_bytes, settings.limits.cost) == (128 * 1024, 7)
