"""The one place requests are sent from: a guarded requests.Session, proxies, limits, one GET.

`FetchSession.get` sends one GET (never following redirects) under an `Attempt` that carries
the deadline and the guard, streams the body into a spooled file within the size cap, and
returns an `Exchange`, or a `Failure` saying what went wrong and whether a retry may help.
"""

from __future__ import annotations

import datetime as dt
import errno
import http.client
import logging
import socket
import tempfile
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.cookies import extract_cookies_to_jar
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import ReadTimeoutError

from citecheck.fetch.exchange import Exchange
from citecheck.fetch.guard import refusal_reason
from citecheck.fetch.limits import HostLimiter, NetworkBreaker
from citecheck.fetch.transport import (
    Attempt,
    DnsTimeout,
    Guard,
    GuardedAdapter,
    Resolver,
    lookup,
    system_resolver,
)
from citecheck.fetch.urls import host_of
from citecheck.settings import Settings

log = logging.getLogger(__name__)

SPOOL_MEMORY = 1024 * 1024  # bodies stay in memory up to this size, then go to disk
READ_SIZE = 64 * 1024
PROBE_HOSTS = ("example.com", "wikipedia.org")  # looked up once when the network seems gone
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
_VERSIONS = {9: "HTTP/0.9", 10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2", 30: "HTTP/3"}
_NETWORK_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.ETIMEDOUT}


@dataclass(frozen=True)
class Failure:
    """A request that got no response: why, and whether trying again may help."""

    kind: str  # dns | refused | connect | timeout | deadline | tls | proxy | invalid | no-network
    reason: str
    retryable: bool = False
    network: bool = False  # counts towards "there is no network"


NO_NETWORK = Failure("no-network", "no network", network=True)


class FetchSession:
    """The requests.Session of a run, with the guard, proxies, per-host limits and the breaker."""

    def __init__(self, settings: Settings, *, resolver: Resolver = system_resolver,
                 guard: Guard = refusal_reason, environ: Mapping[str, str] | None = None,
                 ca_bundle: str | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.resolver = resolver
        self.guard = guard
        self.verify: bool | str = ca_bundle or True  # a CA file for tests or an intercepting proxy
        self.sleep = sleep
        self.clock = clock
        self.http = build_requests_session()
        self.limiter = HostLimiter(settings.per_host, self._delay_for, clock)
        self._env_proxies = _environment_proxies(environ)
        self.breaker = NetworkBreaker(confirm=self._probe)

    @property
    def network_down(self) -> bool:
        """Whether the session found that there is no network (every later request is skipped)."""
        return self.breaker.down

    def confirm_network(self) -> bool:
        """Probe the network now, when every link failed to connect; trips the breaker if gone.

        The breaker needs failures on several distinct hosts, but a report whose links all go
        through one shortener has one host: its callers ask here once at the end instead.
        """
        if self.breaker.down:
            return False
        if self.settings.proxy or self._probe():
            return True
        self.breaker.trip()
        return False

    def proxy_for(self, url: str) -> str | None:
        """The proxy for a URL: settings.proxy, else HTTP(S)_PROXY unless NO_PROXY says no."""
        if self.settings.proxy:
            return self.settings.proxy
        scheme = urlsplit(url).scheme.lower()
        proxy = self._env_proxies.get(scheme)
        no_proxy = self._env_proxies.get("no")
        if proxy and no_proxy and urllib.request.proxy_bypass_environment(
                host_of(url), {"no": no_proxy}):
            return None
        return proxy

    def get(self, url: str, *, user_agent: str,
            cookies: CookieJar | None = None) -> Exchange | Failure:
        """One GET of `url` (no redirect followed), within the host limit and the deadline."""
        if self.network_down:
            return NO_NETWORK
        proxy = self.proxy_for(url)
        try:
            prepared = _prepare(url, user_agent, cookies)
        except (requests.RequestException, ValueError) as exc:
            return Failure("invalid", f"the URL cannot be requested ({exc})")
        with self.limiter.hold(host_of(url)):
            attempt = self._attempt(proxy)
            outcome = self._send(prepared, attempt, proxy, cookies)
            if _stale(outcome, attempt):
                # The server closed the kept-alive connection as the request went out on it:
                # send it once more on a new connection, as browsers do (not a retry).
                outcome = self._send(prepared, self._attempt(proxy, attempt.remaining()), proxy,
                                     cookies)
        self._record(outcome, url, proxy)
        return outcome

    def _attempt(self, proxy: str | None, deadline: float | None = None) -> Attempt:
        # Behind a proxy the only name looked up here is the proxy's own.
        return Attempt(self.settings.deadline if deadline is None else deadline,
                       resolver=system_resolver if proxy else self.resolver,
                       guard=None if self.settings.allow_private or proxy else self.guard,
                       clock=self.clock)

    def _send(self, prepared: requests.PreparedRequest, attempt: Attempt, proxy: str | None,
              cookies: CookieJar | None) -> Exchange | Failure:
        started = dt.datetime.now(dt.UTC)
        begun = self.clock()
        with attempt:
            try:
                # The adapter, not Session.send: even with allow_redirects=False, Session.send
                # prepares Response.next, reading a 3xx body whole and decoded
                # (psf/requests#4123: an endless or gzip-bomb redirect fills memory) and
                # decoding Location as UTF-8 (other bytes raise). The resolver follows hops.
                response = self.http.get_adapter(prepared.url).send(
                    prepared, stream=True, verify=self.verify, cert=None,
                    timeout=(self.settings.connect_timeout, self.settings.read_timeout),
                    proxies={"http": proxy, "https": proxy} if proxy else {})
            except requests.RequestException as exc:
                return classify(exc, attempt, self.settings)
            if attempt.expired:  # the head was cut by the watchdog: http.client took it whole
                response.raw.close()
                return Failure("deadline", _deadline_reason(self.settings))
            if cookies is not None:
                extract_cookies_to_jar(cookies, prepared, response.raw)
            exchange = _exchange(prepared, response, started, attempt, self.settings.max_body)
        exchange.elapsed_ms = int((self.clock() - begun) * 1000)
        if proxy:  # the address connected to is the proxy's, not the site's
            exchange.ip, exchange.port = None, None
            exchange.extra["proxy"] = proxy
        _finish(response, complete=exchange.truncated is None)
        return exchange

    def _record(self, outcome: Exchange | Failure, url: str, proxy: str | None) -> None:
        if isinstance(outcome, Exchange):
            self.breaker.success()
        elif outcome.network and (proxy is None or outcome.kind == "proxy"):
            self.breaker.failure(host_of(url), dns=outcome.kind == "dns")

    def _delay_for(self, host: str) -> float:
        rule = self.settings.rule_for(host)
        if rule is not None and rule.delay is not None:
            return rule.delay
        return self.settings.per_host_delay

    def _probe(self) -> bool:
        for host in PROBE_HOSTS:
            try:
                if lookup(self.resolver, host, 443, min(3.0, self.settings.connect_timeout)):
                    return True
            except OSError:
                continue
        return False

    def close(self) -> None:
        """Close the pooled connections."""
        self.http.close()

    def __enter__(self) -> FetchSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def build_requests_session() -> requests.Session:
    """A requests.Session that reads nothing from the environment and connects through the guard."""
    session = requests.Session()
    session.trust_env = False  # no .netrc, no ambient proxies: FetchSession passes them itself
    # Cookies live in each resolution's own jar; the shared session keeps none across sites.
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    adapter = GuardedAdapter(max_retries=0, pool_maxsize=8)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _environment_proxies(environ: Mapping[str, str] | None) -> dict[str, str]:
    env = urllib.request.getproxies_environment() if environ is None else {
        key.lower()[:-6]: value for key, value in environ.items()
        if key.lower().endswith("_proxy") and value}
    return {key: value for key, value in env.items() if key in ("http", "https", "no")}


def _prepare(url: str, user_agent: str, cookies: CookieJar | None) -> requests.PreparedRequest:
    headers = {"User-Agent": user_agent, "Accept": ACCEPT,
               "Accept-Encoding": "gzip, deflate", "Connection": "keep-alive"}
    prepared = requests.Request("GET", url, headers=headers, cookies=cookies).prepare()
    netloc = urlsplit(prepared.url).netloc.rpartition("@")[2]
    # Host is set here, first, so the headers recorded are exactly the headers sent.
    prepared.headers = CaseInsensitiveDict([("Host", netloc), *prepared.headers.items()])
    return prepared


def read_body(raw: Any, limit: int, attempt: Attempt) -> tuple[Any, int, str | None]:
    """Stream a body as received into a spooled file: (file at 0, length, truncated reason)."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)  # noqa: SIM115 - the Exchange owns it
    length, truncated = 0, None
    read = getattr(raw, "read1", None) or raw.read
    try:
        while chunk := read(READ_SIZE, decode_content=False):
            room = limit - length
            spool.write(chunk[:room])
            length += min(len(chunk), room)
            if len(chunk) > room:
                truncated = "length"
                break
    except (Urllib3Error, http.client.HTTPException, OSError) as exc:
        timed_out = attempt.expired or isinstance(exc, ReadTimeoutError | TimeoutError)
        truncated = "time" if timed_out else "disconnect"
        log.debug("body cut (%s): %s", truncated, exc)
    spool.seek(0)
    return spool, length, truncated


def _exchange(prepared: requests.PreparedRequest, response: requests.Response,
              started: dt.datetime, attempt: Attempt, limit: int) -> Exchange:
    """The exchange as sent and received, its body read (within the cap and the deadline)."""
    raw = response.raw
    body, length, truncated = read_body(raw, limit, attempt)
    ip, port = attempt.peer or (None, None)
    return Exchange(
        url=prepared.url or "",
        method="GET",
        request_headers=list(prepared.headers.items()),
        http_version=_VERSIONS.get(getattr(raw, "version", 11), "HTTP/1.1"),
        status=response.status_code,
        reason=getattr(raw, "reason", None) or response.reason or "",
        response_headers=raw_headers(raw),
        body=body,
        body_length=length,
        started=started,
        truncated=truncated,
        ip=ip,
        port=port,
    )


def raw_headers(raw: Any) -> list[tuple[str, str]]:
    """Response headers in the order received, duplicates kept (http.client's message)."""
    original = getattr(raw, "_original_response", None)
    if original is not None and getattr(original, "msg", None) is not None:
        return [(str(k), str(v)) for k, v in original.msg.items()]
    return [(str(k), str(v)) for k, v in raw.headers.iteritems()]


def _finish(response: requests.Response, *, complete: bool) -> None:
    if complete:
        response.raw.release_conn()  # read to the end: the connection may be reused
    else:
        response.raw.close()  # cut short: drop the connection
    response.close()


def classify(exc: requests.RequestException, attempt: Attempt, settings: Settings) -> Failure:
    """What a request exception means, using what the socket layer recorded in the attempt."""
    if attempt.refused:
        return Failure("refused", attempt.refused)
    if attempt.expired:
        return Failure("deadline", _deadline_reason(settings))
    if attempt.dns_error is not None:
        return _dns_failure(attempt.dns_error, urlsplit(exc.request.url if exc.request else "")
                            .hostname or "the host")
    if isinstance(exc, requests.exceptions.ProxyError):
        return Failure("proxy", f"the proxy failed: {_short(exc)}", retryable=True, network=True)
    if isinstance(exc, requests.exceptions.SSLError):
        return Failure("tls", f"TLS failed: {_short(exc)}")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Failure("connect", f"connection timed out after {settings.connect_timeout:g} s",
                       retryable=True, network=True)
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return Failure("timeout", f"no response within the {settings.read_timeout:g} s read "
                                  "timeout")
    broken = _broken_head(exc)
    if broken is not None:  # the server answered, but not in HTTP: asking again gets the same
        return Failure("http", f"the response is not valid HTTP ({_short(broken)})")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return _connection_failure(exc, attempt)
    return Failure("connect", f"request failed: {_short(exc)}", retryable=True)


def _stale(outcome: Exchange | Failure, attempt: Attempt) -> bool:
    """Whether a request failed only because the kept-alive connection it reused was closed."""
    return (isinstance(outcome, Failure) and outcome.kind == "connect" and attempt.reused
            and attempt.connect_error is None and not attempt.expired)


def _broken_head(exc: BaseException) -> http.client.HTTPException | None:
    """The http.client error behind a request exception when the response head was not HTTP.

    A bad status line, a header line over 64 KiB, more than 100 headers: requests reports
    them as ConnectionError(ProtocolError(…, error)). A connection closed before any answer
    (RemoteDisconnected, a ConnectionError too) is not one: that is the connection's failure.
    """
    for _ in range(3):  # requests' exception, urllib3's, then http.client's
        inner = next((arg for arg in exc.args if isinstance(arg, BaseException)), None)
        if inner is None:
            return None
        if isinstance(inner, http.client.HTTPException) and not isinstance(inner, OSError):
            return inner
        exc = inner
    return None


def _deadline_reason(settings: Settings) -> str:
    return f"no complete response within the {settings.deadline:g} s deadline"


def _dns_failure(error: OSError, host: str) -> Failure:
    if isinstance(error, DnsTimeout):
        return Failure("dns", f"DNS lookup for {host} timed out", retryable=True, network=True)
    return Failure("dns", f"DNS lookup for {host} failed ({error.strerror or error})",
                   retryable=error.errno == socket.EAI_AGAIN, network=True)


def _connection_failure(exc: requests.RequestException, attempt: Attempt) -> Failure:
    error = attempt.connect_error
    if error is not None and error.errno == errno.ECONNREFUSED:
        return Failure("connect", "connection refused", retryable=True)
    if error is not None:
        network = isinstance(error, TimeoutError) or error.errno in _NETWORK_ERRNOS
        return Failure("connect", f"cannot connect: {error.strerror or error}",
                       retryable=True, network=network)
    return Failure("connect", f"connection failed: {_short(exc)}", retryable=True)


def _short(exc: BaseException) -> str:
    text = str(exc.args[0] if exc.args else exc)
    return text if len(text) <= 200 else text[:197] + "..."
