"""Downloading CMS's release zips into a cache folder, with a manifest of what was fetched (URL,
bytes, sha256, date). Each file is written beside its final name and renamed once complete, and
the manifest likewise: a failed or interrupted download leaves nothing behind."""

from __future__ import annotations

import datetime
import hashlib
import http.client
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from hcpcs_graphql.ingest.cms_page import ReleaseLink, release_links
from hcpcs_graphql.ingest.names import release_from_container_name

TIMEOUT_SECONDS = 30.0
"""How long a connection or a read may stall before the attempt fails."""
ATTEMPTS = 3
RETRY_SECONDS = 1.0
"""The pause before the second attempt, doubled before each further one."""
CHUNK = 1 << 16
MANIFEST = "manifest.json"
USER_AGENT = "hcpcs-graphql (https://github.com/; reference data loader)"

Progress = Callable[[str], None]
T = TypeVar("T")


class FetchError(Exception):
    """A page or file that could not be fetched; the message says which and why, in one line."""


@dataclass(frozen=True, slots=True)
class Fetched:
    release_id: str
    url: str
    name: str
    bytes: int
    sha256: str
    fetched_at: str

    def path(self, cache: Path) -> Path:
        return cache / self.name


def _retrying(what: str, attempt: Callable[[], T]) -> T:
    pause = RETRY_SECONDS
    for number in range(1, ATTEMPTS + 1):
        try:
            return attempt()
        except urllib.error.HTTPError as error:
            if error.code < 500 or number == ATTEMPTS:
                raise FetchError(f"{what}: HTTP {error.code} {error.reason}") from None
        except (
            urllib.error.URLError,
            http.client.HTTPException,  # IncompleteRead: the body stopped short
            TimeoutError,
            ConnectionError,
        ) as error:
            if number == ATTEMPTS:
                reason = getattr(error, "reason", error)
                raise FetchError(f"{what}: {reason} (after {ATTEMPTS} attempts)") from None
        time.sleep(pause)
        pause *= 2
    raise AssertionError("unreachable")


def _open(url: str) -> Any:  # an HTTPResponse, or a file's response for a file: URL
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    return urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)


def read_page(url: str) -> str:
    def attempt() -> str:
        with _open(url) as response:
            data: bytes = response.read()
            charset = response.headers.get_content_charset() or "utf-8"
        return data.decode(charset, errors="replace")

    return _retrying(url, attempt)


def find_links(source: str) -> list[ReleaseLink]:
    """The releases a source offers: CMS's page or a mirror of it (a URL), or a folder of zips."""
    if urlsplit(source).scheme in {"http", "https"}:
        return release_links(read_page(source), source)
    folder = Path(source)
    if not folder.is_dir():
        raise FetchError(f"{source}: neither an http(s) URL nor a folder")
    links = {}
    for path in sorted(folder.glob("*.zip")):
        release_id = release_from_container_name(path.name)
        if release_id is not None:
            links[release_id] = ReleaseLink(release_id, path.resolve().as_uri())
    return [links[release_id] for release_id in sorted(links)]


def read_manifest(cache: Path) -> dict[str, Fetched]:
    """What the cache holds, by URL: the entries whose file is there, intact."""
    try:
        fetched = [
            Fetched(**entry) for entry in json.loads((cache / MANIFEST).read_text())["files"]
        ]
    except FileNotFoundError:
        return {}
    except (ValueError, KeyError, TypeError) as error:
        raise FetchError(
            f"{cache / MANIFEST}: not a manifest this program wrote ({error})"
        ) from None
    return {entry.url: entry for entry in fetched if _intact(entry, cache)}


def _intact(entry: Fetched, cache: Path) -> bool:
    """The file as it was downloaded (a file changed or cut since is fetched again)."""
    try:
        data = entry.path(cache).read_bytes()
    except OSError:
        return False
    return len(data) == entry.bytes and hashlib.sha256(data).hexdigest() == entry.sha256


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.part")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _write_manifest(cache: Path, entries: dict[str, Fetched]) -> None:
    files = [asdict(entry) for entry in sorted(entries.values(), key=lambda e: e.release_id)]
    _write_atomically(cache / MANIFEST, (json.dumps({"files": files}, indent=2) + "\n").encode())


def _download(link: ReleaseLink, target: Path, progress: Progress) -> tuple[int, str]:
    partial = target.with_name(f".{target.name}.part")

    def attempt() -> tuple[int, str]:
        digest = hashlib.sha256()
        size = 0
        try:
            with _open(link.url) as response, partial.open("wb") as out:
                total = int(response.headers.get("Content-Length") or 0)
                while chunk := response.read(CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    shown = f" of {total >> 10:,} KiB" if total else ""
                    progress(f"fetching {link.name}: {size >> 10:,} KiB{shown}")
            if total and size != total:
                raise ConnectionError(f"the connection closed after {size:,} of {total:,} bytes")
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return size, digest.hexdigest()

    return _retrying(link.url, attempt)


def fetch(
    links: list[ReleaseLink], cache: Path, progress: Progress = lambda _: None
) -> list[Fetched]:
    """Each link's zip in the cache: downloaded unless the manifest has it already."""
    cache.mkdir(parents=True, exist_ok=True)
    entries = read_manifest(cache)
    fetched = []
    for link in links:
        entry = entries.get(link.url)
        if entry is None:
            target = cache / link.name
            size, sha256 = _download(link, target, progress)
            entry = Fetched(
                release_id=link.release_id,
                url=link.url,
                name=link.name,
                bytes=size,
                sha256=sha256,
                fetched_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            )
            entries[link.url] = entry
            _write_manifest(cache, entries)
        fetched.append(entry)
    return fetched


def choose(
    links: list[ReleaseLink],
    wanted: list[str],
    *,
    latest: bool = False,
    since: str | None = None,
    after: str | None = None,
) -> list[ReleaseLink]:
    """The links asked for: the releases named, the latest, those since a release (inclusive) or
    after one (the newest loaded); every release when nothing narrows them."""
    offered = {link.release_id: link for link in links}
    missing = [release_id for release_id in wanted if release_id not in offered]
    if missing:
        listed = ", ".join(offered) or "none"
        raise FetchError(f"release {', '.join(missing)} is not offered; offered: {listed}")
    chosen = [offered[release_id] for release_id in wanted]
    if since is not None:
        chosen += [link for link in links if link.release_id >= since]
    if after is not None:
        chosen += [link for link in links if link.release_id > after]
    if latest and links:
        chosen.append(links[-1])
    if not (wanted or latest or since or after):
        chosen = list(links)
    unique = {link.release_id: link for link in chosen}
    return [unique[release_id] for release_id in sorted(unique)]
