"""The parts of the docs that are generated from the code (cog blocks) are not stale."""

from __future__ import annotations

from cogapp import Cog  # type: ignore[import-untyped]

from tests.conftest import REPOSITORY

GENERATED = sorted(
    str(page)
    for page in (REPOSITORY / "docs").glob("**/*.md")
    if "[[[cog" in page.read_text(encoding="utf-8")
)


def test_some_pages_are_generated() -> None:
    assert GENERATED


def test_generated_pages_are_current() -> None:
    status = Cog().main(["cog", "--check", "-I", str(REPOSITORY / "scripts"), *GENERATED])
    assert status == 0, "stale: run .venv/bin/cog -r -I scripts docs/*.md"
