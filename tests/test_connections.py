"""Issue 13 (a crowded link) and issue 16 (slow clients): the student server's HTTP connections.

Unit level with real sockets: the student server's own HTTP server class
(``beeldwijs.serve.connections.BoundedHTTPServer``) on loopback with the student server's header
timeout, in the test process. Clients are plain blocking sockets on threads.
"""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from beeldwijs.serve.connections import BoundedHTTPServer
from beeldwijs.serve.studentserver import StudentVoila
from tests.shared import run_coroutine

#: The student server's header timeout (seconds).
HEADER_TIMEOUT = float(StudentVoila.header_timeout.default_value)
#: A response large enough to sit in the socket buffers while a slow client reads it.
BODY = b"x" * 96 * 1024


class Big(RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "application/octet-stream")
        self.write(BODY)


def request(sock: socket.socket) -> None:
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")


def read_response(sock: socket.socket, chunk: int, pause: float) -> int:
    """Read one response ``chunk`` bytes at a time, ``pause`` s apart; its body's length."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += recv(sock, chunk)
        time.sleep(pause)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length")))  # fmt: skip
    while len(body) < length:
        body += recv(sock, chunk)
        time.sleep(pause)
    return len(body)


def recv(sock: socket.socket, size: int) -> bytes:
    got = sock.recv(size)
    if not got:
        raise ConnectionError("closed by the server")
    return got


def slow_reader(port: int) -> tuple[float, int, int]:
    """A phone on a crowded link: a small receive buffer, the response read over more than the
    header timeout, then a second request on the same connection. (seconds the first response
    took, length of each body)."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: a small window
    sock.settimeout(120)
    sock.connect(("127.0.0.1", port))
    try:
        start = time.monotonic()
        request(sock)
        first = read_response(sock, 1024, (HEADER_TIMEOUT + 5) / (len(BODY) / 1024))
        took = time.monotonic() - start
        request(sock)
        second = read_response(sock, 65536, 0)
        return took, first, second
    finally:
        sock.close()


def slow_loris(port: int) -> tuple[float, bool]:
    """A client that starts a request and sends a header byte every half second (an hour's
    worth of headers). (seconds until the server closed the connection, whether it did)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    start = time.monotonic()
    try:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        for _ in range(7200):
            time.sleep(0.5)
            try:
                sock.sendall(b"X")
                if sock.recv(1, socket.MSG_DONTWAIT) == b"":
                    return time.monotonic() - start, True
            except BlockingIOError:
                continue
            except OSError:
                return time.monotonic() - start, True
        return time.monotonic() - start, False
    finally:
        sock.close()


@pytest.mark.server  # a real HTTP server in this process for ≈ 15 s: not for the quick tier
def test_a_draining_connection_stays_kept_alive_and_a_slow_loris_is_still_cut_off() -> None:
    """Before: the 10-s header timeout counted from when a response was handed to the socket, so
    a phone still reading a large response over a crowded link found its kept-alive connection
    closed when it sent its next request. Now it counts from the next request's first byte: the
    second request on the same connection is answered after the first response took longer than
    the header timeout to read, while a client that trickles its headers is closed as before."""

    async def run() -> tuple[tuple[float, int, int], tuple[float, bool]]:
        server = BoundedHTTPServer(
            Application([("/", Big)]), idle_connection_timeout=HEADER_TIMEOUT
        )
        (sock,) = bind_sockets(0, "127.0.0.1")
        server.add_sockets([sock])
        port = sock.getsockname()[1]
        try:
            reader, loris = await asyncio.gather(
                asyncio.to_thread(slow_reader, port), asyncio.to_thread(slow_loris, port)
            )
        finally:
            server.stop()
        return reader, loris

    (took, first, second), (cut_after, cut) = run_coroutine(run())
    assert first == second == len(BODY)
    assert took > HEADER_TIMEOUT  # the case in question: it drained for longer than the timeout
    assert cut, "the slow loris kept its connection for an hour"
    assert cut_after < 3 * HEADER_TIMEOUT, cut_after
