"""A stand-in for CMS's web site on 127.0.0.1: a quarterly-update page shaped like CMS's (its
release links under /files/zip/, one quarter's zip called `...-files.zip`, a corrected re-post of
October) and the zips it links to, built at test time from the real January 2026 file under other
release ids (the file renamed as CMS names each quarter's)."""

from __future__ import annotations

import contextlib
import io
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGE_PATH = "/medicare/coding-billing/healthcare-common-procedure-system/quarterly-update"

# zip name: the ANWEB file name inside it (the January 2026 txt under each name)
RELEASE_ZIPS = {
    "january-2026-alpha-numeric-hcpcs-file.zip": "HCPC2026_JAN_ANWEB_01122026.txt",
    "april-2026-alpha-numeric-hcpcs-files.zip": "HCPC2026_APR_ANWEB.txt",
    "july-2026-alpha-numeric-hcpcs-file.zip": "HCPC2026_JUL_ANWEB_06122026.txt",
    "october-2026-alpha-numeric-hcpcs-file.zip": "HCPC2026_OCT_ANWEB_09232026.txt",
    "october-2026-alpha-numeric-hcpcs-file-corrected.zip": "HCPC2026_OCT_ANWEB_v2.txt",
}

PAGE = """<!DOCTYPE html>
<html lang="en" dir="ltr">
<head><meta charset="utf-8"><title>Quarterly Update | CMS</title></head>
<body>
<header><a href="/">CMS.gov</a> <a href="/medicare">Medicare</a></header>
<main id="main-content">
<h1>Quarterly Update</h1>
<div class="field--name-body">
<p>The HCPCS quarterly update files are below. Corrected files replace earlier posts.</p>
<h2>Related Links</h2>
<ul>
<li><a href="/files/zip/october-2026-alpha-numeric-hcpcs-file-corrected.zip">October 2026
 Alpha-Numeric HCPCS File (Corrected) - Updated 10/02/2026 (ZIP)</a></li>
<li><a href="/files/zip/october-2026-alpha-numeric-hcpcs-file.zip">October 2026 Alpha-Numeric
 HCPCS File (ZIP)</a></li>
<li><a href="/files/zip/july-2026-alpha-numeric-hcpcs-file.zip">July 2026 Alpha-Numeric HCPCS
 File (ZIP)</a></li>
<li><a href="https://www.cms.gov/files/zip/april-2026-alpha-numeric-hcpcs-files.zip">April 2026
 Alpha-Numeric HCPCS Files (ZIP)</a></li>
<li><a href="/files/zip/january-2026-alpha-numeric-hcpcs-file.zip">January 2026 Alpha-Numeric
 HCPCS File (ZIP)</a></li>
<li><a href="/files/document/2026-hcpcs-record-layout.pdf">2026 HCPCS Record Layout (PDF)</a></li>
<li><a href="/files/zip/2026-anweb-transaction-report.zip">Transaction report (ZIP)</a></li>
<li><a href="#top">Back to top</a></li>
</ul>
</div>
</main>
</body>
</html>
"""


def release_zip(txt: bytes, member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(member, txt)
        archive.writestr("HCPC2026_recordlayout.txt", b"the record layout")
    return buffer.getvalue()


@dataclass
class FakeCms:
    url: str
    files: dict[str, bytes]
    """By path."""
    requests: list[str] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    """By path: how many more requests are answered 503."""
    cut: set[str] = field(default_factory=set)
    """Paths whose body stops halfway (the connection closes)."""

    @property
    def page(self) -> str:
        return self.url + PAGE_PATH


def files_from(january_txt: Path) -> dict[str, bytes]:
    txt = january_txt.read_bytes()
    files = {PAGE_PATH: PAGE.replace("https://www.cms.gov", "").encode()}
    for name, member in RELEASE_ZIPS.items():
        files[f"/files/zip/{name}"] = release_zip(txt, member)
    return files


@contextlib.contextmanager
def serving(files: dict[str, bytes]) -> Iterator[FakeCms]:
    fake = FakeCms(url="", files=files)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.requests.append(self.path)
            body = fake.files.get(self.path)
            if fake.failures.get(self.path, 0) > 0:
                fake.failures[self.path] -= 1
                self.send_error(503, "Service Unavailable")
                return
            if body is None:
                self.send_error(404, "Not Found")
                return
            self.send_response(200)
            kind = "text/html; charset=utf-8" if self.path == PAGE_PATH else "application/zip"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if self.path in fake.cut else body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
