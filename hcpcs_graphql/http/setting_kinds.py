"""The kinds of setting (a number, a list of names, an allow-list file): how each reads its
HCPCS_* variable and stops with one line naming it; setting_registry.py declares the settings."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from hcpcs_graphql.domain.unicode import lone_surrogate
from hcpcs_graphql.http.persisted_queries import document_hash

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
"""A header name (RFC 9110's token)."""


class SettingsError(ValueError):
    pass


class Page(Enum):
    """Where the docs list a setting (the settings table of each page is generated from
    SETTINGS: scripts/docgen.py)."""

    LIMITS = "docs/limits.md"
    OPERATIONS = "docs/operations.md"


@dataclass(frozen=True, slots=True)
class Variable:
    """What every kind of setting declares: its HCPCS_* variable, the attribute of Settings it is
    read into, what it sets and the docs page that lists it (by keyword, after the kind's own)."""

    variable: str
    attribute: str
    description: str = field(kw_only=True)
    page: Page = field(default=Page.LIMITS, kw_only=True)


@dataclass(frozen=True, slots=True)
class Number(Variable):
    """A number, in UNIT (SCALE of the attribute's own unit each), at least LEAST."""

    kind: type[int] | type[float]
    default: int | float
    least: int | float
    unit: str
    scale: int = 1

    @property
    def shown_default(self) -> str:
        whole = isinstance(self.default, float) and self.default.is_integer()
        return f"{int(self.default) if whole else self.default}"

    @property
    def shown_least(self) -> str:
        return f"{self.least}"

    def read(self, text: str) -> Any:
        if not text:
            return self.default * self.scale
        try:
            value: int | float | None = self.kind(text)
        except ValueError:
            value = None
        if value is None or not value >= self.least or value == float("inf"):
            whole = "a whole number" if self.kind is int else "a number"
            raise SettingsError(
                f"{self.variable} must be {whole}{f' of {self.unit}' if self.unit else ''}"
                f" of at least {self.least}, not {text!r}"
            )
        return value * self.scale


@dataclass(frozen=True, slots=True)
class Names(Variable):
    """A comma-separated list; blank, the default."""

    default: tuple[str, ...]
    shown_default: str
    header_names: bool = False
    shown_least = ""
    unit = "comma-separated"

    def read(self, text: str) -> Any:
        found = tuple(item.strip() for item in text.split(",") if item.strip())
        if not self.header_names:
            return found or self.default
        for header in found:
            if not _TOKEN.fullmatch(header):
                raise SettingsError(f"{self.variable}: {header!r} is not a header name")
        return tuple(header.lower() for header in found) or self.default


@dataclass(frozen=True, slots=True)
class AllowList(Variable):
    """A JSON file of the only documents accepted; blank accepts any document."""

    shown_default: str = "none"
    shown_least = ""
    unit = "a file"

    def read(self, text: str) -> Any:
        return _allow_list(text)


@dataclass(frozen=True, slots=True)
class Choice(Variable):
    """One of a few names; blank, the default."""

    choices: tuple[str, ...]
    default: str
    shown_least = ""

    @property
    def shown_default(self) -> str:
        return f"`{self.default}`"

    @property
    def unit(self) -> str:
        *first, last = (f"`{choice}`" for choice in self.choices)
        return f"{', '.join(first)} or {last}" if first else last

    def read(self, text: str) -> Any:
        if not text:
            return self.default
        if text not in self.choices:
            raise SettingsError(
                f"{self.variable} must be {self.unit.replace('`', '')}, not {text!r}"
            )
        return text


Setting = Number | Names | AllowList | Choice


def _allow_list(path: str) -> dict[str, str] | None:
    """The documents of an allow-list file (a JSON list of documents), by sha256."""
    if not path:
        return None
    try:
        documents = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(f"HCPCS_ALLOW_LIST: {path}: {error.strerror}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise SettingsError(f"HCPCS_ALLOW_LIST: {path}: not JSON ({error})") from None
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        raise SettingsError(f"HCPCS_ALLOW_LIST: {path}: must be a JSON list of documents")
    if lone_surrogate(documents):  # JSON can write one (\ud800); no document can hash it
        raise SettingsError(f"HCPCS_ALLOW_LIST: {path}: a document holds a lone surrogate")
    return {document_hash(document): document for document in documents}
