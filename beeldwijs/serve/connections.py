"""The student server's HTTP server, bounded: a few idle connections cannot take it down.

Before issue 16, 1,000 idle TCP connections opened in 6 s under the common limit of 1,024 open
files made every new page time out, and tornado's accept loop wrote 365 MB of tracebacks a
minute ("Too many open files", logged for every wake-up of the listening socket). Here
(docs/security.md, floods):

- :func:`raise_open_files_limit`: the soft limit of open files goes up to the hard limit at start;
- :class:`BoundedHTTPServer`: a request's headers must arrive within ``header_timeout`` s
  (tornado's default is an hour), an idle keep-alive connection is closed after as long, and one
  client address keeps at most ``per_client`` connections open (more are closed at once);
- when accepting fails anyway (out of file descriptors), accepting pauses for a moment and the
  failure is logged at most once per :data:`LOG_EVERY` seconds, with the number left out.

Client addresses live in memory only, as counters, for as long as their connections are open.
"""

from __future__ import annotations

import errno
import logging
import resource
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop

log = logging.getLogger("beeldwijs")

#: Seconds between two log lines about failing accepts.
LOG_EVERY = 10.0
#: Seconds accepting pauses after it failed for lack of file descriptors.
ACCEPT_PAUSE = 0.5
#: Ceiling for the raised limit (enough for thousands of connections and kernels).
OPEN_FILES_CEILING = 65536


def raise_open_files_limit() -> tuple[int, int]:
    """Raise the soft RLIMIT_NOFILE to the hard limit (at most :data:`OPEN_FILES_CEILING`);
    returns (before, after)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = OPEN_FILES_CEILING if hard == resource.RLIM_INFINITY else min(hard, OPEN_FILES_CEILING)
    if wanted > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        except (ValueError, OSError):
            return soft, soft
        return soft, wanted
    return soft, soft


class BoundedHTTPServer(HTTPServer):
    """tornado's HTTP server with a per-client connection limit and a calm accept loop."""

    def initialize(  # type: ignore[override]
        self, *args: Any, per_client: int = 0, **kwargs: Any
    ) -> None:
        super().initialize(*args, **kwargs)
        self.per_client = per_client
        self._open: dict[str, int] = {}
        self._client_of: dict[object, str] = {}
        self._failed_accepts = 0
        self._logged_at = 0.0

    # -- one client, a bounded number of connections ---------------------------------------
    def handle_stream(self, stream: Any, address: Any) -> None:
        client = address[0] if isinstance(address, tuple) else ""
        if self.per_client and self._open.get(client, 0) >= self.per_client:
            stream.close()
            return
        before = set(self._connections)
        super().handle_stream(stream, address)
        for conn in set(self._connections) - before:
            self._client_of[conn] = client
            self._open[client] = self._open.get(client, 0) + 1

    def on_close(self, server_conn: object) -> None:
        client = self._client_of.pop(server_conn, None)
        if client is not None:
            left = self._open.get(client, 1) - 1
            if left > 0:
                self._open[client] = left
            else:
                self._open.pop(client, None)
        super().on_close(server_conn)

    # -- accepting --------------------------------------------------------------------------
    def add_sockets(self, sockets: Iterable[socket.socket]) -> None:
        for sock in sockets:
            self._sockets[sock.fileno()] = sock
            self._handlers[sock.fileno()] = self._accept_on(sock)

    def _accept_on(self, sock: socket.socket) -> Callable[[], None]:
        """tornado's accept handler, except that running out of file descriptors pauses it
        instead of raising (which logged a traceback at every wake-up, in a busy loop)."""
        loop = IOLoop.current()
        state = {"removed": False, "paused": False}

        def accept(_fd: Any, _events: int) -> None:
            for _ in range(128):
                if state["removed"] or state["paused"]:
                    return
                try:
                    connection, address = sock.accept()
                except BlockingIOError:
                    return
                except ConnectionAbortedError:
                    continue
                except OSError as exc:
                    if exc.errno not in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                        raise
                    self._accept_failed(exc)
                    state["paused"] = True
                    loop.remove_handler(sock)
                    loop.call_later(ACCEPT_PAUSE, resume)
                    return
                self._handle_connection(connection, address)

        def resume() -> None:
            state["paused"] = False
            if not state["removed"]:
                loop.add_handler(sock, accept, IOLoop.READ)

        def remove() -> None:
            if not state["paused"]:
                loop.remove_handler(sock)
            state["removed"] = True

        loop.add_handler(sock, accept, IOLoop.READ)
        return remove

    def _accept_failed(self, exc: OSError) -> None:
        self._failed_accepts += 1
        now = time.monotonic()
        if now - self._logged_at >= LOG_EVERY:
            log.warning(
                "Cannot accept connections: %s (%d times since the last message)",
                exc.strerror,
                self._failed_accepts,
            )
            self._logged_at, self._failed_accepts = now, 0
