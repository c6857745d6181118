"""A shaped network link on this machine, for benchmarks of slow school Wi-Fi (needs root).

Students live in a network namespace joined to the host by a veth pair; the host end has a
10.77.0.x test address (never a real one). Bandwidth is shaped for real by the kernel: a token
bucket (``tc … tbf``) on each end of the pair, down (server → students) and up. Latency cannot
come from ``netem`` here (the kernel of these machines has no netem qdisc: "Specified qdisc kind
is unknown"), so a small relay on the host end adds it: every chunk waits half the round trip in
each direction, and a new connection waits one round trip first (the TCP handshake). The relay
forwards to the server on 127.0.0.1, so the server itself needs no other address.

    with ShapedLink(down_mbit=1.6, up_mbit=0.75) as link, link.relay(server_port, rtt_ms=150) as url:
        link.run_inside([...])    # a command inside the namespace, e.g. Chromium or students
        link.counters()           # (bytes sent to the students, bytes received from them)

Run as a script, this module is the relay: ``python shaped_link.py LISTEN_HOST PORT TARGET_PORT
RTT_MS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.shared import free_port

#: Host and namespace addresses are taken from this test range only.
PREFIX = "10.77.0."


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


def _used_addresses() -> str:
    return subprocess.run(["ip", "-o", "addr"], capture_output=True, text=True).stdout


class ShapedLink:
    """A namespace of students behind a veth pair shaped with tbf (see the module docstring)."""

    def __init__(self, down_mbit: float, up_mbit: float) -> None:
        tag = f"{os.getpid() % 100000}"
        self.namespace = f"bwlink{tag}"
        self.outer, self.inner = f"bwl{tag}o", f"bwl{tag}i"
        used = _used_addresses()
        start = 16 + os.getpid() % 40
        for k in [*range(start, 63), *range(1, start)]:
            host, student = f"{PREFIX}{4 * k + 1}", f"{PREFIX}{4 * k + 2}"
            if f" {host}/" not in used and f" {student}/" not in used:
                break
        else:
            raise RuntimeError(f"no free /30 left in {PREFIX}0/24")
        self.host, self.student = host, student
        self.down_mbit, self.up_mbit = down_mbit, up_mbit

    def __enter__(self) -> ShapedLink:
        try:
            _ip("netns", "add", self.namespace)
            _ip("link", "add", self.outer, "type", "veth", "peer", "name", self.inner)
            _ip("link", "set", self.inner, "netns", self.namespace)
            _ip("addr", "add", f"{self.host}/30", "dev", self.outer)
            _ip("link", "set", self.outer, "up")
            inside = ["netns", "exec", self.namespace, "ip"]
            _ip(*inside, "addr", "add", f"{self.student}/30", "dev", self.inner)
            _ip(*inside, "link", "set", self.inner, "up")
            _ip(*inside, "link", "set", "lo", "up")
            self.shape(self.down_mbit, self.up_mbit)
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def shape(self, down_mbit: float, up_mbit: float) -> None:
        """(Re)shape the link: a token bucket on each end (burst 32 kbit, 400 ms queue)."""
        self.down_mbit, self.up_mbit = down_mbit, up_mbit
        for prefix, dev, rate in (
            ([], self.outer, down_mbit),
            (["ip", "netns", "exec", self.namespace], self.inner, up_mbit),
        ):
            subprocess.run(
                [*prefix, "tc", "qdisc", "replace", "dev", dev, "root", "tbf",
                 "rate", f"{rate}mbit", "burst", "32kbit", "latency", "400ms"],
                check=True, capture_output=True,
            )  # fmt: skip

    def remove(self) -> None:
        """Delete the namespace and the pair (deleting either end deletes both)."""
        subprocess.run(["ip", "link", "del", self.outer], capture_output=True)
        subprocess.run(["ip", "netns", "del", self.namespace], capture_output=True)

    def counters(self) -> tuple[int, int]:
        """(bytes sent into the namespace, bytes received from it), Ethernet frames included."""
        stats = Path(f"/sys/class/net/{self.outer}/statistics")
        return int((stats / "tx_bytes").read_text()), int((stats / "rx_bytes").read_text())

    def inside(self, argv: list[str]) -> list[str]:
        """``argv`` run inside the students' namespace."""
        return ["ip", "netns", "exec", self.namespace, *argv]

    @contextlib.contextmanager
    def relay(self, target_port: int, rtt_ms: float) -> Iterator[str]:
        """A relay on the host end to 127.0.0.1:``target_port`` adding ``rtt_ms``; yields the
        base URL students use (``http://10.77.0.x:port``)."""
        port = free_port(self.host)
        process = subprocess.Popen(
            [sys.executable, __file__, self.host, str(port), str(target_port), str(rtt_ms)],
            start_new_session=True,
            stderr=subprocess.DEVNULL,  # connections cut at the end are no news
        )
        try:
            deadline = time.monotonic() + 10
            while not _listening(self.host, port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the latency relay did not start")
                time.sleep(0.05)
            yield f"http://{self.host}:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


def _listening(host: str, port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


# --------------------------------------------------------------------------- the relay


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    """Forward everything from ``reader`` to ``writer``, each chunk ``delay`` seconds late."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def send() -> None:
        while True:
            due, data = await queue.get()
            if (pause := due - loop.time()) > 0:
                await asyncio.sleep(pause)
            if not data:
                with contextlib.suppress(OSError):
                    writer.write_eof()
                return
            writer.write(data)
            await writer.drain()

    sender = asyncio.create_task(send())
    with contextlib.suppress(OSError):
        while data := await reader.read(65536):
            queue.put_nowait((loop.time() + delay, data))
    queue.put_nowait((loop.time() + delay, b""))
    with contextlib.suppress(OSError):
        await sender


async def _serve(host: str, port: int, target_port: int, rtt: float) -> None:
    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await asyncio.sleep(rtt)  # the handshake's round trip
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            writer.close()
            return
        try:
            await asyncio.gather(
                _pipe(reader, up_writer, rtt / 2), _pipe(up_reader, writer, rtt / 2)
            )
        finally:
            for w in (writer, up_writer):
                with contextlib.suppress(OSError):
                    w.close()

    server = await asyncio.start_server(connection, host, port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    listen_host, listen_port, target, rtt_ms = sys.argv[1:5]
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(listen_host, int(listen_port), int(target), float(rtt_ms) / 1000))
