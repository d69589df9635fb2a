"""DNS that lies: answers that change between check and connection, mixed answers, slow answers.

The session's one resolver is scripted (hostile_net.ScriptedDns); "public.test" answers the
stand-in public address 127.0.0.2, whose server shares its port with the canary on 127.0.0.1.
"""

from __future__ import annotations

import socket
from urllib.parse import quote

import pytest
from hostile_net import PUBLIC, Slow
from hostile_stage import QUICK, Stage

from citecheck.models import LinkStatus

PRIVATE_ANSWERS = ["127.0.0.1", "::1", "::ffff:127.0.0.1", "10.0.0.1", "169.254.169.254",
                   "fd00::1", "100.64.0.1", "0.0.0.0"]


def assert_nothing_reached(stage: Stage) -> None:
    assert stage.canary.hits == 0
    assert stage.fence.leaks == []
    assert stage.airlock.stopped == []


@pytest.mark.parametrize("private", PRIVATE_ANSWERS)
def test_rebinding_cannot_move_an_open_connection(stage: Stage, private: str) -> None:
    stage.dns.script["rebind.test"] = [[str(PUBLIC)], [private]]
    resolution = stage.resolve(stage.public.url("/page", host="rebind.test"))
    assert resolution.link.status is LinkStatus.OK
    assert stage.dns.calls == ["rebind.test"]  # one lookup: the address checked is the one used
    assert resolution.link.hops[-1].ip == str(PUBLIC)
    assert_nothing_reached(stage)


@pytest.mark.parametrize("private", PRIVATE_ANSWERS)
def test_rebinding_on_the_next_connection_is_refused(stage: Stage, private: str) -> None:
    stage.dns.script["rebind.test"] = [[str(PUBLIC)], [private]]
    path = f"/to?close=1&addr={quote('/page')}"  # the server hangs up: the next hop reconnects
    resolution = stage.resolve(stage.public.url(path, host="rebind.test"))
    assert (resolution.link.status, resolution.cause) == (LinkStatus.REFUSED, "refused")
    assert stage.dns.calls == ["rebind.test", "rebind.test"]
    assert stage.public.hits["page"] == 0
    assert_nothing_reached(stage)


@pytest.mark.parametrize("private", PRIVATE_ANSWERS[:4])
def test_rebinding_between_retries_is_refused(stage: Stage, private: str) -> None:
    stage.dns.script["rebind.test"] = [[str(PUBLIC)], [private]]
    resolution = stage.resolve(stage.public.url("/unavailable", host="rebind.test"),
                               QUICK.replace(retries=2))
    assert (resolution.link.status, resolution.cause) == (LinkStatus.REFUSED, "refused")
    assert stage.public.hits["unavailable"] == 1
    assert_nothing_reached(stage)


def test_rebinding_on_every_hop_of_a_chain(stage: Stage) -> None:
    """Answers alternate public, private, public…: the second connection is the one refused."""
    stage.dns.script["flip.test"] = [[str(PUBLIC)], ["127.0.0.1"], [str(PUBLIC)], ["127.0.0.1"]]
    inner = stage.public.url("/page", host="flip.test")
    hop = f"/to?close=1&addr={quote(inner)}"
    resolution = stage.resolve(stage.public.url(hop, host="flip.test"))
    assert resolution.link.status is LinkStatus.REFUSED
    assert_nothing_reached(stage)


@pytest.mark.parametrize("private", PRIVATE_ANSWERS)
@pytest.mark.parametrize("public_first", [True, False], ids=["public-first", "private-first"])
def test_mixed_answers_are_refused(stage: Stage, private: str, public_first: bool) -> None:
    answer = [str(PUBLIC), private] if public_first else [private, str(PUBLIC)]
    stage.dns.script["mixed.test"] = [answer]
    resolution = stage.resolve(stage.public.url("/page", host="mixed.test"))
    assert (resolution.link.status, resolution.cause) == (LinkStatus.REFUSED, "refused")
    assert stage.public.accepts == 0  # not even the public address is contacted
    assert_nothing_reached(stage)


def test_one_private_answer_among_a_thousand(stage: Stage) -> None:
    answer = [str(PUBLIC)] * 999 + ["10.1.2.3"]
    stage.dns.script["crowd.test"] = [answer]
    resolution = stage.resolve(stage.public.url("/page", host="crowd.test"))
    assert resolution.link.status is LinkStatus.REFUSED
    assert stage.public.accepts == 0
    assert_nothing_reached(stage)


def test_slow_dns_is_cut_off(stage: Stage) -> None:
    stage.dns.script["slow.test"] = [Slow(10, [str(PUBLIC)])]
    resolution = stage.resolve(stage.public.url("/page", host="slow.test"),
                               QUICK.replace(connect_timeout=0.3))
    assert (resolution.link.status, resolution.cause) == (LinkStatus.UNREACHABLE, "dns")
    assert stage.public.accepts == 0


def test_slow_dns_within_its_budget_is_used(stage: Stage) -> None:
    stage.dns.script["slowish.test"] = [Slow(0.2, [str(PUBLIC)])]
    resolution = stage.resolve(stage.public.url("/page", host="slowish.test"))
    assert resolution.link.status is LinkStatus.OK


def test_a_late_private_answer_is_never_used(stage: Stage) -> None:
    stage.dns.script["late.test"] = [Slow(10, ["127.0.0.1"])]
    resolution = stage.resolve(stage.public.url("/page", host="late.test"),
                               QUICK.replace(connect_timeout=0.3))
    stage.dns.release()  # the abandoned lookup returns now, with its private answer
    assert (resolution.link.status, resolution.cause) == (LinkStatus.UNREACHABLE, "dns")
    assert_nothing_reached(stage)


def test_slow_dns_on_a_redirect_target(stage: Stage) -> None:
    stage.dns.script["slow.test"] = [Slow(10, ["127.0.0.1"])]
    target = stage.public.url("/page", host="slow.test")
    resolution = stage.resolve(stage.public.url(f"/to?addr={quote(target)}", host="public.test"),
                               QUICK.replace(connect_timeout=0.3))
    assert (resolution.link.status, resolution.cause) == (LinkStatus.UNREACHABLE, "dns")
    assert_nothing_reached(stage)


@pytest.mark.parametrize("error, calls", [
    (socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"), 3),
    (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), 1),
    (socket.gaierror(socket.EAI_FAIL, "Non-recoverable failure"), 1),
    (OSError("resolver exploded"), 1),
], ids=["again", "noname", "fail", "oserror"])
def test_dns_failures_end_as_dns(stage: Stage, error: OSError, calls: int) -> None:
    stage.dns.script["broken.test"] = [error]
    resolution = stage.resolve("http://broken.test/", QUICK.replace(retries=2))
    assert (resolution.link.status, resolution.cause) == (LinkStatus.UNREACHABLE, "dns")
    assert len(stage.dns.calls) == calls  # only a temporary failure is retried


def test_an_empty_answer_is_no_address(stage: Stage) -> None:
    stage.dns.script["empty.test"] = [[]]
    resolution = stage.resolve("http://empty.test/")
    assert (resolution.link.status, resolution.cause) == (LinkStatus.UNREACHABLE, "dns")
    assert_nothing_reached(stage)
