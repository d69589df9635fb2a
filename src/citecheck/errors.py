"""One exception root; each error knows its exit code and says what to do.

Exit codes are a public contract, the same for every command (README, "Exit codes"):
0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input error,
3 internal error (a bug in citecheck).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


class CitecheckError(Exception):
    """Root of every error citecheck raises on purpose."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The message as one line, prefixed by where the problem is ("file line 3: …")."""
        text = " ".join(self.message.split())
        return f"{self.where}: {text}" if self.where else text


class InputError(CitecheckError):
    """A document, citations.yml or config file that cannot be used as it is."""


class UsageError(CitecheckError):
    """Options that do not fit together."""


class ArchiveError(CitecheckError):
    """The archive folder or its index cannot be used."""
