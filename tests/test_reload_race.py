"""Issue 13: a reload while the old page's kernel websocket is still opening.

The student server stops the old page's kernel when its browser reloads (a browser holds one
kernel of a page). Stopping it while its websocket was still opening tore ZeroMQ sockets out from
under their streams, and later kernels lost their messages
(docs/decisions/reload-while-a-websocket-opens.md). One `beeldwijs start --local` of its own
serves the module, so no other test's kernels fill its cap.
"""

from __future__ import annotations

import base64
import os
import socket
import uuid
from collections.abc import Iterator

import pytest

from beeldwijs.serve.admission import PAGE_COOKIE
from tests.e2e_support import TIMEOUT_MS
from tests.kernel_client import KernelClient, connect_from, get_response, kernel_id_of
from tests.running import App
from tests.shared import run_coroutine

LESSON = "beelden-en-jij"
BROWSER_COOKIE = "beeldwijs-browser"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    server = App(tmp_path_factory.mktemp("reload"))
    server.start()
    yield server
    server.stop()


#: What the student server logged when a kernel was stopped under a websocket still opening.
TORN_DOWN_UNDER_A_WEBSOCKET = ("Unregistering FD", "added twice", "Stream is closed")


def opening_websocket(app: App, kernel_id: str, secret: str, source: str) -> socket.socket:
    """A kernel websocket whose handshake is sent but not waited for: the server is opening it
    (asking the kernel for its info, then nudging it) while the caller goes on."""
    sock = connect_from(app.student, source)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        f"GET /api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{app.student_port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: {app.student}\r\n"
        f"Cookie: beeldwijs-page={secret}\r\n\r\n".encode()
    )
    return sock


def closed_by_server(sock: socket.socket) -> bool:
    """The server ends the connection (after a refusal or a close frame) within 60 s."""
    sock.settimeout(60)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return False
    except OSError:
        return True
    return True


def test_a_reload_while_the_old_websocket_opens_leaves_the_next_pages_whole(app: App) -> None:
    """Before: a reload in the instant the old page's websocket was still opening stopped the
    old kernel under it. The kernel's own ZeroMQ context closed the sockets of that websocket's
    streams underneath them ("Stream is closed", pyzmq's "Unregistering FD … after closing
    socket"); later kernels got those file descriptor numbers and lost their handlers: the next
    reload's websocket answered 500 ("fd … added twice"), or a page never finished. Four reloads
    at that instant: each new page is whole, its kernel answers, the old websocket is closed, and
    the server logged none of it (docs/decisions/reload-while-a-websocket-opens.md)."""
    code = app.new_session(LESSON)
    logged_before = len(app.log())
    source = "127.0.0.26"
    cookie: dict[str, str] = {}
    for _ in range(4):
        _, html, cookies = get_response(f"{app.student}/{App.join_path(code)}", cookie, source)
        browser = cookies.get(BROWSER_COOKIE) or cookie["Cookie"].partition("=")[2]
        cookie = {"Cookie": f"{BROWSER_COOKIE}={browser}"}
        old = opening_websocket(app, kernel_id_of(html), cookies[PAGE_COOKIE], source)
        try:
            new = KernelClient(app.student, App.join_path(code), source=source, headers=cookie)
            try:
                assert new.request("kernel_info_request", {})["content"]["status"] == "ok"
            finally:
                new.close()
            assert closed_by_server(old)
        finally:
            old.close()
    logged = app.log()[logged_before:]
    assert not [line for line in TORN_DOWN_UNDER_A_WEBSOCKET if line in logged], logged[-3000:]


def test_a_browser_reloading_as_its_websocket_opens_gets_a_whole_page(app: App, browser) -> None:
    """The same in Chromium: three reloads, each as soon as the page opens its kernel websocket;
    the page after them shows the notice with its "Begin" button and the server logged none of
    the teardown messages."""
    code = app.new_session(LESSON)
    logged_before = len(app.log())
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        channels_opened = {"predicate": lambda ws: "/channels" in ws.url, "timeout": TIMEOUT_MS}
        with page.expect_websocket(**channels_opened):
            page.goto(app.join_url(code), wait_until="commit")
        for _ in range(3):  # the websocket has just been created: reload at once
            with page.expect_websocket(**channels_opened):
                page.reload(wait_until="commit")
        page.reload()
        page.locator(".bw-start").wait_for()
    finally:
        context.close()
    logged = app.log()[logged_before:]
    assert not [line for line in TORN_DOWN_UNDER_A_WEBSOCKET if line in logged], logged[-3000:]


def test_a_stopped_kernels_context_takes_its_streams_out_of_the_event_loop_first() -> None:
    """Unit level, real ZeroMQ sockets in tornado's event loop: before a kernel's own context is
    destroyed, the streams on its sockets are closed through the stream (their handlers leave
    the event loop with them), and the streams of another kernel's context are left alone."""
    import zmq
    from tornado.ioloop import IOLoop
    from zmq.eventloop.zmqstream import ZMQStream

    from beeldwijs.serve.zmqteardown import close_streams, watched_streams

    async def run() -> tuple[int, int, bool, bool, int]:
        loop = IOLoop.current()
        stopped, other = zmq.Context(), zmq.Context()
        try:
            mine = [ZMQStream(stopped.socket(zmq.DEALER)) for _ in range(3)]
            theirs = ZMQStream(other.socket(zmq.DEALER))
            fds = [int(stream.socket.FD) for stream in mine]
            watched = len(watched_streams(stopped, loop))
            closed = close_streams(stopped, loop)
            handlers: dict[int, object] = loop.handlers  # type: ignore[attr-defined]
            handlers_left = len([fd for fd in fds if fd in handlers])
            stopped.destroy(linger=0)
            return (
                watched,
                closed,
                all(s.closed() for s in mine),
                not theirs.closed(),
                handlers_left,
            )
        finally:
            other.destroy(linger=0)

    watched, closed, mine_closed, theirs_open, handlers_left = run_coroutine(run())
    assert (watched, closed, mine_closed, theirs_open, handlers_left) == (3, 3, True, True, 0)
