"""Politeness and give-up rules shared by all workers: per-host limits, the no-network breaker."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)


class HostLimiter:
    """At most `per_host` requests at once to one host, request starts `delay_for(host)` s apart."""

    def __init__(self, per_host: int, delay_for: Callable[[str], float],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_host = per_host
        self.delay_for = delay_for
        self.clock = clock
        self._active: dict[str, int] = {}
        self._next_start: dict[str, float] = {}
        self._cond = threading.Condition()

    @contextmanager
    def hold(self, host: str) -> Iterator[None]:
        """Wait for a free slot on `host` (and its delay), hold it for the block."""
        with self._cond:
            while (wait := self._wait_for(host)) != 0.0:
                self._cond.wait(timeout=wait)
            self._active[host] = self._active.get(host, 0) + 1
            self._next_start[host] = self.clock() + self.delay_for(host)
        try:
            yield
        finally:
            with self._cond:
                self._active[host] -= 1
                self._cond.notify_all()

    def _wait_for(self, host: str) -> float | None:
        """0.0 when a request may start now; else how long to wait (None: until notified)."""
        if self._active.get(host, 0) >= self.per_host:
            return None
        return max(0.0, self._next_start.get(host, 0.0) - self.clock())


class NetworkBreaker:
    """Notices that there is no network: consecutive failures on distinct hosts, no success.

    After `threshold` network failures (DNS, unreachable, connect timeout, proxy down) on
    distinct hosts with no success in between, the breaker trips and stays tripped for the
    session; when every one of them was a DNS failure, which a run of dead domains also
    gives, `confirm` (a cheap probe) is asked first and a network it finds resets the count.
    """

    def __init__(self, threshold: int = 3, confirm: Callable[[], bool] | None = None) -> None:
        self.threshold = threshold
        self.confirm = confirm
        self._hosts: set[str] = set()
        self._only_dns = True
        self._down = False
        self._lock = threading.Lock()

    @property
    def down(self) -> bool:
        """Whether the network was found missing."""
        return self._down

    def trip(self) -> None:
        """Declare the network missing (a probe after failures everywhere found nothing)."""
        with self._lock:
            self._down = True

    def success(self) -> None:
        """A response arrived: the network is there."""
        with self._lock:
            self._hosts.clear()
            self._only_dns = True

    def failure(self, host: str, *, dns: bool = False) -> None:
        """A network-level failure reaching `host` (`dns`: the name lookup failed)."""
        with self._lock:
            self._hosts.add(host)
            self._only_dns = self._only_dns and dns
            if self._down or len(self._hosts) < self.threshold:
                return
            suspects, only_dns = sorted(self._hosts), self._only_dns
            self._hosts.clear()
            self._only_dns = True
        if only_dns and self.confirm is not None and self.confirm():
            log.debug("network probe answered after failures on %s", ", ".join(suspects))
            return
        with self._lock:
            if self._down:
                return
            self._down = True
        log.warning("no network: %s all failed, and nothing else answered", ", ".join(suspects))
