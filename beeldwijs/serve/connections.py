"""The student server's HTTP server, bounded: a few idle connections cannot take it down.

Before issue 16, 1,000 idle TCP connections opened in 6 s under the common limit of 1,024 open
files made every new page time out, and tornado's accept loop wrote 365 MB of tracebacks a
minute ("Too many open files", logged for every wake-up of the listening socket). Here
(docs/security.md, floods):

- :func:`raise_open_files_limit`: the soft limit of open files goes up to the hard limit at start;
- :class:`BoundedHTTPServer`: a request's headers must arrive within ``header_timeout`` s
  (tornado's default is an hour) — on a new connection counted from its opening, on a kept-alive
  one from the first byte of its next request (:class:`KeptAliveConnection`: a response still
  crossing a crowded link, or a phone between two requests, is not cut off at 10 s; an idle
  kept-alive connection is closed after ``idle_timeout`` s) — and one client address keeps at
  most ``per_client`` connections open (more are closed at once);
- when accepting fails anyway (out of file descriptors), accepting pauses for a moment and the
  failure is logged at most once per :data:`LOG_EVERY` seconds, with the number left out;
- behind a proxy (:class:`TrustedProxy`: the compose stack's HTTPS front, our own nginx) a
  request that comes from the proxy's address names the student's address in ``X-Real-IP``
  (the proxy sets it, replacing whatever a client sent), so the limits per address
  (serve/admission.py) apply per student address, not to the whole school at once. The header
  is believed from the proxy only: from anyone else it is ignored. The proxy's own connections
  carry every student's, so they do not count towards ``per_client``.

Client addresses live in memory only, as counters, for as long as their connections are open.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import resource
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from tornado import gen, httputil, iostream, netutil
from tornado.http1connection import HTTP1Connection, HTTP1ServerConnection
from tornado.httpserver import HTTPServer, _HTTPRequestContext
from tornado.ioloop import IOLoop

log = logging.getLogger("beeldwijs")

#: Seconds between two log lines about failing accepts.
LOG_EVERY = 10.0
#: Seconds accepting pauses after it failed for lack of file descriptors.
ACCEPT_PAUSE = 0.5
#: Ceiling for the raised limit (enough for thousands of connections and kernels).
OPEN_FILES_CEILING = 65536
#: Seconds between two look-ups of the trusted proxy's name (a restarted front may get a new
#: address); until the name first resolves, every second.
PROXY_REFRESH = 30.0
#: The header the proxy sets to the student's address.
REAL_IP = "X-Real-IP"
#: Seconds a kept-alive connection may wait for the first byte of its next request (the time its
#: last response takes to reach the client counts too): nginx's default ``keepalive_timeout``.
IDLE_TIMEOUT = 75.0


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


class TrustedProxy:
    """The proxy in front of the server, by address or by name (a compose service: looked up
    again every :data:`PROXY_REFRESH` s in a thread of its own, never in the event loop)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.addresses: frozenset[str] = frozenset()
        if netutil.is_valid_ip(name):
            self.addresses = frozenset({name})
        else:
            threading.Thread(target=self._watch, name="trusted-proxy", daemon=True).start()

    def trusts(self, address: str) -> bool:
        return address in self.addresses

    def resolve(self) -> frozenset[str]:
        try:
            found = socket.getaddrinfo(self.name, None, type=socket.SOCK_STREAM)
        except OSError:
            return frozenset()
        return frozenset(str(info[4][0]) for info in found)

    def _watch(self) -> None:
        while True:
            found = self.resolve()
            if found:
                self.addresses = found
            time.sleep(PROXY_REFRESH if found else 1.0)


class _RealAddress(httputil.HTTPMessageDelegate):
    """A request from the trusted proxy: its ``X-Real-IP`` is the client's address (tornado's
    ``xheaders`` believes anyone's X-Real-IP and X-Forwarded-For, so it is not used)."""

    def __init__(self, delegate: httputil.HTTPMessageDelegate, request_conn: Any) -> None:
        self.delegate, self.context = delegate, request_conn.context
        self.proxy_address = self.context.remote_ip

    def headers_received(
        self,
        start_line: httputil.RequestStartLine | httputil.ResponseStartLine,
        headers: httputil.HTTPHeaders,
    ) -> Awaitable[None] | None:
        real = headers.get(REAL_IP, "").strip()
        if netutil.is_valid_ip(real):
            self.context.remote_ip = real
        return self.delegate.headers_received(start_line, headers)

    def data_received(self, chunk: bytes) -> Awaitable[None] | None:
        return self.delegate.data_received(chunk)

    def finish(self) -> None:
        self.delegate.finish()
        self.context.remote_ip = self.proxy_address  # the next request on this connection

    def on_connection_close(self) -> None:
        self.delegate.on_connection_close()
        self.context.remote_ip = self.proxy_address


class KeptAliveConnection(HTTP1ServerConnection):
    """tornado's HTTP/1 server connection, whose header timeout on a kept-alive connection starts
    at the first byte of the next request.

    tornado starts it when the last response has been handed to the socket, not when the client
    got it: on a classroom's shared 20 Mbps link a large file took longer than 10 s to drain, and
    the connection was closed before the phone could send its next request on it (Chromium sends
    it again on a new connection: a round trip and a TCP slow start more). Here the next request
    may begin within ``idle_timeout`` s (draining included), and from its first byte its headers
    have ``params.header_timeout`` s, as on a new connection: a client that trickles its headers
    is still cut off.
    """

    def __init__(self, *args: Any, idle_timeout: float = IDLE_TIMEOUT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.idle_timeout = idle_timeout

    async def _server_request_loop(self, delegate: httputil.HTTPServerConnectionDelegate) -> None:
        """tornado's loop (6.x), with :meth:`_next_request_begins` between two requests."""
        try:
            first = True
            while first or await self._next_request_begins():
                first = False
                conn = HTTP1Connection(self.stream, False, self.params, self.context)
                request_delegate = delegate.start_request(self, conn)
                try:
                    if not await conn.read_response(request_delegate):
                        return
                except (
                    iostream.StreamClosedError,
                    iostream.UnsatisfiableReadError,
                    asyncio.CancelledError,
                ):
                    return
                except Exception:  # as tornado does: logged, the connection closed
                    log.error("Uncaught exception", exc_info=True)
                    conn.close()
                    return
                await asyncio.sleep(0)
        finally:
            delegate.on_close(self)

    async def _next_request_begins(self) -> bool:
        """True once a byte of the next request has arrived (nothing is read: the empty pattern
        matches as soon as the stream holds a byte); False when the client closed the connection
        or sent nothing for ``idle_timeout`` s (then it is closed)."""
        try:
            await gen.with_timeout(
                IOLoop.current().time() + self.idle_timeout,
                self.stream.read_until_regex(b""),
                quiet_exceptions=iostream.StreamClosedError,
            )
        except TimeoutError:
            self.stream.close()
            return False
        except iostream.StreamClosedError:
            return False
        return True


class BoundedHTTPServer(HTTPServer):
    """tornado's HTTP server with a per-client connection limit, kept-alive connections that are
    not cut off while a response drains (:class:`KeptAliveConnection`) and a calm accept loop."""

    def initialize(  # type: ignore[override]
        self,
        *args: Any,
        per_client: int = 0,
        proxy: TrustedProxy | None = None,
        idle_timeout: float = IDLE_TIMEOUT,
        **kwargs: Any,
    ) -> None:
        super().initialize(*args, **kwargs)
        self.per_client = per_client
        self.proxy = proxy
        self.idle_timeout = idle_timeout
        self._open: dict[str, int] = {}
        self._client_of: dict[object, str] = {}
        self._failed_accepts = 0
        self._logged_at = 0.0

    # -- one client, a bounded number of connections ---------------------------------------
    def handle_stream(self, stream: Any, address: Any) -> None:
        client = address[0] if isinstance(address, tuple) else ""
        if self._from_proxy(client):  # every student's connections come through it
            self._serve(stream, address)
            return
        if self.per_client and self._open.get(client, 0) >= self.per_client:
            stream.close()
            return
        conn = self._serve(stream, address)
        self._client_of[conn] = client
        self._open[client] = self._open.get(client, 0) + 1

    def _serve(self, stream: Any, address: Any) -> KeptAliveConnection:
        """tornado's ``HTTPServer.handle_stream`` with :class:`KeptAliveConnection`."""
        context = _HTTPRequestContext(stream, address, self.protocol, self.trusted_downstream)
        conn = KeptAliveConnection(
            stream, self.conn_params, context, idle_timeout=self.idle_timeout
        )
        self._connections.add(conn)
        conn.start_serving(self)
        return conn

    def _from_proxy(self, address: str) -> bool:
        return self.proxy is not None and self.proxy.trusts(address)

    def start_request(
        self, server_conn: object, request_conn: httputil.HTTPConnection
    ) -> httputil.HTTPMessageDelegate:
        delegate = super().start_request(server_conn, request_conn)
        context = getattr(request_conn, "context", None)
        if self._from_proxy(getattr(context, "remote_ip", "") or ""):
            return _RealAddress(delegate, request_conn)
        return delegate

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
