"""Start Beeldwijs' two Voilà servers, one for students and one for the mentor, and watch them.

`beeldwijs start` calls :func:`run_servers`. It runs two separate Voilà processes because a
Voilà server runs *every* notebook under its root (docs/architecture.md, product rule 8):

- the **student server** serves ``<root>/lessons/`` only, on all interfaces so phones on the
  school Wi-Fi reach it (or on 127.0.0.1 with ``local=True``);
- the **facilitator server** serves ``<root>/facilitator/`` only, always on 127.0.0.1.

Their command lines and environment: :mod:`beeldwijs.serve.commands`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TextIO

from beeldwijs import settings
from beeldwijs.serve import runfolder, scaleout
from beeldwijs.serve.commands import (
    facilitator_command,
    facilitator_env,
    server_env,
    student_command,
)
from beeldwijs.serve.kernels import prepare_kernels
from beeldwijs.serve.options import (
    ALL_INTERFACES,
    DASHBOARD_NOTEBOOK,
    LOOPBACK,
    ServerOptions,
    facilitator_url,
    internal_port,
    is_loopback,
    is_url,
    kernel_db,
)
from beeldwijs.texts import t

_STARTUP_TIMEOUT = 90.0  # seconds until both servers must answer HTTP
_STOP_TIMEOUT = 15.0  # seconds a server gets to shut its kernels down before it is killed
_POLL_INTERVAL = 0.2


@dataclass
class _Server:
    name: str  # Dutch, for messages
    port: int
    process: subprocess.Popen[bytes]
    host: str = LOOPBACK  # where it answers HTTP (0.0.0.0: on 127.0.0.1 too)
    start: Callable[[], subprocess.Popen[bytes]] | None = None  # restarts it after a crash
    restarts: list[float] = field(default_factory=list)  # monotonic times of restarts


def run_servers(options: ServerOptions, *, out: TextIO = sys.stdout) -> int:
    """Start both servers, print their URLs, wait; 0 after Ctrl-C/SIGTERM, 1 on a failure."""
    problem = _startup_problem(options)
    if problem is not None:
        _say(out, problem)
        return 1
    env = server_env(options)
    stop = threading.Event()
    servers: list[_Server] = []
    with _stop_on_signals(stop), contextlib.ExitStack() as cleanup:
        try:
            _say(out, t("server.starting"))
            run, removed = runfolder.run_folder()
            cleanup.callback(shutil.rmtree, run, True)
            if removed:
                _say(out, t("server.stale_folders", n=removed))
            options = dataclasses.replace(options, run_dir=str(run))
            env.update(prepare_kernels(options, cleanup))
            if options.student_servers == 1:
                servers.append(
                    _start(
                        t("server.student_server"),
                        options.student_port,
                        student_command(options),
                        env,
                        options.lessons_dir,
                    )
                )
            else:
                servers += _start_scaled_out(options, env, cleanup)
            private = run / "private"
            facilitator = _start(
                t("server.facilitator_server"),
                options.facilitator_port,
                facilitator_command(options),
                facilitator_env(options, env, private),
                options.facilitator_dir,
            )
            facilitator.host = options.facilitator_host
            facilitator.start = (
                None  # the dashboard's server dying stops all (its kernels hold the lesson)
            )
            servers.append(facilitator)
            failure = _wait_until_ready(servers, stop)
            if failure is not None:
                _say(out, failure)
                return 1
            if stop.is_set():
                return 0
            _say(out, t("server.students", url=env[settings.get("student_url").env]))
            _say(out, t("server.facilitator", url=facilitator_url(options)))
            _say(out, t("server.how_to_stop"))
            failure = _supervise(servers, stop, lambda message: _say(out, message))
            if failure is not None:
                _say(out, failure)
                return 1
            return 0
        finally:
            if servers:
                _say(out, t("server.stopping"))
            _stop_all(servers)


def _start_scaled_out(
    options: ServerOptions, env: dict[str, str], cleanup: contextlib.ExitStack
) -> list[_Server]:
    """N student servers on 127.0.0.1 under /s1/…/sN/ and nginx in front on student_port."""

    nginx = scaleout.find_nginx()
    if nginx is None:  # checked in _startup_problem
        raise RuntimeError("nginx not found")
    servers = [
        _start(
            t("server.student_server_n", n=i),
            internal_port(options, i),
            student_command(options, i),
            env,
            options.lessons_dir,
        )
        for i in range(1, options.student_servers + 1)
    ]
    workdir = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="beeldwijs-nginx-")))
    host = LOOPBACK if options.local else ALL_INTERFACES
    upstreams = [
        (scaleout.prefix(i), f"{LOOPBACK}:{internal_port(options, i)}")
        for i in range(1, options.student_servers + 1)
    ]
    scaleout.prepare_workdir(
        workdir, scaleout.nginx_config(f"{host}:{options.student_port}", upstreams, workdir)
    )
    proxy = _start(
        t("server.proxy", n=options.student_servers),
        options.student_port,
        scaleout.nginx_command(nginx, workdir),
        env,
        workdir,
    )
    return [*servers, proxy]


def _say(out: TextIO, message: str) -> None:
    print(message, file=out, flush=True)


def _startup_problem(options: ServerOptions) -> str | None:
    """Everything we can check before starting a process, as one Dutch message (or None)."""
    if options.student_port == options.facilitator_port:
        return t("server.same_ports", port=options.student_port)
    if not is_loopback(options.facilitator_host) and not options.facilitator_password_hash:
        return t("server.facilitator_needs_password", host=options.facilitator_host)
    folders = (
        (options.lessons_dir, t("server.student_server")),
        (options.facilitator_dir, t("server.facilitator_server")),
    )
    for folder, server in folders:
        if not folder.is_dir():
            return t("server.missing_folder", folder=folder, server=server)
    dashboard = options.facilitator_dir / DASHBOARD_NOTEBOOK
    if not dashboard.is_file():
        return t("server.missing_dashboard", path=dashboard)
    if not is_url(options.db):
        db = Path(kernel_db(options.db))
        for folder, _server in folders:
            if db.is_relative_to(folder.resolve()):
                return t("server.db_in_served_folder", db=db, folder=folder)
    ports = [
        (LOOPBACK if options.local else ALL_INTERFACES, options.student_port, "--student-port"),
        (options.facilitator_host, options.facilitator_port, "--facilitator-port"),
    ]
    if options.student_servers > 1:
        if scaleout.find_nginx() is None:
            return t("server.no_nginx")
        behind = [internal_port(options, i) for i in range(1, options.student_servers + 1)]
        if options.facilitator_port in behind:
            return t(
                "server.port_in_use", port=options.facilitator_port, option="--facilitator-port"
            )
        ports += [
            (LOOPBACK, internal_port(options, i), "--student-port")
            for i in range(1, options.student_servers + 1)
        ]
    for host, port, option in ports:
        if _port_in_use(host, port):
            return t("server.port_in_use", port=port, option=option)
    return None


def _port_in_use(host: str, port: int) -> bool:
    """True when `host:port` cannot be bound, the way tornado binds it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        if os.name == "posix":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Turn SIGINT (Ctrl-C) and SIGTERM into `stop` while the servers run (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _start(name: str, port: int, argv: list[str], env: dict[str, str], folder: Path) -> _Server:
    """Start one Voilà process in its own process group, so Ctrl-C reaches only us.

    The working directory is the served folder: Voilà also reads voila.json/voila.py from there.
    """

    def start() -> subprocess.Popen[bytes]:
        if os.name == "posix":
            return subprocess.Popen(  # noqa: S603 - our own argv (serve/commands.py), no shell
                argv, env=env, cwd=folder, stdin=subprocess.DEVNULL, start_new_session=True
            )
        return subprocess.Popen(  # noqa: S603 - our own argv (serve/commands.py), no shell
            argv,
            env=env,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            creationflags=subprocess.CREATE_NEW_PROCESS_GROUP,  # type: ignore[attr-defined]
        )

    return _Server(name=name, port=port, process=start(), start=start)


def _wait_until_ready(servers: list[_Server], stop: threading.Event) -> str | None:
    """Wait until every server answers HTTP; a Dutch message if one dies or never answers."""
    deadline = time.monotonic() + _STARTUP_TIMEOUT
    waiting = list(servers)
    while waiting and not stop.is_set():
        for server in list(waiting):
            code = server.process.poll()
            if code is not None:
                return t("server.died_at_start", server=server.name, code=code)
            if _answers_http(server.port, server.host):
                waiting.remove(server)
        if waiting and time.monotonic() > deadline:
            return t("server.startup_timeout", server=waiting[0].name, seconds=_STARTUP_TIMEOUT)
        if waiting:
            stop.wait(_POLL_INTERVAL)
    return None


_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _answers_http(port: int, host: str = LOOPBACK) -> bool:
    """True when something answers HTTP on `host`:`port` (any status; the tree page)."""
    if host == ALL_INTERFACES:
        host = LOOPBACK
    try:
        with _NO_PROXY_OPENER.open(f"http://{host}:{port}/", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, OSError):
        return False


#: A crashed student server is started again, at most this often within RESTART_WINDOW s.
MAX_RESTARTS = 5
RESTART_WINDOW = 600.0


def _supervise(
    servers: list[_Server], stop: threading.Event, say: Callable[[str], None] = print
) -> str | None:
    """Wait for a stop request (None) or for a server to die. A student server (or nginx) that
    dies is started again while the dashboard stays up (its students reload and resume); the
    dashboard's server dying, or a student server dying too often, stops all (a Dutch message)."""
    while not stop.wait(_POLL_INTERVAL):
        for server in servers:
            code = server.process.poll()
            if code is None:
                continue
            now = time.monotonic()
            server.restarts = [r for r in server.restarts if now - r < RESTART_WINDOW]
            if server.start is not None and len(server.restarts) < MAX_RESTARTS:
                say(t("server.restarting", server=server.name, code=code))
                server.restarts.append(now)
                server.process = server.start()
                continue
            other = next((s.name for s in servers if s is not server), "")
            return t("server.died", server=server.name, code=code, other=other)
    return None


def _stop_all(servers: list[_Server]) -> None:
    """SIGTERM every server (Voilà then shuts its kernels down), wait, kill what remains."""
    for server in servers:
        if server.process.poll() is None:
            server.process.terminate()
    deadline = time.monotonic() + _STOP_TIMEOUT
    for server in servers:
        try:
            server.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
