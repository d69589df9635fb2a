"""Figures for the network layer, on loopback only.

    PYTHONPATH=src python benchmarks/fetch_bench.py

1. throughput: resolve_all over 400 URLs (a one-hop shortener each) on 8 local servers;
2. offline: how long 1,000 URLs take to finish when every DNS lookup fails;
3. memory: the Python heap peak while a 40 MB body streams into its spool.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fetch"))

from fetch_loopback import Server, redirect, respond

from citecheck.fetch.resolver import resolve
from citecheck.fetch.scheduler import resolve_all
from citecheck.fetch.session import FetchSession
from citecheck.settings import Settings

LOCAL = Settings(allow_private=True, retries=2, backoff=0.01)


def throughput() -> None:
    page = b"<html><title>A page</title>" + b"<p>text</p>" * 2000 + b"</html>"
    servers = [Server({"/final": lambda r, c: respond(c, 200, page)}) for _ in range(8)]
    urls = []
    for server in servers:
        for n in range(50):
            server.routes[f"/s{n}"] = redirect("/final")
            urls.append(server.url(f"/s{n}"))
    done = []
    lock = threading.Lock()

    def record(url, resolution) -> None:
        with lock:
            done.append(resolution.link.status)
        resolution.close()

    start = time.perf_counter()
    with FetchSession(LOCAL, environ={}) as session:
        resolve_all(urls, LOCAL, record, session)
    elapsed = time.perf_counter() - start
    for server in servers:
        server.close()
    print(f"throughput: {len(done)} URLs (2 requests each) in {elapsed:.2f} s "
          f"= {len(done) / elapsed:.0f} URLs/s, workers={LOCAL.workers}, per_host={LOCAL.per_host}")


def offline() -> None:
    def no_dns(host: str, port: int) -> list:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    urls = [f"https://site{n}.example/page" for n in range(1000)]
    start = time.perf_counter()
    with FetchSession(Settings(), resolver=no_dns, environ={}) as session:
        resolve_all(urls, Settings(), lambda url, resolution: None, session)
        down = session.network_down
    elapsed = time.perf_counter() - start
    print(f"offline: 1000 URLs finished in {elapsed:.2f} s (network_down={down}, "
          "default retries and backoff)")


def memory() -> None:
    size = 40_000_000
    body = b"m" * size
    def big(request, conn) -> None:
        conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode())
        view = memoryview(body)
        for start in range(0, size, 1 << 20):
            conn.sendall(view[start:start + (1 << 20)])

    server = Server({"/big": big})
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    with FetchSession(LOCAL, environ={}) as session:
        resolution = resolve(server.url("/big"), LOCAL, session)
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    length = resolution.exchanges[0].body_length
    resolution.close()
    server.close()
    print(f"memory: {length / 1e6:.0f} MB body streamed, Python heap peak +{peak / 1e6:.1f} MB "
          "(the 40 MB test body itself excluded: allocated before tracing)")


def guard_speed() -> None:
    from citecheck.fetch.guard import refusal_reason

    addresses = [ipaddress.ip_address(f"203.0.{n % 256}.{n // 256 % 256}") for n in range(50_000)]
    start = time.perf_counter()
    for ip in addresses:
        refusal_reason(ip)
    elapsed = time.perf_counter() - start
    print(f"guard: {len(addresses) / elapsed:,.0f} checks/s")


if __name__ == "__main__":
    throughput()
    offline()
    memory()
    guard_speed()
