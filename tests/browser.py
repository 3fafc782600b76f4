"""Debian's chromium for the browser tests (GraphiQL, the Clinical Tables widget), through
Playwright, kept to loopback."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, async_playwright

CHROMIUM = shutil.which("chromium")
# Any host but the server's resolves to nothing: a request elsewhere fails (and is reported)
# instead of leaving the machine.
ONLY_LOOPBACK = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@contextlib.asynccontextmanager
async def chromium(test: str) -> AsyncIterator[Browser]:
    """Chromium for the block; TEST (what needs it) is skipped without it, and fails in CI."""
    if CHROMIUM is None:
        reason = f"{test} needs Debian's chromium (`apt-get install chromium`)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; .ci/run installs it")
        pytest.skip(reason)
    async with async_playwright() as playwright:
        # Debian's build, not one that Playwright downloads.
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=[ONLY_LOOPBACK])
        yield browser
        await browser.close()
