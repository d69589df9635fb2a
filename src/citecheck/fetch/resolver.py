"""Resolve one URL: follow every hop (3xx, meta refresh, script, interstitial) to the final page.

Each hop is one GET sent by `FetchSession.get`, retried on connection errors, 5xx and 429
with exponential backoff and jitter (Retry-After honoured up to a cap). The outcome is a
`LinkResult` (status, final URL, hops, reason) and the exchanges of every hop, in order,
for the archive.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import random
from dataclasses import dataclass, field
from http.cookiejar import CookieJar

from citecheck.fetch.exchange import Exchange
from citecheck.fetch.onward import SAMPLE_BYTES, Onward, decode_sample, find_onward, is_html
from citecheck.fetch.session import Failure, FetchSession
from citecheck.fetch.urls import hop_key, host_of, join_location, url_problem
from citecheck.models import Hop, HopKind, LinkResult, LinkStatus
from citecheck.settings import Settings

log = logging.getLogger(__name__)

BLOCKED_STATUSES = frozenset({401, 403, 429, 451})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class Resolution:
    """What resolving one URL found, and every hop's exchange (the caller archives and closes)."""

    link: LinkResult
    exchanges: list[Exchange] = field(default_factory=list)
    # Why the link is not ok, as a stable word: excluded, invalid, refused, loop, too-many-hops,
    # http (a 4xx/5xx or a 3xx with nothing to follow), dns, connect, timeout, deadline, tls,
    # proxy, no-network. None when the link is ok.
    cause: str | None = None

    def close(self) -> None:
        """Release every exchange's spooled body."""
        for exchange in self.exchanges:
            exchange.close()


def resolve(url: str, settings: Settings, session: FetchSession | None = None) -> Resolution:
    """Follow `url` hop by hop to its final page (no request when excluded, invalid or refused)."""
    if session is not None:
        return _Chain(url, settings, session).run()
    with FetchSession(settings) as own:
        return _Chain(url, settings, own).run()


class _Chain:
    """The state of one resolution: hops so far, exchanges, URLs seen, cookies."""

    def __init__(self, url: str, settings: Settings, session: FetchSession) -> None:
        self.url = url
        self.settings = settings
        self.session = session
        self.hops: list[Hop] = []
        self.exchanges: list[Exchange] = []
        self.seen: set[tuple[str, str]] = set()
        self.cookies = CookieJar()
        self.checked_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    def run(self) -> Resolution:
        if self.settings.is_excluded(self.url):
            return self._end(LinkStatus.SKIPPED, "excluded by configuration", cause="excluded")
        problem = url_problem(self.url, check_address=not self.settings.allow_private)
        if problem is not None:
            return self._end(problem.status, problem.reason, cause=_problem_cause(problem.status))
        current = self.url
        while True:
            key = (hop_key(current), _cookie_state(self.cookies))
            if key in self.seen:
                return self._loop(current)
            self.seen.add(key)
            outcome = self._fetch(current)
            if isinstance(outcome, Failure):
                self.hops.append(Hop(current, None, HopKind.FINAL))
                return self._failed(outcome, current)
            self.exchanges.append(outcome)
            onward = self._onward(outcome, current)
            if onward is None:
                self.hops.append(_hop(outcome, current, HopKind.FINAL))
                return self._final(outcome, current)
            self.hops.append(_hop(outcome, current, onward.kind, onward.url))
            if len(self.hops) > self.settings.max_hops:
                return self._end(LinkStatus.UNREACHABLE, f"too many redirects (more than "
                                 f"{self.settings.max_hops})", current, outcome.status,
                                 cause="too-many-hops")
            stop = self._check_target(onward.url, current, outcome.status)
            if stop is not None:
                return stop
            current = onward.url

    def _fetch(self, url: str) -> Exchange | Failure:
        agent = _user_agent(self.settings, url)
        outcome = self.session.get(url, user_agent=agent, cookies=self.cookies)
        for attempt in range(self.settings.retries):
            if not _retryable(outcome) or self.session.network_down:
                break
            wait = _wait_before_retry(outcome, attempt, self.settings)
            log.debug("retrying %s in %.2f s (%s)", url, wait, _describe(outcome))
            if isinstance(outcome, Exchange):
                outcome.close()
            self.session.sleep(wait)
            outcome = self.session.get(url, user_agent=agent, cookies=self.cookies)
        return outcome

    def _onward(self, exchange: Exchange, url: str) -> Onward | None:
        location = exchange.header("Location")
        if exchange.status in REDIRECT_STATUSES and location:
            return Onward(join_location(url, _latin1_to_utf8(location)), HopKind.HTTP)
        if not 200 <= exchange.status < 300:
            return None
        raw = exchange.body.read(SAMPLE_BYTES)
        exchange.body.seek(0)
        sample = decode_sample(raw, exchange.header("Content-Encoding"))
        if not is_html(exchange.header("Content-Type"), sample):
            return None
        whole = exchange.truncated is None and exchange.body_length <= len(raw)
        return find_onward(sample, url, whole=whole)

    def _check_target(self, target: str, current: str, status: int) -> Resolution | None:
        problem = url_problem(target, check_address=not self.settings.allow_private)
        if problem is None:
            return None
        if problem.status is LinkStatus.REFUSED:
            return self._end(LinkStatus.REFUSED, f"redirect to {target}: {problem.reason}",
                             current, status, cause="refused")
        return self._end(LinkStatus.UNREACHABLE, f"redirect to an invalid URL {target!r}: "
                         f"{problem.reason}", current, status, cause="invalid")

    def _final(self, exchange: Exchange, url: str) -> Resolution:
        status = exchange.status
        rule = self.settings.rule_for(host_of(url))
        line = f"HTTP {status} {exchange.reason}".strip()
        if 200 <= status < 300:
            link_status, reason = LinkStatus.OK, None
        elif status in BLOCKED_STATUSES or (rule is not None and status in rule.blocked_statuses):
            link_status, reason = LinkStatus.BLOCKED, line
        elif status >= 400:
            link_status, reason = LinkStatus.DEAD, line
        else:
            link_status, reason = LinkStatus.UNREACHABLE, f"{line} with no Location to follow"
        return self._end(link_status, reason, url, status, exchange.header("Content-Type"),
                         cause=None if link_status is LinkStatus.OK else "http")

    def _failed(self, failure: Failure, url: str) -> Resolution:
        status = LinkStatus.REFUSED if failure.kind == "refused" else LinkStatus.UNREACHABLE
        if failure.kind == "invalid":
            status = LinkStatus.INVALID_URL
        return self._end(status, failure.reason, url, cause=failure.kind)

    def _loop(self, url: str) -> Resolution:
        chain = " -> ".join([hop.url for hop in self.hops] + [url])
        return self._end(LinkStatus.UNREACHABLE, f"redirect loop: {chain}", url,
                         self.hops[-1].status if self.hops else None, cause="loop")

    def _end(self, status: LinkStatus, reason: str | None, final_url: str | None = None,
             http_status: int | None = None, content_type: str | None = None, *,
             cause: str | None = None) -> Resolution:
        link = LinkResult(url=self.url, status=status, final_url=final_url,
                          http_status=http_status, hops=tuple(self.hops), reason=reason,
                          content_type=content_type, checked_at=self.checked_at, cause=cause)
        return Resolution(link, self.exchanges, cause)


def _problem_cause(status: LinkStatus) -> str:
    return "refused" if status is LinkStatus.REFUSED else "invalid"


def _hop(exchange: Exchange, url: str, kind: HopKind, location: str | None = None) -> Hop:
    return Hop(url=url, status=exchange.status, kind=kind, location=location,
               elapsed_ms=exchange.elapsed_ms, ip=exchange.ip)


def _user_agent(settings: Settings, url: str) -> str:
    rule = settings.rule_for(host_of(url))
    return rule.user_agent if rule is not None and rule.user_agent else settings.user_agent


def _retryable(outcome: Exchange | Failure) -> bool:
    if isinstance(outcome, Failure):
        return outcome.retryable
    return outcome.status in RETRY_STATUSES or 500 <= outcome.status < 600


def _wait_before_retry(outcome: Exchange | Failure, attempt: int, settings: Settings) -> float:
    """Retry-After when the server gives one (capped), else exponential backoff with jitter."""
    if isinstance(outcome, Exchange):
        after = retry_after_seconds(outcome.header("Retry-After"), dt.datetime.now(dt.UTC))
        if after is not None:
            return min(after, settings.retry_after_cap)
    base = settings.backoff * 2**attempt
    return base * random.uniform(0.5, 1.5)


def retry_after_seconds(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a Retry-After header (a number of seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def _cookie_state(jar: CookieJar) -> str:
    return ";".join(sorted(f"{c.domain}{c.path}{c.name}={c.value}" for c in jar))


def _latin1_to_utf8(value: str) -> str:
    """http.client reads headers as Latin-1; a UTF-8 Location is put back together."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _describe(outcome: Exchange | Failure) -> str:
    return outcome.reason if isinstance(outcome, Failure) else f"HTTP {outcome.status}"


def crashed(url: str, exc: BaseException) -> Resolution:
    """The outcome of a link that citecheck itself failed on (a bug): cause "error".

    The traceback is saved and named in the reason; the command finishes the other links,
    writes its report, and then exits with code 3.
    """
    from citecheck.crash import describe, save_traceback

    saved = save_traceback(exc)
    log.error("internal error on %s: %s", url, describe(exc))
    where = f"; traceback saved to {saved}" if saved else ""
    reason = f"citecheck failed on this link (a bug in citecheck: {describe(exc)}{where})"
    link = LinkResult(url=url, status=LinkStatus.UNREACHABLE, reason=reason, cause="error",
                      checked_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return Resolution(link, [], "error")
