"""Hostile text values straight into the renderers: controls, bidi, escapes, commands, size.

Each value goes into every string of a RunResult (hostile_output.run_with) and through every
report format; the text report is also rendered narrow and with the value pushed along the
line, so that wrapping puts it at the start of a line, where a CI runner reads commands.
"""

from __future__ import annotations

import pytest
from hostile_output import assert_inert, run_with
from hostile_tally import Case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.report import FORMATS, render

CONTROLS = [chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]]
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x61C]]
ESCAPES = [
    "\x1b[2J\x1b[H", "\x1b[31;1mred\x1b[0m", "\x1b]0;window title\x07",
    "\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\", "\x1b]52;c;cHduZWQ=\x07",
    "\x1bP+q544e\x1b\\", "\x9b31m", "\x1bc", "\x1b]8;;https://unterminated.example/",
    "\x1b[?1049h", "\x1b[6n", "\x1b(0lqk\x1b(B", "\x1bN\x1bO", "\x9d0;title\x9c",
]
COMMANDS = [
    "::error::x", "::warning file=x.py,line=1::x", "::add-mask::secret", "::stop-commands::tok",
    "::set-output name=a::b", "\u200b::error::zero width space", "\u00ad::warning::soft hyphen",
    "\ufeff::notice::byte order mark", "\u2060::error::word joiner", "\u200d::error::joiner",
    "\u180e::error::mongolian", "\u3164::error::hangul filler", "\u034f::error::grapheme joiner",
    "\u00a0::error::no-break space", "\u3000::error::ideographic space",
    "##[error]legacy", "##vso[task.setvariable variable=PATH]/tmp/evil",
    "##VSO[task.complete result=Succeeded]done", "##teamcity[buildStatus text='ok']",
    "##[group]fold", ":::triple",
]
NEWLINES = ["\n", "\r", "\r\n", "\v", "\f", "\x85", "\u2028", "\u2029", "\x1c", "\x1e"]
RENDER_BUDGET = 10.0  # seconds a case of renders may take before it counts as a hang


@pytest.fixture(autouse=True)
def render_budget(case: Case) -> None:
    case.deadline = RENDER_BUDGET


def assert_every_format_inert(value: str, width: int = 40) -> None:
    run = run_with(value)
    for fmt in FORMATS:
        assert_inert(render(run, fmt, width=width), fmt)


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_control_characters(char: str) -> None:
    assert_every_format_inert(f"Title{char}tail {char}")


@pytest.mark.parametrize("char", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_bidi_controls(char: str) -> None:
    assert_every_format_inert(f"invoice{char}fdp.exe and {char}::error::x")


@pytest.mark.parametrize("sequence", ESCAPES)
def test_escape_sequences(sequence: str) -> None:
    assert_every_format_inert(f"Title {sequence} after")


@pytest.mark.parametrize("command", COMMANDS)
def test_workflow_commands_after_a_line_break(command: str) -> None:
    assert_every_format_inert("Title" + "".join(newline + command for newline in NEWLINES))


@pytest.mark.parametrize("command", COMMANDS)
def test_wrapping_never_starts_a_line_with_a_command(command: str) -> None:
    for words in range(12):  # five-character words: every offset along a 40-column line
        run = run_with(f"{'word ' * words}{command} {command}")
        assert_inert(render(run, "text", width=40), "text")


def huge(size: int) -> str:
    return ("long ::error:: \x1b[31m " * (size // 20 + 1))[:size]


def test_huge_values() -> None:
    assert_every_format_inert(huge(40_000), width=100)


def test_a_huge_value_in_the_terminal_is_cut() -> None:
    """rich wraps in time that grows with the square of a value's length (5 MB: minutes)."""
    text = render(run_with(huge(1_000_000)), "text", width=100)
    assert_inert(text, "text")
    assert len(text) < 100_000


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("size", [1_000_000, 5_000_000])
def test_huge_values_slow(case: Case, size: int) -> None:
    case.deadline = 600.0
    assert_every_format_inert(huge(size), width=100)


SPECIALS = st.sampled_from(["\x1b[", "\x1b]8;;", "\x07", "\x9b", "::", "##", "[", "vso", "\n",
                            "\r", "\u2028", "\u202e", "\u200b", "\ufeff", "\ud800", "%0A",
                            "<script>", "|", "`", " ", "\t", "error", "&#10;"])
HOSTILE_TEXT = st.lists(st.one_of(st.characters(), SPECIALS), max_size=60).map("".join)


@given(HOSTILE_TEXT)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text(value: str) -> None:
    assert_every_format_inert(value)


@pytest.fixture
def long_budget(case: Case) -> None:
    case.deadline = 600.0


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.usefixtures("long_budget")
@given(HOSTILE_TEXT)
@settings(max_examples=3000, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_slow(value: str) -> None:
    assert_every_format_inert(value)
