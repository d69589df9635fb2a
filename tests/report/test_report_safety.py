import doctest
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.models import Citation, CitationResult, Code, Finding, Kind, LinkStatus, Severity
from citecheck.report import common, github, markdown, safety
from citecheck.report.safety import clean, defuse_commands, one_line, sanitize, xml_safe


@pytest.mark.parametrize("module", [safety, common, github, markdown])
def test_doctests(module):
    failures, _ = doctest.testmod(module)
    assert failures == 0


@pytest.mark.parametrize(("raw", "expected"), [
    ("plain title", "plain title"),
    ("tab\tand\nnewline kept", "tab\tand\nnewline kept"),
    ("red \x1b[31mtext\x1b[0m", "red text"),
    ("\x1b[1;38;5;196mbold\x1b[m", "bold"),
    ("\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"),
    ("\x1b]0;window title\x07after", "after"),
    ("\x9b31mC1 CSI", "C1 CSI"),
    ("\x1bPdcs payload\x1b\\done", "done"),
    ("trailing escape\x1b", "trailing escape"),
    ("nul\x00 bell\x07 del\x7f c1\x85\x9f", "nul bell del c1"),
    ("crlf\r\nline", "crlf\nline"),
    ("cr\ronly", "cr\nonly"),
    ("para\u2029graph\u2028line", "para\ngraph\nline"),
    ("\u202eevil\u202c \u2066iso\u2069", "evil iso"),
    ("lone surrogate \udc80 and \ufffe", "lone surrogate  and "),
    ("Arabic ‏mark kept", "Arabic ‏mark kept"),
    ("\n::error::pwned", "\n\uff1a:error::pwned"),
    ("  \t::warning file=x::y", "  \t\uff1a:warning file=x::y"),
    (":::triple", "\uff1a::triple"),
    ("mid-line a::b and std::vector", "mid-line a::b and std::vector"),
    ("http://[::1]:8080/", "http://[::1]:8080/"),
    ("legacy ##[error]x", "legacy \uff03#[error]x"),
    ("%0A::warning::", "%0A::warning::"),
])
def test_sanitize(raw, expected):
    assert sanitize(raw) == expected


@pytest.mark.parametrize("raw", [
    "\x1b[31m\x1b]8;;x\x07y\x1b]8;;\x07",
    "\x1b\x1b[31m[31m nested",
    "".join(chr(c) for c in range(0x00, 0xA0)),
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
])
def test_sanitize_leaves_no_control_or_bidi_character(raw):
    out = sanitize(raw)
    assert "\x1b" not in out
    bad = [ch for ch in out if ch not in "\t\n" and unicodedata.category(ch) == "Cc"]
    assert bad == []
    assert not any(unicodedata.bidirectional(ch) in {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI",
                                                     "RLI", "FSI", "PDI"} for ch in out)


@pytest.mark.parametrize("text", ["::error::x", " ::x", "a\n\n  ::b", "x\n\u3000::y",
                                  "##[set-env]"])
def test_defused_lines_never_start_a_command(text):
    for line in defuse_commands(text).splitlines():
        assert not line.lstrip().startswith("::")
    assert "##[" not in defuse_commands(text)


def test_defuse_is_idempotent():
    text = "\n::error::a ##[x]"
    assert defuse_commands(defuse_commands(text)) == defuse_commands(text)


def test_one_line_and_xml_safe():
    assert one_line("  a\n\tb \r\n c  ") == "a b c"
    assert xml_safe("a\x00b\x0bc\td\re\nf\ud800") == "ab" + "c\td\re\nf"


def test_clean_walks_the_whole_result_and_keeps_enums():
    finding = Finding(Code.TITLE_MISMATCH, Severity.ERROR, "bad\n::error::x", "1",
                      {"found\x1b[31m": "v\x07al"})
    item = CitationResult(Citation("1", "note\ntext", Kind.WEB, title="\u202eT"),
                          findings=(finding,))
    cleaned = clean(item)
    assert cleaned.citation.text == "note text"
    assert cleaned.citation.title == "T"
    assert cleaned.citation.kind is Kind.WEB
    assert cleaned.findings[0].code is Code.TITLE_MISMATCH
    assert cleaned.findings[0].message == "bad \uff1a:error::x"
    assert cleaned.findings[0].evidence == {"found": "val"}
    assert item.citation.text == "note\ntext"  # the original is untouched
    assert clean(LinkStatus.OK) is LinkStatus.OK


TRICKY = st.sampled_from(["::", "##[", "\x1b[31m", "\x1b]8;;x\x07", "\n", "\r", "\t", "  ", " ",
                          "\u2028", "\u202e", "\x85", "\x00", "\u3000", "\u00a0", "é", "a"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(TRICKY, st.text(max_size=5)), max_size=12).map("".join))
def test_cleaning_properties(text):
    cleaned = clean(text)
    assert cleaned == one_line(sanitize(text))  # the fast path changes nothing
    assert clean(cleaned) == cleaned
    assert "\n" not in cleaned and not cleaned.lstrip().startswith("::")
    assert "##[" not in cleaned
    assert not [ch for ch in cleaned if unicodedata.category(ch) in {"Cc", "Cs"}]
