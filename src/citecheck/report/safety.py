"""Make hostile text inert: pages and notes may carry escapes, bidi tricks, fake CI commands.

`sanitize` is the contract every renderer relies on; `clean` applies it (and folds each value onto
one line) to every string of a RunResult before any format sees it, so no renderer can forget a
field. `defuse_commands` is also run over whole rendered reports as a last line of defence.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from enum import Enum
from typing import Any, TypeVar

from citecheck.models import PageMetadata

T = TypeVar("T")

# ECMA-48 sequences: CSI (ESC [ or 0x9B) with parameters and a final byte; string sequences (OSC,
# DCS, SOS, PM, APC) up to their terminator (BEL or ST); any other ESC-introduced sequence.
_ESCAPE_SEQUENCE = re.compile(
    r"""
      (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]) [^\x07\x1b\x9c]* (?:\x07|\x1b\\|\x9c)
    | \x1b [ -/]* [0-~]
    """,
    re.VERBOSE,
)
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029]")
# C0 but tab and newline, DEL, C1; bidi embeddings, overrides and isolates ("Trojan Source");
# lone surrogates and the two non-characters XML 1.0 forbids (so every output encodes and parses).
_FORBIDDEN = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
# The Actions runner takes a line as a command when, leading whitespace trimmed, it starts with
# "::" (and, in the legacy syntax, when "##[" appears anywhere in it). It compares with .NET's
# culture-sensitive StartsWith, for which ICU gives zero-width and other default-ignorable
# characters no weight: those count as blanks too. Azure Pipelines takes "##vso[" anywhere in a
# line, TeamCity "##teamcity[": every "##word[" is defused.
_IGNORABLE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
              "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8")
_COMMAND_START = re.compile(rf"^([\s{_IGNORABLE}]*):(?=:)", re.MULTILINE)
_LEGACY_COMMAND = re.compile(r"#(?=#[a-z]*\[)", re.IGNORECASE)
_FULLWIDTH_COLON = "\uff1a"
_FULLWIDTH_HASH = "\uff03"
_WHITESPACE = re.compile(r"\s+")
# Anything `_clean_text` would change; most values have none of it and are kept as they are.
_SUSPECT = re.compile(
    r"[^\S ]|  |^ | $|::|##[a-zA-Z]*\[|[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    r"\ud800-\udfff\ufffe\uffff]|[\x00-\x1f]"
)
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def sanitize(text: str) -> str:
    """Strip control characters, terminal escapes and bidi overrides; defuse workflow commands.

    >>> sanitize("Title\\x1b[31m red\\x1b[0m\\n::error::pwned")
    'Title red\\n：:error::pwned'
    """
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _FORBIDDEN.sub("", text)
    return defuse_commands(text)


def defuse_commands(text: str) -> str:
    """Make every line that a CI runner would read as a workflow command read as plain text.

    >>> defuse_commands("ok\\n  ::warning::x ##[error]y")
    'ok\\n  ：:warning::x ＃#[error]y'
    """
    text = _COMMAND_START.sub(lambda m: m.group(1) + _FULLWIDTH_COLON, text)
    return _LEGACY_COMMAND.sub(_FULLWIDTH_HASH, text)


def xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 forbids (most C0 controls, surrogates, U+FFFE/F)."""
    return _NOT_XML.sub("", text)


def one_line(text: str) -> str:
    """Collapse every run of whitespace (newlines included) into one space."""
    return _WHITESPACE.sub(" ", text).strip()


def clean(value: T) -> T:
    """A copy of a model with every string sanitized and folded onto one line.

    A page's main text is dropped rather than cleaned: no report shows it, and it is the one
    large string of a result.
    """
    return _clean(value)


def _clean(value: Any) -> Any:
    if isinstance(value, Enum):  # StrEnum members are str: keep them as they are
        return value
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, tuple):
        return tuple(_clean(item) for item in value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, PageMetadata):
        value = dataclasses.replace(value, text="")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _field_names(type(value))
        return type(value)(**{name: _clean(getattr(value, name)) for name in names})
    return value


def _clean_text(text: str) -> str:
    return one_line(sanitize(text)) if _SUSPECT.search(text) else text


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)
