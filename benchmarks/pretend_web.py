"""A pretend web on loopback for the run benchmark: one shortener, many sites, slow answers.

The shortener listens on 127.0.0.1 and every site on an address of its own (127.0.0.2,
127.0.0.3, …: Linux routes all of 127/8 to the loopback interface), so that citecheck's
per-host limit sees distinct hosts. Every answer waits `latency` seconds first, as a distant
server would. One asyncio loop in a background thread serves every address: waiting costs no
thread, so the pretend web stays cheap beside the program it measures.

    web = PretendWeb(bodies, hosts=60, latency=0.1)
    with web:
        urls = web.short_urls        # http://127.0.0.1:P/s/0 -> 301 -> http://127.0.0.2:Q/p/0
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

HEAD_LIMIT = 64 * 1024


@dataclass
class Answer:
    """What a path answers: status, headers, body."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class HostStats:
    """Requests one address served, and the most it served at once."""

    requests: int = 0
    active: int = 0
    peak: int = 0


@dataclass
class PretendWeb:
    """A shortener on 127.0.0.1 whose link n leads (301) to page n on one of `hosts` sites."""

    bodies: Sequence[bytes]
    hosts: int = 60
    latency: float = 0.1
    content_type: str = "text/html"
    stats: dict[str, HostStats] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 1 <= self.hosts <= 250:
            raise ValueError("hosts must be between 1 and 250 (127.0.0.2 … 127.0.0.251)")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._servers: list[asyncio.base_events.Server] = []
        self._ports: dict[str, int] = {}

    # ------------------------------------------------------------------ addresses and URLs

    @property
    def shortener(self) -> str:
        """The shortener's base URL."""
        return f"http://127.0.0.1:{self._ports['127.0.0.1']}"

    def site_address(self, n: int) -> str:
        """The address of the site that holds page n."""
        return f"127.0.0.{2 + n % self.hosts}"

    def page_url(self, n: int) -> str:
        """Where short link n leads."""
        address = self.site_address(n)
        return f"http://{address}:{self._ports[address]}/p/{n}"

    @property
    def short_urls(self) -> list[str]:
        """One short link per body."""
        return [f"{self.shortener}/s/{n}" for n in range(len(self.bodies))]

    # ------------------------------------------------------------------ answers

    def answer(self, address: str, target: str) -> Answer:
        """The answer of one address to one request target."""
        kind, _, number = target.partition("?")[0].strip("/").partition("/")
        if not number.isdigit() or int(number) >= len(self.bodies):
            return Answer(404, [("Content-Type", "text/plain")], b"no such page")
        n = int(number)
        if address == "127.0.0.1" and kind == "s":
            return Answer(301, [("Location", self.page_url(n))], b"")
        if kind == "p" and address == self.site_address(n):
            return Answer(200, [("Content-Type", self.content_type)], self.bodies[n])
        return Answer(404, [("Content-Type", "text/plain")], b"no such page")

    async def _serve(self, address: str, reader: asyncio.StreamReader,
                     writer: asyncio.StreamWriter) -> None:
        stats = self.stats[address]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                target = head.split(b" ", 2)[1].decode("latin-1")
                stats.requests += 1
                stats.active += 1
                stats.peak = max(stats.peak, stats.active)
                try:
                    await asyncio.sleep(self.latency)
                    writer.write(_encode(self.answer(address, target)))
                    await writer.drain()
                finally:
                    stats.active -= 1
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError,
                IndexError):
            pass
        finally:
            writer.close()

    # ------------------------------------------------------------------ life

    def start(self) -> PretendWeb:
        """Bind every address and start serving."""
        self._thread.start()
        addresses = ["127.0.0.1"] + [f"127.0.0.{2 + i}" for i in range(self.hosts)]
        for address in addresses:
            future = asyncio.run_coroutine_threadsafe(self._listen(address), self._loop)
            server = future.result(timeout=10)
            self._servers.append(server)
            self._ports[address] = server.sockets[0].getsockname()[1]
            self.stats[address] = HostStats()
        return self

    async def _listen(self, address: str) -> asyncio.base_events.Server:
        return await asyncio.start_server(
            lambda r, w: self._serve(address, r, w), address, 0, limit=HEAD_LIMIT, backlog=256)

    def stop(self) -> None:
        """Close every listener and stop the loop."""
        for server in self._servers:
            self._loop.call_soon_threadsafe(server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def __enter__(self) -> PretendWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def requests_by_kind(self) -> Counter[str]:
        """How many requests the shortener and the sites served."""
        counts: Counter[str] = Counter()
        for address, stats in self.stats.items():
            counts["shortener" if address == "127.0.0.1" else "sites"] += stats.requests
        return counts


def _encode(answer: Answer) -> bytes:
    reason = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}.get(answer.status, "OK")
    lines = [f"HTTP/1.1 {answer.status} {reason}", *(f"{k}: {v}" for k, v in answer.headers),
             f"Content-Length: {len(answer.body)}", "Connection: keep-alive"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + answer.body
