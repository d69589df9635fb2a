"""SSRF from documents: no URL, redirect or DNS answer may reach a private address.

Every case ends with the canary at zero connections and the fence with no leak. The controls
run the same spellings with the guard off (allow_private) and the real resolver, and the
canary then does count the connection: what stopped the others was the guard, not a typo.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import quote

import pytest
from hostile_stage import QUICK, Stage

from citecheck.fetch.transport import system_resolver
from citecheck.models import LinkStatus

REFUSED, INVALID = LinkStatus.REFUSED, LinkStatus.INVALID_URL

# Ways to write 127.0.0.1 (or this machine) in a URL; the status expected; whether a connection
# with the guard off reaches the canary (the control). The forms that carry 127.0.0.1 inside a
# transition prefix (compatible, NAT64, 6to4) have no control: unguarded, they would be routed
# off the machine.
SPELLINGS = [
    ("0", REFUSED, True),
    ("0.0.0.0", REFUSED, True),
    ("127.1", REFUSED, True),
    ("127.0.1", REFUSED, True),
    ("2130706433", REFUSED, True),
    ("0x7f.1", REFUSED, True),
    ("0X7F.1", REFUSED, True),
    ("0x7f000001", REFUSED, True),
    ("0177.0.0.1", REFUSED, True),
    ("0177.1", REFUSED, True),
    ("017700000001", REFUSED, True),
    ("127.000.000.001", REFUSED, True),
    ("0x7f.0x0.0x0.0x1", REFUSED, True),
    ("00000000000000000000000177.1", REFUSED, True),
    ("127.0.0.1.", REFUSED, False),  # glibc resolves these two through DNS only
    ("127.127.127.127", REFUSED, False),  # nothing listens there, but it is loopback all the same
    ("[::1]", REFUSED, True),
    ("[0:0:0:0:0:0:0:1]", REFUSED, True),
    ("[0000::1]", REFUSED, True),
    ("[::ffff:127.0.0.1]", REFUSED, True),
    ("[::ffff:7f00:1]", REFUSED, True),
    ("[0:0:0:0:0:ffff:127.0.0.1]", REFUSED, True),
    ("localhost", REFUSED, True),
    ("LocalHost", REFUSED, True),
    ("localhost.", REFUSED, False),
    ("[::127.0.0.1]", REFUSED, False),
    ("[64:ff9b::127.0.0.1]", REFUSED, False),
    ("[64:ff9b:1::7f00:1]", REFUSED, False),
    ("[2002:7f00:1::]", REFUSED, False),
    ("[2001:0:4136:e378:8000:63bf:80ff:fffe]", REFUSED, False),  # Teredo, client 127.0.0.1
    ("[::ffff:0:127.0.0.1]", REFUSED, False),
    ("[::]", REFUSED, False),
    ("１２７.０.０.１", INVALID, False),  # fullwidth digits: not a name IDNA encodes
    ("%31%32%37.0.0.1", INVALID, False),
    ("127.0.0.1%00", INVALID, False),
    ("ⓛⓞⓒⓐⓛⓗⓞⓢⓣ", INVALID, False),
]

# A sample of every range the guard refuses, with the reason word docs/fetching.md gives.
RANGES = [
    ("10.0.0.1", "private"), ("10.255.255.254", "private"), ("172.16.0.1", "private"),
    ("172.31.255.254", "private"), ("192.168.0.1", "private"), ("192.168.255.254", "private"),
    ("127.0.0.1", "loopback"), ("127.255.255.254", "loopback"),
    ("169.254.169.254", "link-local"), ("169.254.0.1", "link-local"),
    ("100.64.0.1", "cgnat"), ("100.127.255.254", "cgnat"),
    ("224.0.0.1", "multicast"), ("239.255.255.250", "multicast"),
    ("0.0.0.0", "unspecified"), ("0.1.2.3", "unspecified"),
    ("255.255.255.255", "broadcast"),
    ("192.0.2.1", "documentation"), ("198.51.100.7", "documentation"),
    ("203.0.113.9", "documentation"),
    ("198.18.0.1", "benchmarking"), ("198.19.255.254", "benchmarking"),
    ("240.0.0.1", "reserved"), ("192.0.0.8", "reserved"), ("192.88.99.1", "reserved"),
    ("::1", "loopback"), ("::", "unspecified"),
    ("fc00::1", "private"), ("fd12:3456:789a::1", "private"),
    ("fe80::1", "link-local"), ("fe80::a9fe:a9fe", "link-local"),
    ("ff02::1", "multicast"), ("ff05::1:3", "multicast"),
    ("2001:db8::1", "documentation"), ("3fff::1", "documentation"),
    ("2001:2::1", "benchmarking"),
    ("100::1", "reserved"), ("fec0::1", "reserved"), ("2001:10::1", "reserved"),
    ("5f00::1", "reserved"), ("4000::1", "reserved"),
    # IPv6 forms around an IPv4 address: the IPv4 address is judged
    ("::ffff:10.0.0.1", "private"), ("::ffff:169.254.169.254", "link-local"),
    ("::ffff:100.64.0.1", "cgnat"), ("::10.0.0.1", "private"),
    ("64:ff9b::a9fe:a9fe", "link-local"), ("64:ff9b:1::a00:1", "private"),
    ("2002:a9fe:a9fe::1", "link-local"), ("2002:c0a8:1::1", "private"),
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "private"),  # Teredo, client 10.0.0.1
    # transition forms that are refused even around a public IPv4 address
    ("::8.8.8.8", "reserved"), ("64:ff9b:1::808:808", "reserved"),
    ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", "reserved"),  # Teredo, client 8.8.8.8
]


def netloc(address: str, port: int) -> str:
    """host:port for an address, bracketed when it is IPv6."""
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def assert_nothing_reached(stage: Stage) -> None:
    assert stage.canary.hits == 0
    assert stage.fence.leaks == []
    assert stage.airlock.stopped == []


def assert_refused(stage: Stage, resolution, status: LinkStatus = REFUSED) -> None:
    cause = "refused" if status is REFUSED else "invalid"
    assert (resolution.link.status, resolution.cause) == (status, cause)
    assert_nothing_reached(stage)


@pytest.mark.parametrize("host, status, control", SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_spellings_of_this_machine(stage: Stage, host: str, status: LinkStatus,
                                   control: bool) -> None:
    stage.dns.script["localhost"] = [["127.0.0.1", "::1"]]
    url = f"http://{host}:{stage.port}/page"
    resolution = stage.resolve(url)
    assert_refused(stage, resolution, status)
    assert stage.public.accepts == 0
    if control:
        if host.startswith("[") and stage.canary.v6 is None:
            pytest.skip("guarded part passed; no IPv6 loopback here for the control")
        stage.canary.start_control()
        unguarded = stage.resolve(url, QUICK.replace(allow_private=True),
                                  resolver=system_resolver)
        assert unguarded.link.status is not LinkStatus.REFUSED
        assert stage.canary.hits > stage.canary.control_from


@pytest.mark.parametrize("address, reason", RANGES, ids=[r[0] for r in RANGES])
def test_address_in_the_url(stage: Stage, address: str, reason: str) -> None:
    resolution = stage.resolve(f"http://{netloc(address, stage.port)}/")
    assert_refused(stage, resolution)
    assert stage.dns.calls == []  # refused before any lookup or connection
    assert f"a {reason} address" in resolution.link.reason


@pytest.mark.parametrize("address, reason", RANGES, ids=[r[0] for r in RANGES])
def test_name_that_resolves_to_the_address(stage: Stage, address: str, reason: str) -> None:
    stage.dns.script["inside.test"] = [[address]]
    resolution = stage.resolve(f"http://inside.test:{stage.port}/")
    assert_refused(stage, resolution)
    assert stage.dns.calls == ["inside.test"]
    assert ipaddress.ip_address(stage.fence.asked[0]) == ipaddress.ip_address(address)
    assert f"a {reason} address" in resolution.link.reason


@pytest.mark.parametrize("address, reason", RANGES, ids=[r[0] for r in RANGES])
def test_redirect_from_a_public_host(stage: Stage, address: str, reason: str) -> None:
    target = f"http://{netloc(address, stage.port)}/secret"
    resolution = stage.resolve(stage.public.url(f"/to?addr={quote(target)}", host="public.test"))
    assert_refused(stage, resolution)
    assert stage.public.hits["to"] == 1
    assert len(resolution.link.hops) == 1  # the redirect itself, never the private hop


@pytest.mark.parametrize("host, status", [(s[0], s[1]) for s in SPELLINGS[:25]],
                         ids=[s[0] for s in SPELLINGS[:25]])
def test_redirect_to_a_spelling_of_this_machine(stage: Stage, host: str,
                                                status: LinkStatus) -> None:
    stage.dns.script["localhost"] = [["127.0.0.1", "::1"]]
    target = f"http://{host}:{stage.port}/secret"
    resolution = stage.resolve(stage.public.url(f"/to?addr={quote(target)}", host="public.test"))
    assert resolution.link.status is LinkStatus.REFUSED
    assert_nothing_reached(stage)
    assert stage.public.hits["to"] == 1
