"""GraphiQL in headless Chromium (Debian's `chromium`): the page from the running server renders,
runs its ready example queries and shows their answers, and asks no other host."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.async_api import (
    Browser,
    ConsoleMessage,
    Error,
    Page,
    Request,
    Response,
    expect,
)

from tests.browser import chromium

EXAMPLES = ["Code", "Typeahead", "ActiveImaging", "Changes", "Releases"]
A9597_LONG_DESCRIPTION = (
    "Positron emission tomography radiopharmaceutical, diagnostic, for tumor identification,"
    " not otherwise classified"
)


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with chromium("the GraphiQL test") as launched:
        yield launched


@dataclass
class Visit:
    """A fresh page (no stored GraphiQL state) with what it asked for and what went wrong."""

    page: Page
    origin: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def elsewhere(self) -> list[str]:
        """The requests to anything but the server itself (a CDN, another host)."""
        return [url for url in self.requests if not url.startswith(f"{self.origin}/")]

    def requested(self, request: Request) -> None:
        self.requests.append(request.url)

    def failed(self, request: Request) -> None:
        self.problems.append(f"failed: {request.url} ({request.failure})")

    def answered(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status}: {response.url}")

    def logged(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def raised(self, error: Error) -> None:
        self.problems.append(f"page error: {error}")


@pytest.fixture
async def visit(browser: Browser, server: str) -> AsyncIterator[Visit]:
    context = await browser.new_context()
    visit = Visit(await context.new_page(), server)
    visit.page.set_default_timeout(10_000)
    context.on("request", visit.requested)
    context.on("requestfailed", visit.failed)
    context.on("response", visit.answered)
    visit.page.on("console", visit.logged)
    visit.page.on("pageerror", visit.raised)
    await visit.page.goto(f"{server}/graphql")
    await expect(visit.page.locator(".graphiql-tab")).to_have_text(EXAMPLES, use_inner_text=True)
    yield visit
    await context.close()


async def run(page: Page, operation: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Presses the run button once the editor holds OPERATION; returns the request's body and
    the answer the result pane shows, checked to be the whole answer the server gave."""
    # GraphiQL reads the operation's name from the editor 100 ms after a change (a new tab's
    # query too); run before that, it sends the name of the query shown before.
    await page.wait_for_function(
        "name => document.querySelector('.graphiql-query-editor .CodeMirror')"
        ".CodeMirror.operationName === name",
        arg=operation,
    )
    async with page.expect_response(
        lambda response: (
            response.request.method == "POST"
            and "IntrospectionQuery" not in (response.request.post_data or "")
        )
    ) as answered:
        await page.locator(".graphiql-execute-button").click()
    response = await answered.value
    pane = page.locator(".result-window")
    await expect(pane).to_contain_text('"data"')
    shown = json.loads(await pane.locator(".CodeMirror").evaluate("e => e.CodeMirror.getValue()"))
    assert shown == await response.json()
    request = response.request.post_data_json
    assert isinstance(request, dict)
    return request, shown


async def test_the_first_example_runs_as_the_page_opens(visit: Visit) -> None:
    request, shown = await run(visit.page, "Code")
    assert (request["operationName"], shown.get("errors")) == ("Code", None)
    assert shown["data"]["code"]["code"] == "A9597"
    assert shown["data"]["code"]["longDescription"] == A9597_LONG_DESCRIPTION
    assert (visit.elsewhere(), visit.problems) == ([], [])


async def test_an_example_with_variables_runs_from_its_tab(visit: Visit) -> None:
    await visit.page.locator(".graphiql-tab", has_text="Typeahead").click()
    request, shown = await run(visit.page, "Typeahead")
    assert (request["operationName"], request["variables"]) == ("Typeahead", {"text": "pet tumor"})
    assert shown.get("errors") is None
    # PS first: A9597, a NOC code, comes after the specific codes.
    assert shown["data"]["search"]["edges"][0]["node"]["code"] == "PS"
    assert (visit.elsewhere(), visit.problems) == ([], [])
