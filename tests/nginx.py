"""nginx (Debian's) with the shipped deploy/nginx/hcpcs.conf in front of `hcpcs serve` replicas on
loopback: the configuration rendered for a folder of its own and free ports, for the tests and
bench/nginx.py."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.serving import START_SECONDS, free_port, healthy, start

REPOSITORY = Path(__file__).resolve().parents[1]
SHIPPED = REPOSITORY / "deploy" / "nginx" / "hcpcs.conf"
# Debian puts it in /usr/sbin, which is not on a user's PATH.
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
# The upstream's server lines of the shipped file: the rendered file has one a replica instead.
_SERVER_LINE = re.compile(r"^(?P<indent>\s+)server 127\.0\.0\.1:\d+(?P<parameters>[^;]*);\n", re.M)


def _once(text: str, pattern: str, replacement: str) -> str:
    rendered, count = re.subn(pattern, replacement, text, flags=re.M)
    if count != 1:
        raise ValueError(f"{SHIPPED}: expected one {pattern!r}, found {count}")
    return rendered


def render(port: int, replicas: Sequence[str], folder: Path) -> str:
    """The shipped site for nginx listening on PORT of loopback in front of REPLICAS (host:port),
    its cache and log in FOLDER."""
    text = SHIPPED.read_text()
    servers = list(_SERVER_LINE.finditer(text))
    if not servers:
        raise ValueError(f"{SHIPPED}: no upstream server lines")
    first = servers[0]
    lines = "".join(
        f"{first['indent']}server {replica}{first['parameters']};\n" for replica in replicas
    )
    text = text[: first.start()] + lines + text[servers[-1].end() :]
    text = _once(
        text, r"^proxy_cache_path /var/cache/nginx/hcpcs ", f"proxy_cache_path {folder}/cache "
    )
    text = _once(text, r"^    listen 80;$", f"    listen 127.0.0.1:{port};")
    return _once(text, r"access_log /var/log/nginx/hcpcs\.log ", f"access_log {folder}/access.log ")


def main_config(folder: Path, workers: int = 1) -> str:
    """What Debian's /etc/nginx/nginx.conf gives the site, in FOLDER: nginx runs in the
    foreground as the user who starts it (as root, its workers too: they write in FOLDER)."""
    user = "user root root;\n" if os.geteuid() == 0 else ""
    temporary = "".join(
        f"    {kind}_temp_path {folder}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}daemon off;\nworker_processes {workers};\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log notice;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\n{temporary}    access_log off;\n    include {folder}/hcpcs.conf;\n}}\n"
    )


@dataclass
class Replica:
    process: subprocess.Popen[bytes]
    url: str

    @property
    def address(self) -> str:
        return self.url.removeprefix("http://")

    def requests(self) -> dict[str, float]:
        """The GraphQL requests this replica has counted, by outcome."""
        text = httpx.get(f"{self.url}/metrics", timeout=10).text
        counts: dict[str, float] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == "hcpcs_requests_total":
                    outcome = sample.labels["outcome"]
                    counts[outcome] = counts.get(outcome, 0) + sample.value
        return counts


@dataclass
class Balanced:
    url: str
    replicas: list[Replica]
    folder: Path

    def log(self) -> list[dict[str, Any]]:
        """nginx's access log: one JSON object a request."""
        path = self.folder / "access.log"
        return [json.loads(line) for line in path.read_text().splitlines() if line]

    def requests(self) -> list[dict[str, float]]:
        return [replica.requests() for replica in self.replicas]


@contextlib.contextmanager
def nginx(folder: Path, replicas: Sequence[str], workers: int = 1) -> Iterator[str]:
    """nginx in front of REPLICAS for the duration of the block: its base URL."""
    if NGINX is None:
        raise RuntimeError("nginx is not installed")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hcpcs.conf").write_text(render(port, replicas, folder))
    (folder / "nginx.conf").write_text(main_config(folder, workers))
    # -e: the log of its start, before it reads error_log from the configuration.
    command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", "error.log"]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        # nginx logs its start only in lines stamped with its time and pid: its answer tells.
        if not healthy(url, process, START_SECONDS):
            log = (folder / "error.log").read_text(errors="replace")
            raise RuntimeError(f"nginx did not start: {log}")
        yield url
    finally:
        process.terminate()  # SIGTERM: nginx's fast shutdown
        process.wait(timeout=15)


@contextlib.contextmanager
def balanced(db: Path, folder: Path, replicas: int = 2, **environment: str) -> Iterator[Balanced]:
    """REPLICAS `hcpcs serve` on DB (with ENVIRONMENT) behind nginx."""
    started: list[Replica] = []
    try:
        for _ in range(replicas):
            server = start(db, None, "asyncio", **environment)
            started.append(Replica(server.process, server.url))
        with nginx(folder, [replica.address for replica in started]) as url:
            yield Balanced(url, started, folder)
    finally:
        for replica in started:
            if replica.process.poll() is None:
                replica.process.terminate()
                replica.process.wait(timeout=15)
