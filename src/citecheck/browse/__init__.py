"""The read-only local web UI over the archive: documents, citations, evidence, replay.

`create_app(archive_dir, hosts=…)` builds the Flask app; `BrowseServer` serves it.
"""

from citecheck.browse.app import HostRule, allowed_hosts, create_app, is_loopback
from citecheck.browse.server import BrowseServer

__all__ = ["BrowseServer", "HostRule", "allowed_hosts", "create_app", "is_loopback"]
