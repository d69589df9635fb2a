"""The SSRF stage: a public stand-in and the canary on one port, scripted DNS, fence, airlock.

"public.test" resolves to 127.0.0.2, which stands in for a public address: the fence lets it
through. The hostile server listens there, on the port where the canary listens on 127.0.0.1
and ::1, so that any connection moved to loopback (rebinding, a redirect) lands on the canary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hostile_net import PUBLIC, Airlock, Canary, Fence, ScriptedDns
from hostile_server import HostileServer

from citecheck.fetch.resolver import Resolution, resolve
from citecheck.fetch.session import FetchSession
from citecheck.fetch.transport import Resolver
from citecheck.settings import Settings

# In-process cases: short timeouts, no retries unless a case asks, no real sleeping.
QUICK = Settings(retries=0, backoff=0.01, connect_timeout=2.0, read_timeout=2.0, deadline=5.0)


@dataclass
class Stage:
    """A public stand-in (127.0.0.2) and the canary (127.0.0.1, ::1) on one port, DNS, fence."""

    public: HostileServer
    canary: Canary
    dns: ScriptedDns
    airlock: Airlock
    fence: Fence = field(default_factory=Fence)

    @property
    def port(self) -> int:
        return self.canary.port

    def resolve(self, url: str, settings: Settings = QUICK, *,
                resolver: Resolver | None = None) -> Resolution:
        """Resolve through the scripted DNS (or `resolver`) and the fence; bodies released."""
        with FetchSession(settings, resolver=resolver or self.dns, guard=self.fence,
                          environ={}, sleep=lambda seconds: None) as fetch:
            resolution = resolve(url, settings, fetch)
        resolution.close()
        return resolution


def build_stage(airlock: Airlock) -> Stage | None:
    """Canary and public stand-in on one free port (None when no port could be had)."""
    for _ in range(20):
        canary = Canary()
        try:
            public = HostileServer(str(PUBLIC), canary.port)
        except OSError:
            canary.close()
            continue
        return Stage(public, canary, ScriptedDns({"public.test": [[str(PUBLIC)]]}), airlock)
    return None


def close_server(server: HostileServer) -> None:
    """Close a server; every one of its threads must be gone within a second."""
    left = server.close()
    assert not left, f"{len(left)} server thread(s) outlived the test by more than a second"
