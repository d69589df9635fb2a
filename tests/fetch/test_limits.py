"""The no-network breaker and the host limiter, without sockets."""

from __future__ import annotations

import threading

import pytest

from citecheck.fetch.limits import HostLimiter, NetworkBreaker


class Probe:
    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.calls = 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.answer


@pytest.mark.parametrize("failures, dns, probe_answer, down, probed", [
    (["a", "b", "c"], True, False, True, 1),
    (["a", "b", "c"], True, True, False, 1),  # dead domains on a live network
    (["a", "b", "c"], False, True, True, 0),  # connections fail: no probe, no network
    (["a", "a", "a", "b"], True, False, False, 0),  # distinct hosts only
])
def test_breaker(failures, dns, probe_answer, down, probed) -> None:
    probe = Probe(probe_answer)
    breaker = NetworkBreaker(threshold=3, confirm=probe)
    for host in failures:
        breaker.failure(host, dns=dns)
    assert (breaker.down, probe.calls) == (down, probed)


def test_breaker_success_resets_the_streak() -> None:
    breaker = NetworkBreaker(threshold=3, confirm=Probe(False))
    breaker.failure("a", dns=True)
    breaker.failure("b", dns=True)
    breaker.success()
    breaker.failure("c", dns=True)
    assert not breaker.down


def test_limiter_spaces_requests_with_the_host_delay() -> None:
    now = [100.0]
    waits: list[float | None] = []
    limiter = HostLimiter(per_host=1, delay_for=lambda host: 2.0, clock=lambda: now[0])
    with limiter.hold("a.example"):
        pass
    assert limiter._wait_for("a.example") == 2.0
    assert limiter._wait_for("b.example") == 0.0
    now[0] += 2.0
    waits.append(limiter._wait_for("a.example"))
    assert waits == [0.0]


def test_limiter_blocks_over_the_concurrency_limit() -> None:
    limiter = HostLimiter(per_host=2, delay_for=lambda host: 0.0)
    entered = threading.Event()

    def third() -> None:
        with limiter.hold("h"):
            entered.set()

    with limiter.hold("h"), limiter.hold("h"):
        worker = threading.Thread(target=third)
        worker.start()
        assert not entered.wait(0.2)  # the third request waits while two are running
    worker.join(2)
    assert entered.is_set()


def test_spread_by_host_interleaves_and_dedupes() -> None:
    from citecheck.fetch.scheduler import spread_by_host

    urls = ["https://a.example/1", "https://a.example/2", "https://a.example/1",
            "https://b.example/1", "https://a.example/3", "https://c.example/1"]
    assert spread_by_host(urls) == [
        "https://a.example/1", "https://b.example/1", "https://c.example/1",
        "https://a.example/2", "https://a.example/3"]
