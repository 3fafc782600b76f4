"""GraphiQL's page, served with its assets from this server (no CDN: hospitals and air-gapped
networks block them), and the Content-Security-Policy it needs: its scripts and styles from this
server, its one inline script and style allowed by their hashes, queries to this server only,
and no framing."""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser
from pathlib import Path

STATIC = Path(__file__).with_name("static")
PAGE = (STATIC / "graphiql" / "index.html").read_text(encoding="utf-8")


class _InlineParts(HTMLParser):
    """The contents of the page's inline <script> and <style> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: str | None = None
        self.parts: dict[str, list[str]] = {"script": [], "style": []}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.parts and not any(name == "src" for name, _ in attrs):
            self.open = tag
            self.parts[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        self.open = None

    def handle_data(self, data: str) -> None:
        if self.open is not None:
            self.parts[self.open][-1] += data


def _hashes(parts: list[str]) -> str:
    return " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(part.encode()).digest()).decode() + "'"
        for part in parts
    )


def _policy(page: str) -> str:
    found = _InlineParts()
    found.feed(page)
    found.close()
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' {_hashes(found.parts['script'])}",
            # GraphiQL's editor (CodeMirror) sets style attributes as it lays out the text.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


POLICY = _policy(PAGE)
