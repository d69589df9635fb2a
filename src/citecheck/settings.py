"""One frozen Settings object, built once: defaults, then citecheck.toml, then flags.

The config file is `citecheck.toml` beside citations.yml, or `[tool.citecheck]` in a
pyproject.toml there. Unknown keys are an error naming the key and the file. The
private-address guard can only be lifted by the `--allow-private` flag, never by a file.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citecheck import __version__
from citecheck.errors import InputError, UsageError
from citecheck.models import Severity

DEFAULT_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    f"Chrome/124.0 Safari/537.36 citecheck/{__version__}"
)

_SIZE_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "kib": 2**10, "mib": 2**20,
               "gib": 2**30}
_DURATION_UNITS = {"": 1, "s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_size(value: Any, *, what: str = "size") -> int:
    """Parse a byte size such as 50000000, "50MB" or "1 GiB" into bytes."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(value))
    if not match or match.group(2).lower() not in _SIZE_UNITS:
        raise UsageError(f"{what} {value!r} is not a size; write it as 50MB, 1GB or a byte count")
    return int(float(match.group(1)) * _SIZE_UNITS[match.group(2).lower()])


def parse_duration(value: Any, *, what: str = "duration") -> float:
    """Parse a duration such as 30, "30s", "5m", "1d" or "3d" into seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(value))
    if not match or match.group(2).lower() not in _DURATION_UNITS:
        raise UsageError(f"{what} {value!r} is not a duration; write it as 30s, 5m, 12h or 3d")
    return float(match.group(1)) * _DURATION_UNITS[match.group(2).lower()]


@dataclass(frozen=True)
class DomainRule:
    """Per-site rules: a host pattern ("*.example.org") and what differs for it."""

    pattern: str
    delay: float | None = None
    user_agent: str | None = None
    blocked_statuses: tuple[int, ...] = ()  # statuses that mean "blocked, not dead" here

    def matches(self, host: str) -> bool:
        """Whether this rule applies to a host name."""
        host = host.lower().rstrip(".")
        pattern = self.pattern.lower()
        return fnmatch.fnmatchcase(host, pattern) or (
            pattern.startswith("*.") and host == pattern[2:]
        )


@dataclass(frozen=True)
class Settings:
    """Every knob of citecheck, typed, with defaults that work."""

    # resolving
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 30.0  # total seconds per request, headers and body included
    retries: int = 2
    backoff: float = 0.5  # first backoff in seconds, doubled per retry, with jitter
    retry_after_cap: float = 30.0
    max_hops: int = 10
    max_body: int = 50_000_000
    max_decoded: int = 50_000_000  # bound on decompressed bytes for extraction
    user_agent: str = DEFAULT_USER_AGENT
    workers: int = 16
    per_host: int = 4
    per_host_delay: float = 0.0
    proxy: str | None = None
    ca_bundle: str | None = None  # a PEM file of CAs to trust instead (a TLS-inspecting proxy)
    allow_private: bool = False  # only ever set from the --allow-private flag
    exclude: tuple[str, ...] = ()  # regular expressions matched against URLs
    domains: tuple[DomainRule, ...] = ()
    # archiving
    warc_max_size: int = 1_000_000_000
    # reporting
    fail_on: Severity = Severity.ERROR
    # check
    dead_after_failures: int = 3
    dead_after_span: float = 3 * 86400.0  # seconds between first and last failure
    max_age: float | None = None  # skip URLs checked successfully within this many seconds
    drift_threshold: float = 0.5  # share of the captured text that must still be there

    def rule_for(self, host: str) -> DomainRule | None:
        """The first per-domain rule matching a host, if any."""
        return next((rule for rule in self.domains if rule.matches(host)), None)

    def is_excluded(self, url: str) -> bool:
        """Whether a URL matches one of the exclude patterns."""
        return any(re.search(pattern, url) for pattern in self.exclude)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)


_FILE_KEYS = {f.name for f in dataclasses.fields(Settings)} - {"allow_private", "domains"}
_SIZES = {"max_body", "max_decoded", "warc_max_size"}
_DURATIONS = {"connect_timeout", "read_timeout", "deadline", "backoff", "retry_after_cap",
              "per_host_delay", "dead_after_span", "max_age"}
_INTS = {"retries", "max_hops", "workers", "per_host", "dead_after_failures"}


def find_config(folder: Path) -> tuple[Path, dict[str, Any]] | None:
    """Find citecheck.toml or pyproject.toml's [tool.citecheck] in a folder."""
    own = folder / "citecheck.toml"
    if own.is_file():
        return own, _read_toml(own)
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        table = _read_toml(pyproject).get("tool", {}).get("citecheck")
        if isinstance(table, dict):
            return pyproject, table
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid TOML: {exc}", where=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where=str(path)) from None


def _coerce(key: str, value: Any, where: str) -> Any:
    try:
        if key in _SIZES:
            return parse_size(value, what=key)
        if key in _DURATIONS:
            return None if value is None else parse_duration(value, what=key)
        if key in _INTS:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise UsageError(f"{key} must be a whole number >= 0, not {value!r}")
            return value
        if key == "fail_on":
            return Severity(str(value))
        if key == "exclude":
            return _patterns(value, key)
        if key in {"user_agent", "proxy", "ca_bundle"}:
            if not isinstance(value, str):
                raise UsageError(f"{key} must be a string, not {value!r}")
            return value
        if key == "drift_threshold":
            return float(value)
    except ValueError:
        raise InputError(f"{key} = {value!r} is not a valid value", where=where) from None
    except UsageError as exc:
        raise InputError(exc.message, where=where) from None
    return value


def _patterns(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{key} must be a list of regular expressions")
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise UsageError(f"{key}: {pattern!r} is not a regular expression ({exc})") from None
    return tuple(value)


def _domain_rules(table: Any, where: str) -> tuple[DomainRule, ...]:
    if not isinstance(table, dict):
        raise InputError("[domains] must be a table of host patterns", where=where)
    rules = []
    allowed = {"delay", "user_agent", "blocked_statuses"}
    for pattern, rule in table.items():
        if not isinstance(rule, dict):
            raise InputError(f"[domains.\"{pattern}\"] must be a table", where=where)
        unknown = sorted(set(rule) - allowed)
        if unknown:
            raise InputError(
                f"unknown key {unknown[0]!r} in [domains.\"{pattern}\"]; "
                f"known keys: {', '.join(sorted(allowed))}", where=where)
        statuses = rule.get("blocked_statuses", [])
        if not isinstance(statuses, list) or not all(isinstance(s, int) for s in statuses):
            raise InputError(f"[domains.\"{pattern}\"] blocked_statuses must be a list of "
                             "HTTP status numbers", where=where)
        delay = rule.get("delay")
        rules.append(DomainRule(
            pattern=pattern,
            delay=None if delay is None else _coerce("per_host_delay", delay, where),
            user_agent=rule.get("user_agent"),
            blocked_statuses=tuple(statuses),
        ))
    return tuple(rules)


def settings_from_mapping(table: dict[str, Any], where: str) -> dict[str, Any]:
    """Check and convert a config table into Settings fields; unknown keys are an error."""
    changes: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key == "domains":
            changes["domains"] = _domain_rules(value, where)
        elif key == "allow_private":
            raise InputError("allow_private cannot be set in a file; "
                             "pass --allow-private on the command line", where=where)
        elif key not in _FILE_KEYS:
            raise InputError(f"unknown key {raw_key!r}; known keys: "
                             f"{', '.join(sorted(_FILE_KEYS | {'domains'}))}", where=where)
        else:
            changes[key] = _coerce(key, value, where)
    return changes


def load_settings(folder: Path | None, flags: dict[str, Any] | None = None) -> Settings:
    """Build the Settings: defaults, then the config file in `folder`, then flags (not None)."""
    changes: dict[str, Any] = {}
    found = find_config(folder) if folder is not None else None
    if found:
        path, table = found
        changes.update(settings_from_mapping(table, str(path)))
    for key, value in (flags or {}).items():
        if value is not None:
            changes[key] = _coerce(key, value, "command line") if key in _FILE_KEYS else value
    settings = Settings(**changes)
    _check(settings)
    return settings


def _check(settings: Settings) -> None:
    if settings.workers < 1 or settings.per_host < 1:
        raise UsageError("workers and per_host must be at least 1")
    if settings.deadline <= 0:
        raise UsageError("deadline must be more than 0 seconds")
    if settings.dead_after_failures < 1:
        raise UsageError("dead_after_failures must be at least 1 (1: a link is dead at its "
                         "first failure, with dead_after_span = 0)")
    if not 0 <= settings.drift_threshold <= 1:
        raise UsageError(f"drift_threshold must be between 0 and 1, not "
                         f"{settings.drift_threshold:g}")
    if settings.proxy and not re.match(r"^(https?|socks5h?)://", settings.proxy):
        raise UsageError(f"proxy {settings.proxy!r} must start with http://, https:// or socks5://")


