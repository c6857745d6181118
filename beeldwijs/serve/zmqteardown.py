"""A stopped kernel's ZeroMQ sockets are closed through their streams, never underneath them.

Every kernel, on both servers, has a ZeroMQ context of its own
(``MultiKernelManager.shared_context=False``, docs/server.md: one shared context ran out of
sockets at ≈ 120 kernels). When jupyter_client stops a kernel it destroys that context, which
closes every socket still open in it. A socket that a ``ZMQStream`` wraps stays registered in
the event loop under its file descriptor number;
the next sockets that get that number (another page's kernel) then either fail ("fd … added
twice") or lose their handler when the stale stream is closed later ("Unregistering FD … after
closing socket"), and that page never finishes (docs/decisions/reload-while-a-websocket-opens.md).

:class:`StreamSafeKernelManager` closes, just before the context goes, every stream the event
loop still watches on a socket of that context: the websocket's channels, Jupyter's nudge and
kernel-info channels of a websocket still opening, buffered channels. Both servers use it
(``serve/commands.py``). On the student server the websockets of a kernel are closed before it is
stopped anyway (``serve/admission.py``); this is the net under that, and on the mentors' server
(a dashboard closed or reloaded: Voilà's "tab closed" call) the only guard.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from tornado.ioloop import IOLoop
from zmq.eventloop.zmqstream import ZMQStream

#: Dotted name for ``MultiKernelManager.kernel_manager_class``.
NAME = f"{__name__}.StreamSafeKernelManager"


def watched_streams(context: Any, loop: IOLoop | None = None) -> list[ZMQStream]:
    """The streams the event loop watches on an open socket of ``context``."""
    handlers: dict[int, tuple[Any, Any]] = getattr(loop or IOLoop.current(), "handlers", {})
    found = []
    for _fileobj, handler in list(handlers.values()):
        stream = getattr(handler, "__self__", None)
        socket = getattr(stream, "socket", None)
        if isinstance(stream, ZMQStream) and socket is not None and not socket.closed \
                and socket.context is context:  # fmt: skip
            found.append(stream)
    return found


def close_streams(context: Any, loop: IOLoop | None = None) -> int:
    """Close the streams on ``context``'s sockets the event loop still watches; how many."""
    streams = watched_streams(context, loop)
    for stream in streams:
        stream.on_recv(None)
        stream.close()
    return len(streams)


class StreamSafeKernelManager(ServerKernelManager):
    """jupyter_server's kernel manager; its own context's streams closed before the context."""

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        if self._created_context and not restart and not self.context.closed:
            closed = close_streams(self.context)
            if closed:
                self.log.debug("Closed %d ZeroMQ streams of a stopped kernel", closed)
        await super()._async_cleanup_resources(restart=restart)
