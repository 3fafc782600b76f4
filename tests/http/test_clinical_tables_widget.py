"""NLM's autocomplete-lhc widget (npm, pinned in package.json, from node_modules) against the
real server's /api/hcpcs/v3/search, in headless Chromium: type, see suggestions, pick one. The
widget's files and its page come from a static server of the test's own, not from the app."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import AsyncIterator, Iterator

import pytest
from playwright.async_api import Browser, expect

from tests.browser import chromium
from tests.conftest import REPOSITORY

WIDGET = REPOSITORY / "node_modules" / "autocomplete-lhc"
# The widget's own test pages load these, in this order.
SCRIPTS = [
    "source/polyfill.js",
    "source/prototype_api.js",
    "source/jqueryLite.js",
    "source/effects.js",
    "source/observable.js",
    "source/screenReaderLog.js",
    "source/recordDataRequester.js",
    "source/fieldAlarms.js",
    "soundmanager/bonk.js",
    "source/autoCompBase.js",
    "source/autoCompPrefetch.js",
    "source/autoCompSearch.js",
    "source/autoCompEvents.js",
    "source/effectScroll.js",
    "source/event.simulate.js",
]


def page_html(api: str) -> str:
    scripts = "\n".join(f'<script src="/{script}"></script>' for script in SCRIPTS)
    return f"""<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="/source/auto_completion.css"></head>
<body><input id="hcpcs" type="text">
{scripts}
<script>new Def.Autocompleter.Search("hcpcs", "{api}/api/hcpcs/v3/search");</script>
</body></html>"""


@pytest.fixture(scope="module")
def widget_page(server: str) -> Iterator[str]:
    if not (WIDGET / "source" / "autoCompSearch.js").is_file():
        reason = "the widget test needs autocomplete-lhc: run `npm ci` (package.json)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; .ci/run does")
        pytest.skip(reason)
    page = page_html(server.rstrip("/")).encode()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/":
                self.send_response(200)
                self.send_header("content-type", "text/html; charset=utf-8")
                self.send_header("content-length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
                return
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:
            pass

    static = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(WIDGET))
    )
    thread = threading.Thread(target=static.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{static.server_address[1]}/"
    finally:
        static.shutdown()
        static.server_close()


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with chromium("the widget test") as launched:
        yield launched


async def test_type_see_suggestions_pick_one(browser: Browser, widget_page: str) -> None:
    page = await browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    await page.goto(widget_page)
    field = page.locator("#hcpcs")
    await field.click()
    await field.press_sequentially("oxygen concentrater", delay=20)
    # Each suggestion shows the display fields (code, display) as NLM's widget does.
    suggestions = page.locator("#completionOptions li")
    wanted = suggestions.filter(has_text="E1390 - Oxygen concentrator, single delivery port")
    await expect(wanted).to_have_count(1)
    assert await suggestions.count() > 1
    await wanted.click()
    await expect(field).to_have_value(re.compile(r"Oxygen concentrator, single delivery port"))
    assert problems == []
    await page.close()
