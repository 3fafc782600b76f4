"""Finding the release zips on a page shaped like CMS's quarterly-update page."""

from __future__ import annotations

from hcpcs_graphql.ingest.cms_page import CMS_PAGE, ReleaseLink, release_links
from tests.fake_cms import PAGE

ZIPS = "https://www.cms.gov/files/zip"


def test_each_release_once_the_corrected_re_post_and_the_files_zip() -> None:
    assert release_links(PAGE, CMS_PAGE) == [
        ReleaseLink("2026-01", f"{ZIPS}/january-2026-alpha-numeric-hcpcs-file.zip"),
        ReleaseLink("2026-04", f"{ZIPS}/april-2026-alpha-numeric-hcpcs-files.zip"),
        ReleaseLink("2026-07", f"{ZIPS}/july-2026-alpha-numeric-hcpcs-file.zip"),
        ReleaseLink("2026-10", f"{ZIPS}/october-2026-alpha-numeric-hcpcs-file-corrected.zip"),
    ]


def test_a_v2_re_post_wins_whatever_the_order_and_odd_markup_is_parsed() -> None:
    html = (
        "<ul><li><A HREF='/files/zip/july-2025-alpha-numeric-hcpcs-file-v2.zip'>v2</A>"
        '<li><a class=x href="/files/zip/july-2025-alpha-numeric-hcpcs-file.zip">first'
        '<li><a href="/files/zip/hcpcs-record-layout.zip">layout</a><a>no link</a></ul>'
    )
    (link,) = release_links(html, "http://127.0.0.1:1/page")
    assert (link.release_id, link.name) == ("2025-07", "july-2025-alpha-numeric-hcpcs-file-v2.zip")
    assert link.url == "http://127.0.0.1:1/files/zip/july-2025-alpha-numeric-hcpcs-file-v2.zip"


def test_a_page_without_release_links_gives_none() -> None:
    assert release_links("<html><body><p>Moved</p></body></html>", CMS_PAGE) == []
