"""The candidates of a code's shape, in their order, and what a code's shape tells."""

from __future__ import annotations

import pytest

from hcpcs_graphql.domain.code_shapes import (
    code_like,
    outside_file,
    outside_file_modifier,
    words_like,
)
from hcpcs_graphql.services.suggestions import shape_candidates


def test_candidates_of_a_five_character_code_in_order() -> None:
    found = shape_candidates("j9036")
    # An O for the zero first, then two neighbours swapped, then one character changed: the
    # rightmost first, the closest character first (digits for a digit, then the letters).
    assert found[:9] == [
        "J9O36", "9J036", "J0936", "J9306", "J9063", "J9035", "J9037", "J9034", "J9038"
    ]  # fmt: skip
    assert found[14:17] == ["J903A", "J903B", "J903C"]
    assert len(found) == len(set(found)) == 4 + 5 * 35
    assert "J9036" not in found


def test_typo_repairs_come_first() -> None:
    assert shape_candidates("J9O35")[0] == "J9035"
    assert shape_candidates("9035")[:3] == ["A9035", "B9035", "C9035"]


def test_one_character_too_many_or_too_few() -> None:
    assert shape_candidates("J90355") == ["J9035", "J9055", "J9355", "J0355", "90355"]
    assert shape_candidates("J935")[:3] == ["J9350", "J9351", "J9352"]
    assert len(shape_candidates("J935")) == len(set(shape_candidates("J935")))


@pytest.mark.parametrize("text", ["LT", "J9", "bevacizumab", "J9035 LT", "", "J903555"])
def test_no_candidates_for_what_is_not_a_code(text: str) -> None:
    assert shape_candidates(text) == []


@pytest.mark.parametrize(
    ("code", "shape"),
    [
        ("99213", "a CPT (Level I) code"),
        ("0001U", "a CPT (Level I) code"),
        ("0042T", "a CPT (Level I) code"),
        ("3008F", "a CPT (Level I) code"),
        ("0002M", "a CPT (Level I) code"),
        ("D0120", "a CDT (dental) code"),
        ("J9035", None),
        ("9921", None),
        ("A0021", None),
    ],
)
def test_codes_outside_the_file(code: str, shape: str | None) -> None:
    assert outside_file(code) == shape


@pytest.mark.parametrize(("modifier", "outside"), [("25", True), ("1P", True), ("LT", False)])
def test_modifiers_outside_the_file(modifier: str, outside: bool) -> None:
    assert (outside_file_modifier(modifier) is not None) == outside


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("J9035", True, False),
        ("j9o35", True, False),
        ("9035", True, False),
        ("bevacizumab", False, True),
        ("pet scan", False, True),
        ("J9035 injection", False, True),
        ("LT", False, False),
        ("ABCDE", False, True),
    ],
)
def test_code_or_words(text: str, code: bool, words: bool) -> None:
    assert (code_like(text), words_like(text)) == (code, words)
