"""Start Beeldwijs' two Voilà servers: one for students, one for the mentor.

`beeldwijs start` calls :func:`run_servers`. It runs two separate Voilà processes because a
Voilà server runs *every* notebook under its root (DESIGN.md §5 rule 8):

- the **student server** serves ``<root>/lessons/`` only, on all interfaces so phones on the
  school Wi-Fi reach it (or on 127.0.0.1 with ``local=True``);
- the **facilitator server** serves ``<root>/facilitator/`` only, always on 127.0.0.1.

Every Voilà option we set is in :func:`_common_voila_options` and :func:`student_command`, and
``docs/server.md`` says why. Two things cannot be said on a command line and live in files:

- the page template ``beeldwijs`` (Dutch loading text, no CDN stylesheet, Dutch 404 page) in
  ``beeldwijs/templates/voila/templates/beeldwijs/``, found through ``JUPYTER_PATH``;
- ``beeldwijs/templates/config/voila.json``, found through ``JUPYTER_CONFIG_PATH``: the logging
  set-up that keeps client IP addresses out of the log, and jupyter_server's Host check
  (``allow_remote_access`` false), which the student server turns off again.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import re
import signal
import site
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TextIO

from beeldwijs import scaleout
from beeldwijs.texts import t

__all__ = [
    "ClientAddressFilter",
    "ServerOptions",
    "facilitator_command",
    "facilitator_url",
    "hide_addresses",
    "run_servers",
    "server_env",
    "student_command",
    "student_url",
]

LOOPBACK = "127.0.0.1"
ALL_INTERFACES = "0.0.0.0"
TEMPLATE_NAME = "beeldwijs"
DASHBOARD_NOTEBOOK = "dashboard.ipynb"
JOIN_NOTEBOOK = "join.ipynb"  # the page students open; beeldwijs.notebooks writes it

_PACKAGE_DIR = Path(__file__).resolve().parent
_JUPYTER_DATA_DIR = _PACKAGE_DIR / "templates"  # holds voila/templates/beeldwijs/
_JUPYTER_CONFIG_DIR = _PACKAGE_DIR / "templates" / "config"  # holds voila.json

#: One class of 30 with reloads, plus the pool (docs/server.md "Kernel cap"; ≈ 60 MB a kernel).
DEFAULT_MAX_KERNELS = 100
#: A class joining at once gets warm kernels (docs/server.md "Warm pool").
DEFAULT_POOL_SIZE = 30

_STARTUP_TIMEOUT = 90.0  # seconds until both servers must answer HTTP
_STOP_TIMEOUT = 15.0  # seconds a server gets to shut its kernels down before it is killed
_POLL_INTERVAL = 0.2

# User-facing text lives in beeldwijs/texts.py under "server.*". Voilà shows the two
# `VoilaExecutor` texts (server.cell_error, server.cell_timeout) to a visitor when a cell fails or
# times out; its defaults tell the visitor how to turn tracebacks on.


@dataclass(frozen=True)
class ServerOptions:
    """What `beeldwijs start` needs to start both servers."""

    root: Path  # folder holding lessons/ and facilitator/
    db: str  # database path or URL, passed to kernels as env BEELDWIJS_DB
    student_port: int = 8866
    facilitator_port: int = 8867
    local: bool = False  # student server on 127.0.0.1 only
    k: int = 5  # small-group threshold, passed to kernels as env BEELDWIJS_K
    cull_idle_timeout: int = 1800  # seconds
    cull_interval: int = 60
    # student server capacity (docs/server.md "Kernel cap" and "Warm pool")
    max_kernels: int = DEFAULT_MAX_KERNELS  # kernels at once, pool included; 0: no cap
    pool_size: int = DEFAULT_POOL_SIZE  # preheated kernels for join.ipynb; 0: no pool
    evict_after: int = 120  # at the cap, stop a kernel nobody was connected to for this long
    pool_fill_delay: float = 20.0  # seconds after a kernel is taken before the pool refills
    # scale-out (docs/deploy.md): N student servers behind nginx on student_port, or this
    # machine's one student server under a prefix of a central nginx, and the join links' base
    student_servers: int = 1
    base_url: str = "/"
    public_url: str | None = None
    # the mentor's server: 127.0.0.1 unless asked; anywhere else only behind a password
    facilitator_host: str = LOOPBACK
    facilitator_password_hash: str = ""  # jupyter_server.auth.passwd() of the password

    def __post_init__(self) -> None:
        try:  # IPv4: the port check and the readiness probe speak IPv4
            ipaddress.IPv4Address(self.facilitator_host)
        except ValueError:
            raise ValueError(
                f"facilitator_host must be an IPv4 address, got {self.facilitator_host!r}"
            ) from None
        for name in ("student_port", "facilitator_port"):
            port = getattr(self, name)
            if not 1 <= port <= 65535:
                raise ValueError(f"{name} must be a port number 1-65535, got {port!r}")
        for name in ("k", "cull_idle_timeout", "cull_interval", "evict_after"):
            value = getattr(self, name)
            if value < 1:
                raise ValueError(f"{name} must be at least 1, got {value!r}")
        for name in ("max_kernels", "pool_size", "pool_fill_delay"):
            value = getattr(self, name)
            if value < 0:
                raise ValueError(f"{name} must be at least 0, got {value!r}")
        if self.student_servers < 1:
            raise ValueError(f"student_servers must be at least 1, got {self.student_servers!r}")
        if not (self.base_url.startswith("/") and self.base_url.endswith("/")):
            raise ValueError(f"base_url must start and end with '/', got {self.base_url!r}")
        if self.student_servers > 1 and self.base_url != "/":
            raise ValueError("base_url is for one student server behind a central proxy")
        if self.max_kernels and self.pool_size >= self.max_kernels:
            raise ValueError(
                f"pool_size ({self.pool_size}) must be smaller than max_kernels "
                f"({self.max_kernels}): the pool counts towards the cap"
            )

    @property
    def lessons_dir(self) -> Path:
        return Path(self.root) / "lessons"

    @property
    def facilitator_dir(self) -> Path:
        return Path(self.root) / "facilitator"


# --------------------------------------------------------------------------- URLs


def student_url(options: ServerOptions) -> str:
    """Base URL students use: the LAN address, or 127.0.0.1 when local or when there is none."""
    if options.public_url:
        return options.public_url.rstrip("/")
    host = LOOPBACK if options.local else (_lan_address() or LOOPBACK)
    return f"http://{host}:{options.student_port}"


def facilitator_url(options: ServerOptions) -> str:
    """URL of the mentor's dashboard (on this machine unless ``facilitator_host`` says where).

    It never carries a secret: with a password the server shows a login page instead.
    """
    host = options.facilitator_host
    if host == ALL_INTERFACES:
        host = _lan_address() or LOOPBACK
    return f"http://{host}:{options.facilitator_port}/voila/render/{DASHBOARD_NOTEBOOK}"


def _is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8)."""
    return ipaddress.ip_address(host).is_loopback


def _lan_address() -> str | None:
    """This machine's address on the local network, found without sending a packet.

    Connecting a UDP socket only asks the kernel for a route; no internet is needed, only a
    route (a hotspot's default route will do).
    """
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.254.254.254", 1))
        address = str(probe.getsockname()[0])
        if _is_lan_address(address):
            return address
    with contextlib.suppress(OSError):
        for address in socket.gethostbyname_ex(socket.gethostname())[2]:
            if _is_lan_address(address):
                return address
    return None


def _is_lan_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_unspecified or ip.is_link_local)


# --------------------------------------------------------------------------- commands


def student_command(options: ServerOptions, index: int = 0) -> list[str]:
    """argv of the student Voilà process: Voilà with a kernel cap and a warm pool.

    ``beeldwijs.studentserver`` is Voilà's own application plus the cap, the eviction of
    abandoned kernels and one pool for ``join.ipynb``. With several student servers, server
    ``index`` (1-based) listens on 127.0.0.1:``internal_port(options, index)`` under ``/s<index>/`` and
    nginx listens on ``student_port`` (beeldwijs.scaleout).
    """
    host = LOOPBACK if options.local else ALL_INTERFACES
    port, base_url = options.student_port, options.base_url
    if index:
        host, port, base_url = LOOPBACK, internal_port(options, index), scaleout.prefix(index)
    return [
        *_voila_command(options.lessons_dir, host, port, options, "beeldwijs.studentserver"),
        *([f"--Voila.base_url={base_url}"] if base_url != "/" else []),
        # phones ask for http://<LAN address>:port/; templates/config/voila.json turns tornado's
        # Host check on (allow_remote_access false) for both servers, this turns it off again here
        "--Voila.tornado_settings=allow_remote_access=True",
        *capacity_options(options),
    ]


#: With several student servers, server i listens on 127.0.0.1:student_port + 100 + i.
INTERNAL_PORT_OFFSET = 100


def internal_port(options: ServerOptions, index: int) -> int:
    """Port of student server ``index`` (1-based) behind nginx, on 127.0.0.1 only."""
    return options.student_port + INTERNAL_PORT_OFFSET + index


def capacity_options(options: ServerOptions) -> list[str]:
    """The student server's kernel cap and warm pool (beeldwijs.studentserver.StudentVoila)."""
    return [
        f"--StudentVoila.max_kernels={options.max_kernels}",
        f"--StudentVoila.evict_after={options.evict_after}",
        f"--StudentVoila.pool_size={options.pool_size}",
        f"--StudentVoila.pool_notebook={JOIN_NOTEBOOK}",
        f"--StudentVoila.pool_fill_delay={options.pool_fill_delay}",
    ]


def facilitator_command(options: ServerOptions) -> list[str]:
    """argv of the facilitator Voilà process (bound to 127.0.0.1 unless asked otherwise).

    On 127.0.0.1 it keeps jupyter_server's Host check from templates/config/voila.json: only
    requests for 127.0.0.1/localhost/::1 are served, so a web page that rebinds its DNS name to
    127.0.0.1 cannot read or drive the dashboard from the mentor's browser. With a password,
    jupyter_server's PasswordIdentityProvider asks for it on a login page (a cookie, no token in
    any URL) before any page, kernel or websocket; only then may the server listen elsewhere.
    """
    argv = _voila_command(
        options.facilitator_dir, options.facilitator_host, options.facilitator_port, options
    )
    if options.facilitator_password_hash:
        argv.append(
            f"--PasswordIdentityProvider.hashed_password={options.facilitator_password_hash}"
        )
    if not _is_loopback(options.facilitator_host):  # _startup_problem: only with a password
        argv.append("--Voila.tornado_settings=allow_remote_access=True")
    return argv


def _voila_command(
    folder: Path, host: str, port: int, options: ServerOptions, module: str = "voila"
) -> list[str]:
    return [
        sys.executable,
        "-m",
        module,
        str(Path(folder).resolve()),
        f"--Voila.ip={host}",
        f"--Voila.port={port}",
        *_common_voila_options(options),
    ]


def _common_voila_options(options: ServerOptions) -> list[str]:
    """Options both servers share; docs/server.md explains each one."""
    return [
        # fail on a busy port instead of silently moving to another one (default: 50 retries)
        "--Voila.port_retries=0",
        "--Voila.open_browser=False",
        # our page template; visitors may not pick another template or theme (?template=, ?theme=)
        f"--VoilaConfiguration.template={TEMPLATE_NAME}",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaExporter.language_code=nl",  # <html lang="nl">
        f"--VoilaExecutor.cell_error_instruction={t('server.cell_error')}",
        f"--VoilaExecutor.cell_timeout_instruction={t('server.cell_timeout')}",
        # default 4 s left pages empty under load (STACK-FACTS)
        "--VoilaExecutor.iopub_timeout=60",
        # closing a tab does not stop its kernel (voila#1458): cull kernels nobody is connected to
        f"--MappingKernelManager.cull_idle_timeout={options.cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={options.cull_interval}",
        "--MappingKernelManager.cull_connected=False",
        "--MappingKernelManager.cull_busy=False",
        # "Too many open files" at ~120 kernels with one shared ZeroMQ context
        "--MultiKernelManager.shared_context=False",
        *_transport_options(),
    ]


def _transport_options() -> list[str]:
    """IPC sockets instead of TCP ports between server and kernels (Voilà #408 port clashes).

    ZeroMQ has no ipc transport on Windows, so Windows keeps TCP. A Unix socket path may be at
    most 104 bytes on macOS, and macOS' temp dir is long, so connection files go to /tmp there.
    """
    if os.name != "posix":
        return []
    transport = ["--KernelManager.transport=ipc"]
    if sys.platform == "darwin":
        transport.append("--Voila.connection_dir_root=/tmp")
    return transport


# --------------------------------------------------------------------------- environment


def server_env(options: ServerOptions) -> dict[str, str]:
    """Environment of both Voilà processes; their kernels inherit it."""
    env = dict(os.environ)
    env["BEELDWIJS_DB"] = _kernel_db(options.db)
    env["BEELDWIJS_K"] = str(options.k)
    env["BEELDWIJS_STUDENT_URL"] = student_url(options)
    env["JUPYTER_PATH"] = _prepend_path(_JUPYTER_DATA_DIR, env.get("JUPYTER_PATH"))
    env["JUPYTER_CONFIG_PATH"] = _prepend_path(_JUPYTER_CONFIG_DIR, env.get("JUPYTER_CONFIG_PATH"))
    source_root = _source_root()
    if source_root is not None:
        env["PYTHONPATH"] = _prepend_path(source_root, env.get("PYTHONPATH"))
    return env


def prepare_kernels(options: ServerOptions, cleanup: contextlib.ExitStack) -> dict[str, str]:
    """Work done once at start instead of in every kernel; returns what goes into their env."""
    compile_package()
    return content_cache_env(options, cleanup)


def compile_package(package: Path | None = None) -> bool:
    """Write the bytecode of the beeldwijs package, best effort; True when it is all there.

    Every kernel imports it. Without ``.pyc`` files (``PYTHONDONTWRITEBYTECODE``, set in many
    container images, or a package folder the server's user may not write to at first import)
    each kernel compiles it from source again: ≈ 35 ms of CPU per student, measured
    (docs/decisions.md). Reading existing bytecode is not affected by that setting.
    """
    import compileall

    try:
        folder = package or Path(__file__).resolve().parent
        return bool(compileall.compile_dir(folder, quiet=2, force=False))
    except OSError:
        return False


def content_cache_env(options: ServerOptions, cleanup: contextlib.ExitStack) -> dict[str, str]:
    """Parse every lesson once for all kernels (beeldwijs.content.cache); {} if that fails.

    The file lives in a private temporary folder that ``cleanup`` removes.
    """
    import tempfile

    from beeldwijs.content import Library
    from beeldwijs.content.cache import ENV, write_cache

    folder = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="beeldwijs-cache-")))
    try:
        path = write_cache(Library(options.root), folder / "lessons.pickle")
    except Exception:  # noqa: BLE001 - broken content: each kernel reports it where it shows
        return {}
    return {ENV: str(path)}


def _prepend_path(path: Path, current: str | None) -> str:
    return os.pathsep.join([str(path), *([current] if current else [])])


def _is_url(db: str) -> bool:
    return "://" in db or db.startswith(":")


def _kernel_db(db: str) -> str:
    """A database path made absolute: the two servers' kernels run in different folders."""
    return db if _is_url(db) else str(Path(db).expanduser().resolve())


def _source_root() -> Path | None:
    """The checkout holding `beeldwijs` when it is not installed in site-packages.

    Voilà imports :class:`ClientAddressFilter` from this package (templates/config/voila.json),
    so the child process must find the package even when it was found here through the
    current directory.
    """
    root = _PACKAGE_DIR.parent
    site_dirs = [*site.getsitepackages(), site.getusersitepackages()]
    if any(Path(d).resolve() == root for d in site_dirs if d):
        return None
    return root


# --------------------------------------------------------------------------- logging


_ADDRESS_CANDIDATE = re.compile(r"[0-9A-Fa-f]*[:.][0-9A-Fa-f:.]*(?:%\w+)?")
_REMOTE_IP = re.compile(r"remote_ip='[^']*'")


def hide_addresses(text: str) -> str:
    """Replace every IPv4/IPv6 address in `text` with '-'."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        for candidate in (token, token.rstrip(":.")):
            with contextlib.suppress(ValueError):
                ipaddress.ip_address(candidate)
                return "-" + token[len(candidate) :]
        return token

    return _ADDRESS_CANDIDATE.sub(replace, _REMOTE_IP.sub("remote_ip='-'", text))


class ClientAddressFilter(logging.Filter):
    """Keeps client IP addresses out of Voilà's log (DESIGN.md §5 rule 1).

    Tornado writes the client address into its access log, its HTTP error warnings and its
    uncaught-exception reports. Voilà's config (templates/config/voila.json) attaches this filter
    to the handler that prints the ``tornado`` loggers.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = hide_addresses(message)
        if hidden != message:
            record.msg, record.args = hidden, None
        return True


# --------------------------------------------------------------------------- running


@dataclass
class _Server:
    name: str  # Dutch, for messages
    port: int
    process: subprocess.Popen[bytes]
    host: str = LOOPBACK  # where it answers HTTP (0.0.0.0: on 127.0.0.1 too)


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
            facilitator = _start(
                t("server.facilitator_server"),
                options.facilitator_port,
                facilitator_command(options),
                env,
                options.facilitator_dir,
            )
            facilitator.host = options.facilitator_host
            servers.append(facilitator)
            failure = _wait_until_ready(servers, stop)
            if failure is not None:
                _say(out, failure)
                return 1
            if stop.is_set():
                return 0
            _say(out, t("server.students", url=env["BEELDWIJS_STUDENT_URL"]))
            _say(out, t("server.facilitator", url=facilitator_url(options)))
            _say(out, t("server.how_to_stop"))
            failure = _supervise(servers, stop)
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
    import tempfile

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
    if not _is_loopback(options.facilitator_host) and not options.facilitator_password_hash:
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
    if not _is_url(options.db):
        db = Path(_kernel_db(options.db))
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
    if os.name == "posix":
        process = subprocess.Popen(
            argv, env=env, cwd=folder, stdin=subprocess.DEVNULL, start_new_session=True
        )
    else:
        process = subprocess.Popen(
            argv,
            env=env,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            creationflags=subprocess.CREATE_NEW_PROCESS_GROUP,  # type: ignore[attr-defined]
        )
    return _Server(name=name, port=port, process=process)


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


def _supervise(servers: list[_Server], stop: threading.Event) -> str | None:
    """Wait for a stop request (None) or for a server to die (a Dutch message)."""
    while not stop.wait(_POLL_INTERVAL):
        for server in servers:
            code = server.process.poll()
            if code is not None:
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
