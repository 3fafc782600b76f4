"""The release zips listed on CMS's quarterly-update page, found by parsing the page's links (a
URL made from a template 404s on real quarters: CMS names some zips `...-files.zip`, and re-posts
corrected ones under another name)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from hcpcs_graphql.ingest.names import release_from_container_name

CMS_PAGE = (
    "https://www.cms.gov/medicare/coding-billing/healthcare-common-procedure-system/"
    "quarterly-update"
)
"""Where CMS lists the HCPCS Level II releases it has published."""

# /files/zip/october-2026-alpha-numeric-hcpcs-file.zip, ...-files.zip, ...-file-corrected.zip
_RELEASE_ZIP = re.compile(r"alpha-numeric-hcpcs-files?\b[^/]*\.zip$", re.IGNORECASE)
_REPOST = re.compile(r"(?:correct|updat|revis)|[-_]v(?P<version>\d+)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ReleaseLink:
    release_id: str
    url: str

    @property
    def name(self) -> str:
        return unquote(PurePosixPath(urlsplit(self.url).path).name)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def _repost(name: str) -> int:
    """0 for a first post; higher for a corrected re-post (v2, v3, or corrected)."""
    found = _REPOST.search(PurePosixPath(name).stem)
    if found is None:
        return 0
    return int(found["version"]) if found["version"] else 2


def release_links(html: str, page_url: str) -> list[ReleaseLink]:
    """The release zips the page links to, one per release (a corrected re-post rather than the
    first post), oldest first."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    best: dict[str, tuple[int, int, ReleaseLink]] = {}
    for order, href in enumerate(parser.hrefs):
        url = urljoin(page_url, href.strip())
        name = unquote(PurePosixPath(urlsplit(url).path).name)
        if not _RELEASE_ZIP.search(name):
            continue
        release_id = release_from_container_name(name)
        if release_id is None:
            continue
        rank = (_repost(name), order)
        if release_id not in best or rank > best[release_id][:2]:
            best[release_id] = (*rank, ReleaseLink(release_id, url))
    return [best[release_id][2] for release_id in sorted(best)]
