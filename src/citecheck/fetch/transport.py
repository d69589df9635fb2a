"""The guarded transport: resolve once, check every answer, connect to it, watch the clock.

urllib3's connections are subclassed so that socket creation goes through `open_socket`:
the host is resolved once (with a timeout), every answer is checked by the guard, and the
socket connects to a checked address, so no second lookup can rebind the name. urllib3 then
sends Host and SNI and verifies the certificate against the host name as usual.

What one request may do is set by the `Attempt` active in the calling thread: its resolver,
whether the guard applies, and its deadline. A watchdog timer shuts the attempt's sockets down
when the deadline passes, which no per-read socket timeout can do against a server that
trickles a byte at a time.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.poolmanager import PoolManager
from urllib3.util.connection import allowed_gai_family

from citecheck.fetch.guard import IPAddress, refusal_reason

log = logging.getLogger(__name__)

DEFAULT_DEADLINE = 30.0
Resolver = Callable[[str, int], list[IPAddress]]  # host, port -> addresses, in order
Guard = Callable[[IPAddress], str | None]  # an address -> why it is refused, or None


class DnsTimeout(socket.gaierror):
    """The name lookup took longer than its budget."""


class AddressRefused(OSError):
    """The guard refused an address the host resolved to."""


class DeadlineExceeded(TimeoutError):
    """The attempt's total time ran out."""


def system_resolver(host: str, port: int) -> list[IPAddress]:
    """Every address getaddrinfo gives for a host, in its order, duplicates dropped."""
    infos = socket.getaddrinfo(host, port, family=allowed_gai_family(), type=socket.SOCK_STREAM)
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    return list(dict.fromkeys(addresses))


def lookup(resolver: Resolver, host: str, port: int, timeout: float) -> list[IPAddress]:
    """Run a resolver with a time limit (getaddrinfo has none): DnsTimeout after `timeout` s."""
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["addresses"] = resolver(host, port)
        except OSError as exc:
            outcome["error"] = exc
        except ValueError as exc:  # UnicodeError: a label IDNA cannot encode
            outcome["error"] = socket.gaierror(socket.EAI_NONAME, f"bad host name: {exc}")
        finally:
            done.set()

    # A daemon thread: a lookup that never returns cannot hold the run (or the exit) up.
    threading.Thread(target=run, name="citecheck-dns", daemon=True).start()
    if not done.wait(timeout):
        raise DnsTimeout(socket.EAI_AGAIN, f"DNS lookup for {host} timed out after {timeout:.1f} s")
    if "addresses" not in outcome:
        raise outcome.get("error") or socket.gaierror(socket.EAI_FAIL, f"lookup of {host} failed")
    return outcome["addresses"]


class Attempt:
    """One request's budget and record: deadline, resolver, guard, and what the socket layer saw."""

    def __init__(self, deadline: float, *, resolver: Resolver = system_resolver,
                 guard: Guard | None = refusal_reason,
                 clock: Callable[[], float] = time.monotonic, watching: bool = True) -> None:
        self.deadline = deadline
        self.resolver = resolver
        self.guard = guard
        self.clock = clock
        self.expires_at = clock() + deadline
        self.expired = False
        self.peer: tuple[str, int] | None = None
        self.refused: str | None = None  # the guard's reason, when it refused
        self.dns_error: OSError | None = None
        self.connect_error: OSError | None = None
        self.reused = False  # the request went out on a kept-alive connection
        self._watched: list[socket.socket] = []
        self._lock = threading.Lock()
        self._done = not watching
        self._timer: threading.Timer | None = None

    def remaining(self) -> float:
        """Seconds left before the deadline (never negative)."""
        return max(0.0, self.expires_at - self.clock())

    def budget(self, timeout: float | None) -> float:
        """The smaller of a timeout and the time left; DeadlineExceeded when none is left."""
        left = self.remaining()
        if left <= 0 or self.expired:
            self.expired = True
            raise DeadlineExceeded(f"deadline of {self.deadline:g} s exceeded")
        return left if timeout is None else min(timeout, left)

    def watch(self, sock: socket.socket) -> None:
        """Shut this socket down if the deadline passes while the attempt runs."""
        if sock.fileno() < 0:
            return
        # A duplicate of our own: shutting it down stops the shared connection, and holding
        # its descriptor until the attempt ends means the number cannot be reused meanwhile.
        twin = socket.fromfd(sock.fileno(), sock.family, sock.type)
        with self._lock:
            if self._done:
                twin.close()
                return
            self._watched.append(twin)
            expired = self.expired
        if expired:
            _shut(twin)

    def expire(self) -> None:
        """The watchdog: mark the attempt expired and shut its sockets down."""
        with self._lock:
            if self._done:
                return
            self.expired = True
            watched = list(self._watched)
        log.debug("deadline of %g s reached; closing %d socket(s)", self.deadline, len(watched))
        for twin in watched:
            _shut(twin)

    def __enter__(self) -> Attempt:
        self._timer = threading.Timer(self.remaining(), self.expire)
        self._timer.daemon = True
        self._timer.start()
        _current.attempt = self
        return self

    def __exit__(self, *exc_info: object) -> None:
        _current.attempt = None
        if self._timer:
            self._timer.cancel()
        with self._lock:
            self._done = True
            watched, self._watched = self._watched, []
        for twin in watched:
            twin.close()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by the other side


_current = threading.local()


def current_attempt() -> Attempt:
    """The attempt active in this thread; outside one, a guarded attempt with no watchdog."""
    attempt = getattr(_current, "attempt", None)
    return attempt if attempt is not None else Attempt(DEFAULT_DEADLINE, watching=False)


def open_socket(host: str, port: int, timeout: float | None, attempt: Attempt,
                options: list[tuple[int, int, int]] | None = None) -> socket.socket:
    """Resolve host once, check every answer, and connect to the first that accepts."""
    addresses = _lookup(host, port, timeout, attempt)
    if attempt.guard is not None:
        _check(host, addresses, attempt.guard, attempt)
    for ip in addresses:
        try:
            sock = _connect(ip, port, timeout, attempt, options or [])
        except OSError as exc:
            attempt.connect_error = exc
            continue
        attempt.connect_error = None  # an earlier address failing does not matter now
        return sock
    raise attempt.connect_error or OSError(f"{host} has no address")


def _lookup(host: str, port: int, timeout: float | None, attempt: Attempt) -> list[IPAddress]:
    try:
        addresses = lookup(attempt.resolver, host, port, attempt.budget(timeout))
    except OSError as exc:
        attempt.dns_error = exc
        raise
    if not addresses:
        attempt.dns_error = socket.gaierror(socket.EAI_NONAME, f"{host} has no address")
        raise attempt.dns_error
    return addresses


def _check(host: str, addresses: list[IPAddress], guard: Guard, attempt: Attempt) -> None:
    # Refuse the host when any answer is refused: a name that mixes public and private
    # answers is either misconfigured or playing games, and neither is worth the risk.
    for ip in addresses:
        reason = guard(ip)
        if reason:
            attempt.refused = f"{host} resolves to {ip}, a {reason} address"
            raise AddressRefused(attempt.refused)


def _connect(ip: IPAddress, port: int, timeout: float | None, attempt: Attempt,
             options: list[tuple[int, int, int]]) -> socket.socket:
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        for option in options:
            sock.setsockopt(*option)
        attempt.watch(sock)
        sock.settimeout(attempt.budget(timeout))
        sock.connect((str(ip), port))
    except OSError:
        sock.close()
        raise
    attempt.peer = (str(ip), port)
    return sock


class _GuardedMixin:
    """Socket creation through open_socket; reused sockets put under the attempt's watch."""

    host: str
    port: int
    timeout: Any
    socket_options: Any
    sock: socket.socket | None
    _dns_host: str

    def _new_conn(self) -> socket.socket:
        timeout = self.timeout if isinstance(self.timeout, int | float) else None
        try:
            return open_socket(self._dns_host, self.port, timeout, current_attempt(),
                               list(self.socket_options or []))
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[arg-type]
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"connection to {self.host} timed out") from exc
        except OSError as exc:
            raise NewConnectionError(self, f"cannot connect to {self.host}: {exc}") from exc  # type: ignore[arg-type]

    def request(self, *args: Any, **kwargs: Any) -> None:
        if self.sock is not None:  # a kept-alive connection: watch it for this attempt too
            attempt = current_attempt()
            attempt.watch(self.sock)
            attempt.peer = _peer(self.sock)
            attempt.reused = True
        super().request(*args, **kwargs)  # type: ignore[misc]


def _peer(sock: socket.socket) -> tuple[str, int] | None:
    try:
        address = sock.getpeername()
    except OSError:
        return None
    return str(address[0]), int(address[1])


class GuardedHTTPConnection(_GuardedMixin, HTTPConnection):
    """An HTTP connection whose socket comes from open_socket."""


class GuardedHTTPSConnection(_GuardedMixin, HTTPSConnection):
    """An HTTPS connection whose socket comes from open_socket; TLS still checks the host name."""


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


POOL_CLASSES = {"http": _HTTPPool, "https": _HTTPSPool}


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose pools (direct and behind an HTTP proxy) use guarded connections."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """Build the pool manager with guarded pool classes."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = POOL_CLASSES

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> PoolManager:
        """The proxy manager, its pools also guarded (the guard is off for proxied attempts)."""
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = POOL_CLASSES
        return manager
