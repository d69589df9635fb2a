"""The private-address guard: which IP addresses citecheck may connect to (pure).

Only global unicast addresses pass. IPv6 forms that carry an IPv4 address (IPv4-mapped,
IPv4-compatible, 6to4, Teredo, NAT64) are unwrapped and the IPv4 address inside is judged,
so `[::ffff:127.0.0.1]` is refused as loopback. Host spellings that URL parsers and
inet_aton read as IPv4 numbers ("127.1", "0x7f.1", "2130706433") are read the same way here.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network

# Checked in order; the first network that holds the address gives the reason.
_V4_RULES: tuple[tuple[ipaddress.IPv4Network, str], ...] = (
    (_V4("0.0.0.0/8"), "unspecified"),  # "this network"; Linux connects 0.0.0.0 to itself
    (_V4("10.0.0.0/8"), "private"),
    (_V4("100.64.0.0/10"), "cgnat"),
    (_V4("127.0.0.0/8"), "loopback"),
    (_V4("169.254.0.0/16"), "link-local"),  # 169.254.169.254: cloud metadata
    (_V4("172.16.0.0/12"), "private"),
    (_V4("192.0.0.0/24"), "reserved"),  # IETF protocol assignments
    (_V4("192.0.2.0/24"), "documentation"),
    (_V4("192.88.99.0/24"), "reserved"),  # 6to4 relay anycast
    (_V4("192.168.0.0/16"), "private"),
    (_V4("198.18.0.0/15"), "benchmarking"),
    (_V4("198.51.100.0/24"), "documentation"),
    (_V4("203.0.113.0/24"), "documentation"),
    (_V4("224.0.0.0/4"), "multicast"),
    (_V4("255.255.255.255/32"), "broadcast"),
    (_V4("240.0.0.0/4"), "reserved"),
)

_V6_RULES: tuple[tuple[ipaddress.IPv6Network, str], ...] = (
    (_V6("::/128"), "unspecified"),
    (_V6("::1/128"), "loopback"),
    (_V6("100::/64"), "reserved"),  # discard-only
    (_V6("2001:2::/48"), "benchmarking"),
    (_V6("2001:10::/28"), "reserved"),  # ORCHID
    (_V6("2001:20::/28"), "reserved"),  # ORCHIDv2
    (_V6("2001:db8::/32"), "documentation"),
    (_V6("3fff::/20"), "documentation"),
    (_V6("5f00::/16"), "reserved"),  # segment routing
    (_V6("fc00::/7"), "private"),  # unique local addresses
    (_V6("fe80::/10"), "link-local"),
    (_V6("fec0::/10"), "reserved"),  # deprecated site-local
    (_V6("ff00::/8"), "multicast"),
)

_GLOBAL_UNICAST_V6 = _V6("2000::/3")
_MAPPED = _V6("::ffff:0:0/96")
_COMPATIBLE = _V6("::/96")
_NAT64 = _V6("64:ff9b::/96")
_NAT64_LOCAL = _V6("64:ff9b:1::/48")
_SIXTOFOUR = _V6("2002::/16")
_TEREDO = _V6("2001::/32")


def parse_ip_host(host: str) -> IPAddress | None:
    """The address a URL host names when it is an IP literal in any accepted spelling, else None.

    >>> parse_ip_host("0x7f.1")
    IPv4Address('127.0.0.1')
    >>> parse_ip_host("example.org") is None
    True
    """
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        return _parse_v6(host[1:-1])
    if ":" in host:
        return _parse_v6(host)
    return _parse_v4_number(host)


def _parse_v6(text: str) -> ipaddress.IPv6Address | None:
    try:
        return ipaddress.IPv6Address(text.split("%", 1)[0])
    except ValueError:
        return None


def _parse_v4_number(host: str) -> ipaddress.IPv4Address | None:
    """The WHATWG URL / inet_aton reading: 1 to 4 parts, decimal, 0x-hex or 0-octal."""
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # a trailing dot is allowed
    if not 1 <= len(parts) <= 4:
        return None
    numbers = [_parse_v4_part(part) for part in parts]
    if any(n is None for n in numbers):
        return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for index, part in enumerate(head):
        value += part << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _parse_v4_part(part: str) -> int | None:
    text = part.lower()
    base = 10
    if text.startswith("0x"):
        text, base = text[2:] or "0", 16
    elif len(text) > 1 and text.startswith("0"):
        text, base = text[1:], 8
    try:
        return int(text, base) if text.isalnum() and text.isascii() else None
    except ValueError:
        return None


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 transition form carries (mapped, 6to4, Teredo, NAT64…)."""
    if ip in _MAPPED:
        return ip.ipv4_mapped
    if ip in _TEREDO:
        return ip.teredo[1] if ip.teredo else None  # the client address, un-XOR'd
    if ip in _SIXTOFOUR:
        return ip.sixtofour
    if ip in _NAT64 or ip in _NAT64_LOCAL or (ip in _COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal_reason(ip: IPAddress) -> str | None:
    """None when citecheck may connect to `ip` (global unicast), else why not ("loopback"…)."""
    if isinstance(ip, ipaddress.IPv4Address):
        return _v4_reason(ip)
    inner = embedded_ipv4(ip)
    if inner is not None:
        reason = _v4_reason(inner)
        # Mapped, well-known NAT64 and 6to4 forms are ordinary ways to reach a public IPv4 host
        # (dual-stack sockets, DNS64, relays); IPv4-compatible (deprecated), Teredo and
        # local-use NAT64 are refused even around a public address.
        if reason or ip in _MAPPED or ip in _NAT64 or ip in _SIXTOFOUR:
            return reason
        return "reserved"
    return _v6_reason(ip)


def _v4_reason(ip: ipaddress.IPv4Address) -> str | None:
    reason = next((why for net, why in _V4_RULES if ip in net), None)
    if reason is None and not ip.is_global:
        return "reserved"
    return reason


def _v6_reason(ip: ipaddress.IPv6Address) -> str | None:
    reason = next((why for net, why in _V6_RULES if ip in net), None)
    if reason is None and (ip not in _GLOBAL_UNICAST_V6 or ip in _TEREDO or not ip.is_global):
        return "reserved"
    return reason


def host_refusal(host: str) -> str | None:
    """Why a URL host that is an IP literal may not be contacted; None for names and public IPs."""
    ip = parse_ip_host(host)
    return None if ip is None else refusal_reason(ip)
