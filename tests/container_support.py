"""The compose stack under test: images built once and cached, a private CA, HTTPS helpers.

Tests marked ``container`` build the Beeldwijs image (compose.yaml's ``build``), start the whole
stack with podman-compose on a bridge network, and talk to it only through the HTTPS front on
127.0.0.1. No image registry is needed: the base image is made with debootstrap once and kept in
podman's image store (``localhost/debian:bookworm``); PostgreSQL and Caddy come from small
stand-in images with the official images' contract (tests/container/*.Containerfile).
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.shared import free_port

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent / "container"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "beeldwijs"
BASE_IMAGE = os.environ.get("BEELDWIJS_TEST_BASE", "localhost/debian:bookworm")
APP_IMAGE = "localhost/beeldwijs:test"
POSTGRES_IMAGE = "localhost/beeldwijs-test-postgres:latest"
CADDY_IMAGE = "localhost/beeldwijs-test-caddy:latest"
#: The services of compose.yaml.
SERVICES = ("front", "facilitator", "student1", "student2", "db")
HOST = "beeldwijs.test"  # resolved to 127.0.0.1 by the helpers and by Chromium's resolver rule
CONTAINERS_CONF = """\
[containers]
default_ulimits = []
pids_limit = 0
[engine]
runtime = "runc"
"""


def container_engine_problem() -> str | None:
    """Why the container tests cannot run here, or None."""
    if shutil.which("podman") is None:
        return "no container engine: podman is not installed (tools/system-deps.sh installs it)"
    if shutil.which("podman-compose") is None:
        return "podman-compose is not installed (tools/system-deps.sh installs it)"
    return None


def engine_env() -> dict[str, str]:
    """podman's environment: runc and no rlimits (crun fails on this kind of machine)."""
    env = dict(os.environ)
    if "CONTAINERS_CONF" not in env:
        CACHE.mkdir(parents=True, exist_ok=True)
        conf = CACHE / "containers.conf"
        if not conf.exists() or conf.read_text() != CONTAINERS_CONF:
            conf.write_text(CONTAINERS_CONF)
        env["CONTAINERS_CONF"] = str(conf)
    return env


def podman(
    *args: str, check: bool = True, timeout: float = 1800, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["podman", *args], env=engine_env(), check=check, text=True, capture_output=True,
        timeout=timeout, input=input,
    )  # fmt: skip


def image_exists(name: str) -> bool:
    return podman("image", "exists", name, check=False).returncode == 0


def ensure_base_image() -> None:
    """``localhost/debian:bookworm`` from debootstrap, made once per machine (≈ 1–2 min)."""
    if image_exists(BASE_IMAGE):
        return
    if shutil.which("debootstrap") is None:
        pytest.fail(f"{BASE_IMAGE} is missing and debootstrap is not installed")
    with tempfile.TemporaryDirectory(prefix="beeldwijs-rootfs-") as rootfs:
        subprocess.run(
            ["debootstrap", "--variant=minbase", "bookworm", rootfs], check=True,
            capture_output=True,
        )  # fmt: skip
        tar = subprocess.Popen(["tar", "-C", rootfs, "-c", "."], stdout=subprocess.PIPE)
        subprocess.run(
            ["podman", "import", "-", BASE_IMAGE], stdin=tar.stdout, env=engine_env(),
            check=True, capture_output=True,
        )  # fmt: skip
        tar.wait()


def build(tag: str, containerfile: Path, context: Path) -> None:
    """``podman build`` with the layer cache: unchanged layers take no time."""
    args = [
        "build", "--network", "host", "--build-arg", f"BASE={BASE_IMAGE}",
        "-t", tag, "-f", str(containerfile),
    ]  # fmt: skip
    bundle = Path("/etc/ssl/certs/ca-certificates.crt")
    if bundle.exists():  # pip behind a TLS-inspecting proxy (docs/container.md)
        args += ["-v", f"{bundle}:/run/host-ca.crt:ro", "--build-arg", "PIP_CERT=/run/host-ca.crt"]
    result = podman(*args, str(context), check=False)
    if result.returncode != 0:
        pytest.fail(f"podman build {tag} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def build_images() -> None:
    ensure_base_image()
    build(POSTGRES_IMAGE, HERE / "postgres.Containerfile", HERE)
    build(CADDY_IMAGE, HERE / "caddy.Containerfile", HERE)
    build(APP_IMAGE, ROOT / "Containerfile", ROOT)


# --------------------------------------------------------------------------- a private CA


@dataclass
class Certificates:
    folder: Path

    @property
    def ca(self) -> Path:
        return self.folder / "ca.pem"

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca))


def make_certificates(folder: Path, host: str = HOST, *also: str) -> Certificates:
    """A CA and a certificate for ``host`` (a name or an IP address) and the names ``also``,
    signed by it (openssl), as a school would bring."""
    folder.mkdir(parents=True, exist_ok=True)

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=folder)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
            "/CN=Beeldwijs test CA", "-keyout", "ca-key.pem", "-out", "ca.pem",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={host}",
            "-keyout", "privkey.pem", "-out", "server.csr")  # fmt: skip
    names = ",".join(
        f"{'IP' if name.replace('.', '').isdigit() else 'DNS'}:{name}" for name in (host, *also)
    )
    (folder / "ext.cnf").write_text(
        f"subjectAltName={names}\nextendedKeyUsage=serverAuth\n"
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
    )
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
            "-CAcreateserial", "-days", "2", "-extfile", "ext.cnf", "-out", "fullchain.pem")  # fmt: skip
    # read by the containers' own users (the front; the mentors' server reads the CA), whatever
    # the umask (beeldwijs.cli sets 077 for its own files)
    folder.chmod(0o755)
    for name in ("privkey.pem", "fullchain.pem", "ca.pem"):
        (folder / name).chmod(0o644)
    return Certificates(folder)


def trusting_nss_home(certs: Certificates, home: Path) -> Path:
    """A HOME whose NSS database trusts the test CA: Chromium on Linux reads ~/.pki/nssdb."""
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True, exist_ok=True)
    subprocess.run(["certutil", "-d", f"sql:{nssdb}", "-N", "--empty-password"], check=True,
                   capture_output=True)  # fmt: skip
    subprocess.run(["certutil", "-d", f"sql:{nssdb}", "-A", "-t", "C,,", "-n",
                    "beeldwijs-test-ca", "-i", str(certs.ca)], check=True, capture_output=True)  # fmt: skip
    return home


# --------------------------------------------------------------------------- HTTPS client


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to ``host`` (SNI, certificate name, Host header) at 127.0.0.1 (no DNS needed)."""

    def connect(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Stack:
    """The running compose stack, reached through its front at https://HOST:https_port."""

    project: str
    workdir: Path
    certs: Certificates
    http_port: int
    https_port: int
    env_file: Path
    db_password: str
    env: dict[str, str] = field(default_factory=dict)
    files: tuple[Path, ...] = ()  # compose files added to compose.yaml (tests/container/)

    @property
    def origin(self) -> str:
        return f"https://{HOST}:{self.https_port}"

    def https(self, path: str, method: str = "GET", headers: dict[str, str] | None = None,
              body: str | None = None) -> Response:  # fmt: skip
        conn = _PinnedHTTPSConnection(
            HOST, self.https_port, context=self.certs.context(), timeout=30
        )
        try:
            conn.request(method, path, body=body, headers=headers or {})
            reply = conn.getresponse()
            return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()},
                            reply.read().decode("utf-8", "replace"))  # fmt: skip
        finally:
            conn.close()

    def http(self, path: str) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=30)
        try:
            conn.request("GET", path, headers={"Host": HOST})
            reply = conn.getresponse()
            return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()},
                            reply.read().decode("utf-8", "replace"))  # fmt: skip
        finally:
            conn.close()

    def compose(
        self, *args: str, check: bool = True, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["podman-compose", "-p", self.project, "-f", str(ROOT / "compose.yaml"),
             *(arg for f in self.files for arg in ("-f", str(f))), *args],
            env={**engine_env(), **self.env}, cwd=ROOT, check=check, text=True,
            capture_output=True, timeout=timeout,
        )  # fmt: skip

    def container(self, service: str) -> str:
        return f"{self.project}_{service}_1"

    def exec(
        self,
        service: str,
        *argv: str,
        check: bool = True,
        input: str | None = None,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        options = [f"--env={k}={v}" for k, v in (env or {}).items()]
        if input is not None:
            options.append("--interactive")
        return podman(
            "exec", *options, self.container(service), *argv, check=check, timeout=300,
            input=input,
        )  # fmt: skip

    def python(self, service: str, script: str, env: dict[str, str] | None = None) -> str:
        """Run a Python script in the service's container (its own venv); its standard output."""
        return self.exec(service, "python3", "-", input=script, env=env).stdout

    def db_url(self, database: str = "beeldwijs") -> str:
        """The servers' database URL, for ``database`` on the stack's PostgreSQL."""
        return f"postgresql://beeldwijs:{self.db_password}@db:5432/{database}"

    def address(self, service: str) -> str:
        """The service's address on the stack's bridge network."""
        fmt = "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"
        return podman("inspect", "-f", fmt, self.container(service)).stdout.strip()

    def gateway(self) -> str:
        fmt = "{{range .NetworkSettings.Networks}}{{.Gateway}}{{end}}"
        return podman("inspect", "-f", fmt, self.container("front")).stdout.strip()

    def logs(self, service: str) -> str:
        result = podman("logs", self.container(service), check=False)
        return result.stdout + result.stderr

    def wait_for_log(self, service: str, text: str, seconds: float = 900) -> None:
        """Until ``text`` is in the service's log (e.g. a student server's warm pool is full)."""
        deadline = time.monotonic() + seconds
        while text not in self.logs(service):
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{service} never logged {text!r}:\n{self.logs(service)[-2500:]}"
                )
            time.sleep(2)

    def save_logs(self, folder: Path) -> Path:
        """Every service's log in ``folder`` (one file each), for a run to be read afterwards."""
        folder.mkdir(parents=True, exist_ok=True)
        for service in SERVICES:
            (folder / f"{service}.log").write_text(self.logs(service))
        print(f"\nlogs of the stack: {folder}")
        return folder

    def wait_healthy(self, seconds: float = 300) -> None:
        """Until the front and every server's /healthz answer 200 through HTTPS."""
        paths = ["/healthz", "/mentor/healthz", "/s1/healthz", "/s2/healthz"]
        deadline = time.monotonic() + seconds
        waiting = list(paths)
        while waiting and time.monotonic() < deadline:
            with suppress(OSError):
                waiting = [p for p in waiting if self.https(p).status != 200]
            if waiting:
                time.sleep(1)
        if waiting:
            logs = "\n".join(f"--- {s}\n{self.logs(s)[-2500:]}" for s in SERVICES)
            raise TimeoutError(f"not healthy: {waiting}\n{logs}")


def write_env_file(path: Path, settings: dict[str, str]) -> Path:
    path.write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
    path.chmod(0o600)
    return path


@contextmanager
def compose_stack(
    workdir: Path,
    extra: dict[str, str] | None = None,
    *,
    certs: Certificates | None = None,
    files: tuple[Path, ...] = (),
    compose_env: dict[str, str] | None = None,
) -> Iterator[Stack]:
    """Build (cached), start the stack with TLS from a private CA, wait until healthy, stop.
    ``extra``: settings for beeldwijs.env; ``files``: compose files added to compose.yaml;
    ``compose_env``: variables those files use."""
    build_images()
    certs = certs or make_certificates(workdir / "certs")
    password = secrets.token_urlsafe(16)
    http_port, https_port = free_port(), free_port()
    settings = {
        "BEELDWIJS_HOST": HOST,
        "BEELDWIJS_PUBLIC_URL": f"https://{HOST}:{https_port}",
        "BEELDWIJS_TLS": "/etc/beeldwijs/certs/fullchain.pem /etc/beeldwijs/certs/privkey.pem",
        "POSTGRES_PASSWORD": password,
        "BEELDWIJS_DB": f"postgresql://beeldwijs:{password}@db:5432/beeldwijs",
        "BEELDWIJS_FACILITATOR_PASSWORD": "mentor-test-wachtwoord",
        "BEELDWIJS_POOL_SIZE": "3",
        "BEELDWIJS_MAX_KERNELS": "60",
        **(extra or {}),
    }
    env_file = write_env_file(workdir / "beeldwijs.env", settings)
    stack = Stack(
        project=f"bwtest{secrets.token_hex(3)}", workdir=workdir, certs=certs,
        http_port=http_port, https_port=https_port, env_file=env_file, db_password=password,
        env={
            "BEELDWIJS_ENV_FILE": str(env_file), "BEELDWIJS_IMAGE": APP_IMAGE,
            "BEELDWIJS_CADDY_IMAGE": CADDY_IMAGE, "BEELDWIJS_POSTGRES_IMAGE": POSTGRES_IMAGE,
            "BEELDWIJS_CERTS": str(certs.folder), "BEELDWIJS_BIND": "127.0.0.1",
            "BEELDWIJS_HTTP_PORT": str(http_port), "BEELDWIJS_HTTPS_PORT": str(https_port),
            **(compose_env or {}),
        },
        files=files,
    )  # fmt: skip
    try:
        stack.compose("up", "-d", "--no-build")
        stack.wait_healthy()
        yield stack
    finally:
        stack.compose("down", "-v", check=False)
        podman("network", "rm", "-f", f"{stack.project}_default", check=False)


@contextmanager
def resolving(name: str, address: str = "127.0.0.1") -> Iterator[None]:
    """``name`` resolves to ``address`` in this process (a test's own DNS entry for the school's
    name: httpx and websockets connect by name, for SNI and the certificate check)."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        asked = host.decode() if isinstance(host, bytes) else host  # anyio asks in IDNA bytes
        return real(address if asked == name else host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]
    try:
        yield
    finally:
        socket.getaddrinfo = real  # type: ignore[assignment]
