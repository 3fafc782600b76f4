"""Publishing live: a release loaded while `hcpcs serve` runs is served from the next request
on, while a client loops on lookups over HTTP, without one failed request."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx

from hcpcs_graphql.db.loader import load
from hcpcs_graphql.ingest.sources import find_releases
from tests.conftest import FIXTURES
from tests.serving import running

QUERY = '{ releases { id } code(code: "A0021") { code release { id } } }'


class Client(threading.Thread):
    """Loops on a lookup until stopped, keeping every answer (status and body)."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.stop = threading.Event()
        self.answers: list[tuple[int, Any]] = []
        self.failures: list[str] = []
        self.answered = threading.Condition()

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            while not self.stop.is_set():
                try:
                    response = client.post("/graphql", json={"query": QUERY})
                    answer = (response.status_code, response.json())
                    with self.answered:
                        self.answers.append(answer)
                        self.answered.notify_all()
                except (httpx.HTTPError, ValueError) as error:
                    with self.answered:
                        self.failures.append(repr(error))
                        self.answered.notify_all()

    def wait_for(self, count: int) -> None:
        """Until COUNT answers (or a failure) are in, told by the client thread; the timeout
        only keeps a broken server from hanging the test."""
        with self.answered:
            done = self.answered.wait_for(
                lambda: len(self.answers) >= count or bool(self.failures), timeout=120
            )
        assert done, f"{len(self.answers)} answers of {count}"


def test_a_release_loaded_while_serving_is_served_without_a_failed_request(
    tmp_path: Path,
) -> None:
    db = tmp_path / "hcpcs.db"
    load(db, find_releases(FIXTURES / "HCPC2025_OCT_ANWEB.xlsx"))
    with running(db) as url:
        client = Client(url)
        client.start()
        client.wait_for(20)  # the client is under way
        load(db, find_releases(FIXTURES / "HCPC2026_JAN_ANWEB_01122026.txt"))
        before = len(client.answers)
        after = httpx.post(f"{url}/graphql", json={"query": QUERY}).json()
        client.wait_for(before + 20)
        client.stop.set()
        client.join()
    assert client.failures == []
    assert {status for status, _ in client.answers} == {200}
    assert [body for _, body in client.answers if "errors" in body] == []
    seen = [tuple(r["id"] for r in body["data"]["releases"]) for _, body in client.answers]
    # Every answer is of the database before the load or after it; after, from the next request.
    assert set(seen) == {("2025-10",), ("2026-01", "2025-10")}
    assert seen[:20] == [("2025-10",)] * 20
    assert seen[-20:] == [("2026-01", "2025-10")] * 20
    assert after["data"] == {
        "releases": [{"id": "2026-01"}, {"id": "2025-10"}],
        "code": {"code": "A0021", "release": {"id": "2026-01"}},
    }
