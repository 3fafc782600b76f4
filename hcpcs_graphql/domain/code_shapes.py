"""What a code's shape tells before it is looked up: codes that the CMS HCPCS Level II file
cannot hold (CPT, the AMA's Level I, and CDT, the ADA's dental codes: the file has neither), and
text that looks like a code or like words."""

from __future__ import annotations

import re

_CPT_CODE = re.compile(r"\d{4}[0-9FTUM]")
"""CPT: category I (five digits), category II (F), III (T), proprietary lab analyses (U),
multianalyte assays (M)."""
_CDT_CODE = re.compile(r"D\d{4}")
_CPT_MODIFIER = re.compile(r"\d[0-9A-Z]")
"""CPT modifiers (25, 59, 1P): every HCPCS Level II modifier starts with a letter."""
_CODE_LIKE = re.compile(r"[A-Z0-9]{4,6}")
_WORD = re.compile(r"[^\W\d_]{3,}")


def outside_file(code: str) -> str | None:
    """What the code is, by its shape, when the CMS file cannot hold it; None otherwise."""
    if _CPT_CODE.fullmatch(code):
        return "a CPT (Level I) code"
    if _CDT_CODE.fullmatch(code):
        return "a CDT (dental) code"
    return None


def outside_file_modifier(modifier: str) -> str | None:
    return "a CPT (Level I) modifier" if _CPT_MODIFIER.fullmatch(modifier) else None


def code_like(text: str) -> bool:
    """Four to six letters and digits: a code, perhaps mistyped (J9O35, 9035, J90355)."""
    return bool(_CODE_LIKE.fullmatch(text.strip().upper())) and not words_like(text)


def words_like(text: str) -> bool:
    """Words rather than a code: a word of three letters or more, and blanks or no digit."""
    stripped = text.strip()
    has_word = bool(_WORD.search(stripped))
    return has_word and (" " in stripped or not any(char.isdigit() for char in stripped))
