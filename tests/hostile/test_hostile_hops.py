"""Every hop is checked: meta refresh, script and interstitial hops, schemes, and URL spellings
that different parsers read differently. Wherever a URL points, the canary stays at zero.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hostile_stage import Stage

from citecheck.models import HopKind, LinkStatus

REFUSED, INVALID, OK, DEAD = (LinkStatus.REFUSED, LinkStatus.INVALID_URL, LinkStatus.OK,
                              LinkStatus.DEAD)

# Private targets, written with {port} (the canary's): a literal, a mapped literal, a name the
# scripted DNS sends to loopback, cloud metadata.
TARGETS = ["http://127.0.0.1:{port}/x", "http://[::ffff:127.0.0.1]:{port}/x",
           "http://inside.test:{port}/x", "http://169.254.169.254/latest/meta-data/",
           "http://0x7f.1:{port}/x", "//127.0.0.1:{port}/x"]
HOP_KINDS = [("refresh", HopKind.META_REFRESH), ("js", HopKind.JAVASCRIPT),
             ("interstitial", HopKind.INTERSTITIAL)]

SCHEMES = ["file:///etc/passwd", "gopher://127.0.0.1:{port}/_GET", "dict://127.0.0.1:{port}/",
           "ftp://127.0.0.1:{port}/", "javascript:alert(1)", "data:text/html,<b>x</b>",
           "ldap://127.0.0.1:{port}/", "jar:http://127.0.0.1:{port}/x!/", "ws://127.0.0.1:{port}/"]

# URLs that parsers disagree about; the outcome each one has, and the one lookup made (None:
# none). Whatever host a parser picks, the transport's guard sees the address it connects to.
CONFUSIONS = [
    ("http://public.test:{port}@127.0.0.1:{port}/", REFUSED, None),
    ("http://127.0.0.1:{port}@public.test:{port}/page", OK, "public.test"),
    ("http://127.0.0.1:{port}%2f@public.test:{port}/page", OK, "public.test"),
    ("http://public.test:{port}#@127.0.0.1:{port}/", DEAD, "public.test"),
    ("http://public.test:{port}?@127.0.0.1:{port}/", DEAD, "public.test"),
    # urlsplit reads the host after a backslash, urllib3 (like a browser) before it: such a
    # URL is invalid, whichever host either side names
    ("http://public.test:{port}\\@127.0.0.1:{port}/", INVALID, None),
    ("http://127.0.0.1:{port}\\@public.test:{port}/page", INVALID, None),
    ("http://public.test:{port}\\@public.test:{port}/page", INVALID, None),
    ("http://public.test:{port}/a\\b@127.0.0.1/", DEAD, "public.test"),  # in the path: fine
    ("http://user:pass@127.0.0.1:{port}/", REFUSED, None),
    ("HTTP://127.0.0.1:{port}/", REFUSED, None),
    ("https://127.0.0.1:{port}/", REFUSED, None),
    ("http://[::ffff:127.0.0.1%25lo]:{port}/", REFUSED, None),
    ("http://127.0.0.1\t:{port}/", INVALID, None),
    ("http:/127.0.0.1:{port}/", INVALID, None),
    ("http:\\\\127.0.0.1:{port}\\", INVALID, None),
    ("http://127.0.0.1:{port}:80/", INVALID, None),
    ("http://①②⑦.0.0.1:{port}/", INVALID, None),
    ("http://PUBLIC.TEST:{port}/page", OK, "public.test"),
]


def assert_nothing_reached(stage: Stage) -> None:
    assert stage.canary.hits == 0
    assert stage.fence.leaks == []
    assert stage.airlock.stopped == []


def via(stage: Stage, route: str, target: str) -> str:
    """A URL on the public stand-in whose `route` sends the reader to `target`."""
    arg = "addr" if route == "to" else "to"
    return stage.public.url(f"/{route}?{arg}={quote(target)}", host="public.test")


@pytest.mark.parametrize("route, kind", HOP_KINDS, ids=[k[0] for k in HOP_KINDS])
@pytest.mark.parametrize("target", TARGETS)
def test_every_kind_of_hop_is_checked(stage: Stage, route: str, kind: HopKind,
                                      target: str) -> None:
    stage.dns.script["inside.test"] = [["127.0.0.1"]]
    resolution = stage.resolve(via(stage, route, target.format(port=stage.port)))
    assert (resolution.link.status, resolution.cause) == (REFUSED, "refused")
    first, *rest = resolution.link.hops
    assert first.kind is kind
    assert all(hop.status is None for hop in rest)  # a refused connection got no answer
    assert stage.public.hits[route] == 1
    assert_nothing_reached(stage)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_every_redirect_status_is_checked(stage: Stage, status: int) -> None:
    target = f"http://127.0.0.1:{stage.port}/x"
    url = stage.public.url(f"/to?status={status}&addr={quote(target)}", host="public.test")
    assert stage.resolve(url).link.status is REFUSED
    assert_nothing_reached(stage)


def test_a_private_hop_deep_in_a_chain(stage: Stage) -> None:
    target = f"http://[::ffff:127.0.0.1]:{stage.port}/x"
    url = via(stage, "to", via(stage, "refresh", via(stage, "to", target)))
    resolution = stage.resolve(url)
    assert resolution.link.status is REFUSED
    assert len(resolution.link.hops) == 3
    assert_nothing_reached(stage)


@pytest.mark.parametrize("scheme_url", SCHEMES)
def test_other_schemes_are_refused(stage: Stage, scheme_url: str) -> None:
    target = scheme_url.format(port=stage.port)
    direct = stage.resolve(target)
    redirected = stage.resolve(via(stage, "to", target))
    assert (direct.link.status, direct.cause) == (REFUSED, "refused")
    assert (redirected.link.status, redirected.cause) == (REFUSED, "refused")
    assert_nothing_reached(stage)


@pytest.mark.parametrize("template, status, lookup", CONFUSIONS, ids=[c[0] for c in CONFUSIONS])
def test_urls_that_parsers_disagree_about(stage: Stage, template: str, status: LinkStatus,
                                          lookup: str | None) -> None:
    resolution = stage.resolve(template.format(port=stage.port))
    assert resolution.link.status is status
    assert stage.dns.calls == ([lookup] if lookup else [])
    assert_nothing_reached(stage)


# Targets no parser agrees to read; written with {port} (the public stand-in's).
BROKEN_TARGETS = [
    "http://[", "http://[::1", "http://[fe80::1%]/", "http://[::ffff:127.0.0.1", "https://[:]/",
    "http://a:99999/", "http://a:-1/", "http://a.test:80:80/", "http://user@:80/", "http://a..b/",
    "http://%00/", "http://\u3002\u3002/", "http://1.1.1.1.1/", "http://0x100000000/",
    "//", "http:", "http:///x", "#frag", "?x=1", "%", "%zz", "\\\\evil.test\\x",
    "ht\x00tp://a/", "http://public.test:{port}/" + "a" * 20_000,
]
NOT_OK = {LinkStatus.UNREACHABLE, LinkStatus.DEAD, LinkStatus.INVALID_URL, LinkStatus.REFUSED}


@pytest.mark.parametrize("route", ["to", "refresh", "js", "interstitial"])
@pytest.mark.parametrize("target", BROKEN_TARGETS, ids=[t[:40] for t in BROKEN_TARGETS])
def test_broken_targets_end_as_outcomes(stage: Stage, route: str, target: str) -> None:
    """Whatever a Location, a refresh, a script or a link says, resolve returns an outcome."""
    resolution = stage.resolve(via(stage, route, target.format(port=stage.port)))
    assert resolution.link.status in NOT_OK | {LinkStatus.OK}
    if route == "to" and "://" in target and "public.test" not in target:
        assert resolution.link.status in NOT_OK
    assert_nothing_reached(stage)
