"""Serving the browse app: werkzeug's threaded WSGI server on one address.

A local, single-user tool: werkzeug's server is already installed with Flask, needs no
configuration, and with one thread per request the page, its replay frame and the frame's
images load side by side. It is bound to loopback unless the user says otherwise.
"""

from __future__ import annotations

import logging
import socket
import threading
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, get_sockaddr, make_server, select_address_family

from citecheck.archive import ArchiveIndex
from citecheck.browse.app import allowed_hosts, create_app, url_host
from citecheck.browse.context import HOSTS_KEY
from citecheck.errors import UsageError
from citecheck.settings import Settings

log = logging.getLogger(__name__)


class BrowseServer:
    """The browse app listening on host:port (port 0: any free port) until shut down."""

    def __init__(self, archive_dir: Path, host: str = "127.0.0.1", port: int = 0, *,
                 settings: Settings | None = None) -> None:
        ArchiveIndex.open_readonly(archive_dir).close()  # no index: say so before serving
        self.host = host
        self.app = create_app(archive_dir, hosts=(), settings=settings)
        self._server = _bind(host, port, self.app)
        self.port: int = self._server.port
        self.app.config[HOSTS_KEY] = allowed_hosts(host, self.port)
        self._state = "ready"  # ready -> serving -> closed
        self._state_lock = threading.Lock()

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        return f"http://{url_host(self.host)}:{self.port}/"

    def serve_forever(self) -> None:
        """Answer requests until shutdown() is called from another thread."""
        with self._state_lock:
            if self._state != "ready":
                return
            self._state = "serving"
        log.info("serving %s", self.url)
        self._server.serve_forever()

    def shutdown(self) -> None:
        """Stop serving (if it started) and close the listening socket; safe to call twice."""
        with self._state_lock:
            serving, self._state = self._state == "serving", "closed"
        if serving:  # socketserver's shutdown() would wait forever for a loop never started
            self._server.shutdown()
        self._server.server_close()


def _bind(host: str, port: int, app: object) -> BaseWSGIServer:
    """The server on a socket bound here: werkzeug would print and exit when a bind fails."""
    family = select_address_family(host, port)
    try:
        with socket.socket(family, socket.SOCK_STREAM) as listener:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(get_sockaddr(host, port, family))
            listener.listen(128)
            return make_server(host, port, app, threaded=True,  # type: ignore[arg-type]
                               fd=listener.fileno())  # werkzeug takes a duplicate of it
    except OSError as exc:
        raise UsageError(f"cannot listen on {url_host(host)}:{port}: {exc.strerror or exc}"
                         ) from exc
