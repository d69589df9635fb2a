"""citecheck: verify and preserve the web sources behind a report's footnotes."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("citecheck")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.1.0"
