"""The SSRF witnesses: a canary that counts connections, scripted DNS, and a fence.

- `Canary` listens on 127.0.0.1 and [::1] (one port) and counts every connection it accepts;
  `hits` first takes in whatever is still waiting in the accept queue, so a count read right
  after a resolution is complete.
- `ScriptedDns` is the session's resolver: per host, a list of answers used in turn (the last
  one repeats); an answer is a list of addresses, an OSError to raise, or `Slow(seconds, …)`.
  IP literals answer themselves, as getaddrinfo does.
- `Fence` is the session's guard: the real guard, except that 127.0.0.2 (the stand-in for a
  public address) passes, and any other address the real guard would let through is recorded
  as a leak and refused. A broken guard thus fails the test without a packet leaving the machine.
- `Airlock` is the last line: while a hostile case runs, `socket.connect` refuses (and records)
  every address off this machine, and `socket.getaddrinfo` every name but localhost (a lookup
  is a packet to a DNS server), so even code that skips the guard entirely cannot send a
  packet to a private or public network from a test. In a child process it also appends each
  stop to a file at once, so that a child killed with SIGKILL still reports what it tried.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from citecheck.fetch.guard import IPAddress, parse_ip_host, refusal_reason

PUBLIC = ipaddress.ip_address("127.0.0.2")  # stands in for a public address
LOOPBACK = ipaddress.ip_address("127.0.0.1")
CANARY_ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\ncanary"
SLOW_LIMIT = 10.0  # a slow answer never waits longer than this


class Canary:
    """Listening sockets on 127.0.0.1 and ::1 that count (and briefly answer) every connection."""

    def __init__(self, port: int = 0) -> None:
        self.v4 = _listener(socket.AF_INET, "127.0.0.1", port)
        self.port = self.v4.getsockname()[1]
        try:
            self.v6: socket.socket | None = _listener(socket.AF_INET6, "::1", self.port)
        except OSError:
            self.v6 = None  # no IPv6 loopback here, or the port is taken on it
        self._count = 0
        self.control_from: int | None = None  # hits from here on were asked for
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    @property
    def hits(self) -> int:
        """Connections accepted so far (the accept queue drained first)."""
        self._drain()
        return self._count

    @property
    def unexpected(self) -> int:
        """Hits outside a control run."""
        hits = self.hits
        return hits if self.control_from is None else self.control_from

    def start_control(self) -> None:
        """From now on connections are expected: a control run with the guard off."""
        self.control_from = self.hits

    def _watch(self) -> None:
        until = time.monotonic() + 300
        while not self._stop.wait(0.02) and time.monotonic() < until:
            self._drain()

    def _drain(self) -> None:
        with self._lock:
            for listener in (self.v4, self.v6):
                while listener is not None:
                    try:
                        conn, _ = listener.accept()
                    except OSError:  # nothing waiting, or closed
                        break
                    self._count += 1
                    _answer(conn)

    def close(self) -> None:
        """Stop listening; the watcher ends within a second."""
        self._stop.set()
        self._thread.join(1.0)
        with self._lock:
            for listener in (self.v4, self.v6):
                if listener is not None:
                    listener.close()


def _listener(family: int, host: str, port: int) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def _answer(conn: socket.socket) -> None:
    """Say something short and hang up without waiting for the request."""
    try:
        conn.setblocking(True)
        conn.settimeout(0.5)
        conn.sendall(CANARY_ANSWER)
        conn.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    finally:
        conn.close()


@dataclass(frozen=True)
class Slow:
    """An answer that comes after `seconds` (or when the resolver is released)."""

    seconds: float
    addresses: Sequence[str]


Answer = Sequence[str] | OSError | Slow


class ScriptedDns:
    """A resolver that answers from a script per host, counts lookups, and can be released."""

    def __init__(self, script: dict[str, list[Answer]] | None = None) -> None:
        self.script = {host: list(answers) for host, answers in (script or {}).items()}
        self.calls: list[str] = []
        self._lock = threading.Lock()
        self._release = threading.Event()

    def __call__(self, host: str, port: int) -> list[IPAddress]:
        with self._lock:
            self.calls.append(host)
            answers = self.script.get(host.lower().rstrip("."))
            answer = (answers.pop(0) if len(answers) > 1 else answers[0]) if answers else None
        if answer is None:
            literal = parse_ip_host(host)
            if literal is None:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return [literal]
        if isinstance(answer, OSError):
            raise answer
        if isinstance(answer, Slow):
            self._release.wait(min(answer.seconds, SLOW_LIMIT))
            answer = answer.addresses
        return [ipaddress.ip_address(a) for a in answer]

    def release(self) -> None:
        """Let every slow answer return now (at teardown: no lookup thread outlives the test)."""
        self._release.set()


class Fence:
    """The real guard, with 127.0.0.2 let through and anything else it would pass refused."""

    def __init__(self) -> None:
        self.leaks: list[str] = []
        self.asked: list[str] = []

    def __call__(self, ip: IPAddress) -> str | None:
        self.asked.append(str(ip))
        if ip == PUBLIC:
            return None
        reason = refusal_reason(ip)
        if reason is None:
            self.leaks.append(str(ip))
            return "fenced"
        return reason


class Airlock:
    """Wraps socket.connect: loopback (and this host's 0.0.0.0 / ::) only; the rest recorded."""

    def __init__(self, log: str | None = None) -> None:
        self.stopped: list[str] = []
        self.log = log  # a file each stop is appended to as it happens (children)

    def wrap(self, connect: Callable[..., Any]) -> Callable[..., Any]:
        """A replacement for socket.socket.connect / connect_ex that checks the address first."""
        def guarded(sock: socket.socket, address: Any) -> Any:
            if isinstance(address, tuple) and not _on_this_machine(str(address[0])):
                self._stop(str(address[0]))
                raise OSError(errno.ENETUNREACH, f"airlock: {address[0]} is off this machine")
            return connect(sock, address)
        return guarded

    def wrap_lookup(self, getaddrinfo: Callable[..., Any]) -> Callable[..., Any]:
        """A replacement for socket.getaddrinfo: IP literals and localhost only."""
        def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
            name = host.decode() if isinstance(host, bytes) else str(host)
            if host is not None and not _answers_itself(name):
                self._stop(name)
                raise socket.gaierror(socket.EAI_NONAME, f"airlock: no lookup of {name}")
            return getaddrinfo(host, *args, **kwargs)
        return guarded

    def install(self) -> None:
        """Wrap this process's socket functions for good (a child process)."""
        socket.socket.connect = self.wrap(socket.socket.connect)  # type: ignore[method-assign]
        socket.socket.connect_ex = self.wrap(socket.socket.connect_ex)  # type: ignore[method-assign]
        socket.getaddrinfo = self.wrap_lookup(socket.getaddrinfo)

    def _stop(self, what: str) -> None:
        self.stopped.append(what)
        if self.log:
            with open(self.log, "a", encoding="utf-8") as out:
                out.write(what + "\n")


def _answers_itself(host: str) -> bool:
    """An address getaddrinfo reads without DNS (`127.1` and `0x7f.1` too), or localhost."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
        return True
    except ValueError:
        pass
    try:
        socket.inet_aton(host)  # what glibc's getaddrinfo tries before asking DNS
    except (OSError, ValueError):
        return False
    return True


def _on_this_machine(host: str) -> bool:
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False  # a name: connect() would resolve it behind everyone's back
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified  # Linux connects 0.0.0.0 and :: to itself
