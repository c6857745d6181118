"""What `beeldwijs start` needs to start both servers, and the addresses they are reached at."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from beeldwijs import settings

LOOPBACK = "127.0.0.1"
ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - the student server is for phones on the LAN
DASHBOARD_NOTEBOOK = "dashboard.ipynb"


def _default(name: str) -> Any:
    return field(default=settings.default(name))


@dataclass(frozen=True)
class ServerOptions:
    """What `beeldwijs start` needs to start both servers (defaults and checks: beeldwijs.settings).

    Capacity: docs/server.md "Kernel cap" and "Warm pool"; scale-out: docs/deploy.md.
    """

    root: Path  # folder holding lessons/ and facilitator/
    db: str  # database path or URL, passed to kernels as env BEELDWIJS_DB
    student_port: int = _default("student_port")
    facilitator_port: int = _default("facilitator_port")
    local: bool = _default("local")
    k: int = _default("k")  # passed to kernels as env BEELDWIJS_K
    cull_idle_timeout: int = _default("cull_idle_timeout")
    cull_interval: int = _default("cull_interval")
    max_kernels: int = _default("max_kernels")
    pool_size: int = _default("pool_size")
    evict_after: int = _default("evict_after")
    pool_fill_delay: float = _default("pool_fill_delay")
    # new kernels per client address a minute (after a burst), and with it wrong codes and
    # connections per address; 0: no limits per address
    joins_per_minute: int = _default("joins_per_minute")
    kernels_per_session: int = _default("kernels_per_session")  # without a class size
    # this start's private temporary folder (beeldwijs.serve.runfolder; set by run_servers)
    run_dir: str = ""
    student_servers: int = _default("student_servers")
    base_url: str = _default("base_url")
    trusted_proxy: str | None = _default("trusted_proxy")  # its X-Real-IP is the client's
    public_url: str | None = _default("public_url")
    facilitator_host: str = _default("facilitator_host")
    facilitator_password_hash: str = ""  # jupyter_server.auth.passwd() of the password

    def __post_init__(self) -> None:
        for item in fields(self):
            if item.name in settings.NAMES:
                settings.check(item.name, getattr(self, item.name))
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


INTERNAL_PORT_OFFSET = 100


def internal_port(options: ServerOptions, index: int) -> int:
    """Port of student server ``index`` (1-based) behind nginx, on 127.0.0.1 only."""
    return options.student_port + INTERNAL_PORT_OFFSET + index


# --------------------------------------------------------------------------- URLs


def student_url(options: ServerOptions) -> str:
    """Base URL students use: the LAN address, or 127.0.0.1 when local or when there is none."""
    if options.public_url:
        return options.public_url.rstrip("/")
    host = LOOPBACK if options.local else (lan_address() or LOOPBACK)
    return f"http://{host}:{options.student_port}"


def facilitator_url(options: ServerOptions) -> str:
    """URL of the mentor's dashboard (on this machine unless ``facilitator_host`` says where).

    It never carries a secret: with a password the server shows a login page instead.
    """
    host = options.facilitator_host
    if host == ALL_INTERFACES:
        host = lan_address() or LOOPBACK
    return f"http://{host}:{options.facilitator_port}/voila/render/{DASHBOARD_NOTEBOOK}"


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8)."""
    return ipaddress.ip_address(host).is_loopback


def lan_address() -> str | None:
    """This machine's address on the local network, found without sending a packet.

    Connecting a UDP socket only asks the kernel for a route; no internet is needed, only a
    route (a hotspot's default route will do).
    """
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.254.254.254", 1))
        address = str(probe.getsockname()[0])
        if is_lan_address(address):
            return address
    with contextlib.suppress(OSError):
        for address in socket.gethostbyname_ex(socket.gethostname())[2]:
            if is_lan_address(address):
                return address
    return None


def is_lan_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_unspecified or ip.is_link_local)


def is_url(db: str) -> bool:
    return "://" in db or db.startswith(":")


def kernel_db(db: str) -> str:
    """A database path made absolute: the two servers' kernels run in different folders."""
    return db if is_url(db) else str(Path(db).expanduser().resolve())
