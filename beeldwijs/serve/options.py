"""What `beeldwijs start` needs to start both servers, and the addresses they are reached at."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"
ALL_INTERFACES = "0.0.0.0"
DASHBOARD_NOTEBOOK = "dashboard.ipynb"

#: One class of 30 with reloads, plus the pool (docs/server.md "Kernel cap"; ≈ 60 MB a kernel).
DEFAULT_MAX_KERNELS = 100
#: A class joining at once gets warm kernels (docs/server.md "Warm pool").
DEFAULT_POOL_SIZE = 30


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
