"""The answer store: bounded in bytes, least recently used first out, fresh answers only."""

from __future__ import annotations

from hcpcs_graphql.http.answer_store import ENTRY_BYTES, SEEN, Answer, ResponseStore, answer


def test_the_store_forgets_the_least_recently_used_first() -> None:
    # Each answer is counted for its body, its key and ENTRY_BYTES: room for two.
    store = ResponseStore(max_bytes=2 * (ENTRY_BYTES + 4 + 3))

    def kept(key: str, body: bytes) -> Answer:
        return answer(key, 200, [], body, operation=None, seconds=60)

    a, b, c = kept('"a"', b"aaaa"), kept('"b"', b"bbbb"), kept('"c"', b"cccc")
    store.put('"a"', a)
    store.put('"b"', b)
    assert store.fresh('"a"') == a
    store.put('"c"', c)
    assert (store.fresh('"a"'), store.fresh('"b"'), store.fresh('"c"')) == (a, None, c)
    store.put('"d"', kept('"d"', b"d" * int(store.maxsize)))
    assert store.fresh('"d"') is None


def test_an_answer_past_its_freshness_is_forgotten() -> None:
    store = ResponseStore()
    store.put('"a"', answer('"a"', 200, [], b"a", operation=None, seconds=0))
    store.put('"b"', answer('"b"', 200, [], b"b", operation=None, seconds=60))
    assert (store.fresh('"a"'), '"a"' in store) == (None, False)
    assert store.fresh('"b"') is not None


def test_an_answer_is_kept_from_the_second_time_its_request_is_answered() -> None:
    store = ResponseStore()
    assert [store.admits('"a"') for _ in range(3)] == [False, True, True]
    assert store.admits('"b"') is False
    store.clear()  # other releases, another day: asked anew
    assert store.admits('"a"') is False


def test_the_requests_seen_once_are_bounded() -> None:
    store = ResponseStore()
    for number in range(SEEN):
        store.admits(number)
    assert store.admits(0) is True
    store.admits(SEEN)  # one too many: those seen are forgotten
    assert store.admits(1) is False


def test_a_store_of_no_size_remembers_no_request() -> None:
    store = ResponseStore(max_bytes=0)
    assert [store.admits('"a"') for _ in range(2)] == [False, False]
