"""The private-address guard: spellings of IP hosts and the refusal table."""

from __future__ import annotations

import ipaddress

import pytest

from citecheck.fetch.guard import embedded_ipv4, host_refusal, parse_ip_host, refusal_reason

LOOPBACK = ipaddress.ip_address("127.0.0.1")


@pytest.mark.parametrize("host, expected", [
    ("127.0.0.1", "127.0.0.1"),
    ("0", "0.0.0.0"),
    ("0x", "0.0.0.0"),  # WHATWG reads a bare 0x as zero
    ("127.1", "127.0.0.1"),
    ("127.0.1", "127.0.0.1"),
    ("2130706433", "127.0.0.1"),
    ("0x7f.1", "127.0.0.1"),
    ("0177.0.0.1", "127.0.0.1"),
    ("0x7f000001", "127.0.0.1"),
    ("0X7F.0.0.1", "127.0.0.1"),
    ("127.0.0.1.", "127.0.0.1"),
    ("017700000001", "127.0.0.1"),
    ("10.1", "10.0.0.1"),
    ("0xa.0.0.1", "10.0.0.1"),
    ("169.254.43518", "169.254.169.254"),
    ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
    ("[::1]", "::1"),
    ("[0:0:0:0:0:ffff:7f00:1]", "::ffff:7f00:1"),
    ("::1", "::1"),
    ("[fe80::1%25eth0]", "fe80::1"),
    ("8.8.8.8", "8.8.8.8"),
])
def test_parse_ip_host_reads_every_spelling(host: str, expected: str) -> None:
    assert parse_ip_host(host) == ipaddress.ip_address(expected)


@pytest.mark.parametrize("host", [
    "example.org", "localhost", "1.2.3.4.5", "256.0.0.1", "08.0.0.1", "1.0x1g",
    "[not-v6]", "", "1.2.3.256", "4294967296", "1_0.0.0.1", "+1.2.3.4", "xn--bcher-kva.example",
])
def test_parse_ip_host_leaves_names_and_nonsense(host: str) -> None:
    assert parse_ip_host(host) is None


@pytest.mark.parametrize("address, reason", [
    # IPv4 special ranges
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("10.0.0.1", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.255", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),
    ("100.64.0.1", "cgnat"),
    ("100.127.255.254", "cgnat"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("0.0.0.0", "unspecified"),
    ("0.1.2.3", "unspecified"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "broadcast"),
    ("192.0.0.8", "reserved"),
    ("192.88.99.1", "reserved"),
    ("192.0.2.10", "documentation"),
    ("198.51.100.7", "documentation"),
    ("203.0.113.99", "documentation"),
    ("198.18.0.1", "benchmarking"),
    ("198.19.255.1", "benchmarking"),
    # IPv6 special ranges
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fc00::1", "private"),
    ("fd12:3456:789a::1", "private"),
    ("fe80::1", "link-local"),
    ("fec0::1", "reserved"),
    ("ff02::1", "multicast"),
    ("2001:db8::1", "documentation"),
    ("3fff::1", "documentation"),
    ("2001:2::1", "benchmarking"),
    ("100::1", "reserved"),
    ("2001:20::1", "reserved"),
    ("4000::1", "reserved"),
    # IPv4 inside IPv6: 127.0.0.1 and 10.0.0.1 in every encoding
    ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:10.0.0.1", "private"),
    ("::127.0.0.1", "loopback"),
    ("::10.0.0.1", "private"),
    ("2002:7f00:1::", "loopback"),
    ("2002:a00:1::1", "private"),
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),  # Teredo, client 127.0.0.1
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "private"),  # Teredo, client 10.0.0.1
    ("64:ff9b::7f00:1", "loopback"),
    ("64:ff9b::a00:1", "private"),
    ("64:ff9b:1::7f00:1", "loopback"),
    ("64:ff9b:1::a00:1", "private"),
    ("::ffff:169.254.169.254", "link-local"),
    ("64:ff9b::6440:1", "cgnat"),
    # transition forms that are refused even around a public address
    ("::8.8.8.8", "reserved"),
    ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", "reserved"),  # Teredo, client 8.8.8.8
    ("64:ff9b:1::808:808", "reserved"),
])
def test_refusal_reason_refuses(address: str, reason: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", [
    "1.1.1.1", "8.8.8.8", "93.184.215.14", "151.101.1.140", "100.63.255.255", "100.128.0.1",
    "172.32.0.1", "2606:4700::1111", "2a00:1450:4001:82b::200e", "::ffff:8.8.8.8",
    "64:ff9b::808:808", "2002:808:808::1",
])
def test_refusal_reason_passes_global_unicast(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("address", [
    "::ffff:127.0.0.1", "::127.0.0.1", "2002:7f00:1::", "2001:0:4136:e378:8000:63bf:80ff:fffe",
    "64:ff9b::7f00:1", "64:ff9b:1::7f00:1",
])
def test_embedded_ipv4_unwraps_every_form(address: str) -> None:
    assert embedded_ipv4(ipaddress.IPv6Address(address)) == LOOPBACK


@pytest.mark.parametrize("host, reason", [
    ("0x7f.1", "loopback"),
    ("[::ffff:127.0.0.1]", "loopback"),
    ("2130706433", "loopback"),
    ("0", "unspecified"),
    ("example.org", None),
    ("1.1.1.1", None),
])
def test_host_refusal(host: str, reason: str | None) -> None:
    assert host_refusal(host) == reason
