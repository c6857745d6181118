"""The command lines and the environment of the two Voilà processes.

Every Voilà option we set is in :func:`_common_voila_options` and :func:`student_command`, and
``docs/server.md`` says why. Two things cannot be said on a command line and live in files,
laid out the Jupyter way under this folder:

- the page template ``beeldwijs`` (Dutch loading text, no CDN stylesheet, Dutch 404 page) in
  ``share/jupyter/voila/templates/beeldwijs/``, found through ``JUPYTER_PATH``, and the student
  server's ``beeldwijs-student`` beside it (the same page with our own lean front end in place of
  Voilà's, built from ``frontend/``: docs/decisions/lean-student-front-end.md);
- ``etc/jupyter/voila.json``, found through ``JUPYTER_CONFIG_PATH``: the logging set-up that keeps
  client IP addresses out of the log (:mod:`beeldwijs.serve.logfilter`), and jupyter_server's Host
  check (``allow_remote_access`` false), which the student server turns off again.
"""

from __future__ import annotations

import json
import os
import site
import sys
from pathlib import Path

from beeldwijs import settings
from beeldwijs.serve import scaleout
from beeldwijs.serve.options import (
    ALL_INTERFACES,
    LOOPBACK,
    ServerOptions,
    internal_port,
    is_loopback,
    kernel_db,
    student_url,
)
from beeldwijs.texts import t

TEMPLATE_NAME = "beeldwijs"
STUDENT_TEMPLATE_NAME = "beeldwijs-student"
JOIN_NOTEBOOK = "join.ipynb"  # the page students open; beeldwijs.serve.notebooks writes it
#: The password login of a remote dashboard (back-off, logout, https beyond localhost).
LOGIN_PROVIDER = "beeldwijs.serve.login.PasswordLogin"

_SERVE_DIR = Path(__file__).resolve().parent
_PACKAGE_DIR = _SERVE_DIR.parent
_JUPYTER_DATA_DIR = _SERVE_DIR / "share" / "jupyter"  # holds voila/templates/beeldwijs/
_JUPYTER_CONFIG_DIR = _SERVE_DIR / "etc" / "jupyter"  # holds voila.json

# User-facing text lives in beeldwijs/texts.py under "server.*". Voilà shows the two
# `VoilaExecutor` texts (server.cell_error, server.cell_timeout) to a visitor when a cell fails or
# times out; its defaults tell the visitor how to turn tracebacks on.


def student_command(options: ServerOptions, index: int = 0) -> list[str]:
    """argv of the student Voilà process: Voilà with a kernel cap and a warm pool.

    ``beeldwijs.serve.studentserver`` is Voilà's own application plus the cap, the eviction of
    abandoned kernels and one pool for ``join.ipynb``. With several student servers, server
    ``index`` (1-based) listens on 127.0.0.1:``internal_port(options, index)`` under ``/s<index>/`` and
    nginx listens on ``student_port`` (beeldwijs.serve.scaleout).
    """
    host = LOOPBACK if options.local else ALL_INTERFACES
    port, base_url, proxy = options.student_port, options.base_url, options.trusted_proxy
    if index:  # behind our own nginx, which passes the client's address
        host, port, base_url = LOOPBACK, internal_port(options, index), scaleout.prefix(index)
        proxy = LOOPBACK
    return [
        *_voila_command(
            options.lessons_dir,
            host,
            port,
            options,
            "beeldwijs.serve.studentserver",
            template=STUDENT_TEMPLATE_NAME,
        ),
        *([f"--Voila.base_url={base_url}"] if base_url != "/" else []),
        # phones ask for http://<LAN address>:port/; templates/config/voila.json turns tornado's
        # Host check on (allow_remote_access false) for both servers, this turns it off again here
        "--Voila.tornado_settings=allow_remote_access=True",
        *capacity_options(options),
        *([f"--StudentVoila.trusted_proxy={proxy}"] if proxy else []),
    ]


def capacity_options(options: ServerOptions) -> list[str]:
    """The student server's kernel cap and warm pool (beeldwijs.serve.studentserver.StudentVoila)."""
    return [
        f"--StudentVoila.max_kernels={options.max_kernels}",
        f"--StudentVoila.evict_after={options.evict_after}",
        f"--StudentVoila.pool_size={options.pool_size}",
        f"--StudentVoila.pool_notebook={JOIN_NOTEBOOK}",
        f"--StudentVoila.pool_fill_delay={options.pool_fill_delay}",
        *admission_options(options),
    ]


#: Wrong codes per 5 minutes for an address when the other limits per address are off.
SHARED_ADDRESS_CODE_TRIES = 60


def admission_options(options: ServerOptions) -> list[str]:
    """Limits per client address and per session (beeldwijs.serve.admission). With
    ``joins_per_minute=0`` the limits per address are off, except a wider throttle on wrong
    codes; one browser still keeps one kernel a page."""
    per_client = [
        f"--StudentVoila.joins_per_minute={options.joins_per_minute}",
        f"--StudentVoila.kernels_per_session={options.kernels_per_session}",
    ]
    if not options.joins_per_minute:
        per_client += [
            "--StudentVoila.connections_per_client=0",
            f"--StudentVoila.code_tries={SHARED_ADDRESS_CODE_TRIES}",
        ]
    return per_client


def facilitator_command(options: ServerOptions) -> list[str]:
    """argv of the facilitator Voilà process (bound to 127.0.0.1 unless asked otherwise).

    On 127.0.0.1 it keeps jupyter_server's Host check from templates/config/voila.json: only
    requests for 127.0.0.1/localhost/::1 are served, so a web page that rebinds its DNS name to
    127.0.0.1 cannot read or drive the dashboard from the mentor's browser. With a password,
    ``beeldwijs.serve.login.PasswordLogin`` asks for it on a login page (a cookie, no token in
    any URL) before any page, kernel or websocket; only then may the server listen elsewhere.
    Its hash is in the server's own configuration file (``facilitator_env``), not in this argv.
    """
    argv = _voila_command(
        options.facilitator_dir,
        options.facilitator_host,
        options.facilitator_port,
        options,
        "beeldwijs.serve.facilitatorserver",
    )
    if options.facilitator_password_hash:
        argv.append(f"--Voila.identity_provider_class={LOGIN_PROVIDER}")
    if not is_loopback(options.facilitator_host):  # _startup_problem: only with a password
        argv.append("--Voila.tornado_settings=allow_remote_access=True")
    return argv


def _voila_command(
    folder: Path,
    host: str,
    port: int,
    options: ServerOptions,
    module: str = "voila",
    template: str = TEMPLATE_NAME,
) -> list[str]:
    return [
        sys.executable,
        "-m",
        module,
        str(Path(folder).resolve()),
        f"--Voila.ip={host}",
        f"--Voila.port={port}",
        *_common_voila_options(options, template),
    ]


def _common_voila_options(options: ServerOptions, template: str = TEMPLATE_NAME) -> list[str]:
    """Options both servers share; docs/server.md explains each one."""
    return [
        # fail on a busy port instead of silently moving to another one (default: 50 retries)
        "--Voila.port_retries=0",
        "--Voila.open_browser=False",
        # our page template; visitors may not pick another template or theme (?template=, ?theme=)
        f"--VoilaConfiguration.template={template}",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaExporter.language_code=nl",  # <html lang="nl">
        f"--VoilaExecutor.cell_error_instruction={t('server.cell_error')}",
        f"--VoilaExecutor.cell_timeout_instruction={t('server.cell_timeout')}",
        # default 4 s left pages empty under load (docs/stack-facts.md)
        "--VoilaExecutor.iopub_timeout=60",
        # closing a tab does not stop its kernel (voila#1458): cull kernels nobody is connected to
        f"--MappingKernelManager.cull_idle_timeout={options.cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={options.cull_interval}",
        "--MappingKernelManager.cull_connected=False",
        "--MappingKernelManager.cull_busy=False",
        # "Too many open files" at ~120 kernels with one shared ZeroMQ context
        "--MultiKernelManager.shared_context=False",
        # so a kernel's streams are closed before its own context (a tab closed or reloaded while
        # its websocket opened broke later kernels: serve/zmqteardown.py)
        "--MultiKernelManager.kernel_manager_class=beeldwijs.serve.zmqteardown.StreamSafeKernelManager",
        *_transport_options(options),
    ]


def _transport_options(options: ServerOptions) -> list[str]:
    """IPC sockets instead of TCP ports between server and kernels (Voilà #408 port clashes).

    ZeroMQ has no ipc transport on Windows, so Windows keeps TCP. The connection files and
    sockets go to this start's own folder (``options.run_dir``, beeldwijs.serve.runfolder: short
    enough for macOS' 104-byte socket paths, removed at the next start after a crash).
    """
    if os.name != "posix":
        return []
    transport = ["--KernelManager.transport=ipc"]
    if options.run_dir:
        transport.append(f"--Voila.connection_dir_root={options.run_dir}")
    return transport


# --------------------------------------------------------------------------- environment


def server_env(options: ServerOptions) -> dict[str, str]:
    """Environment of both Voilà processes; their kernels inherit it. The dashboard's password
    is not in it (``beeldwijs start`` read it already)."""
    env = dict(os.environ)
    env.pop(settings.get("facilitator_password").env, None)  # read by `beeldwijs start`
    for name, given in (
        ("db", kernel_db(options.db)),
        ("k", str(options.k)),
        ("student_url", student_url(options)),
    ):
        env[settings.get(name).env] = given
    env["JUPYTER_PATH"] = _prepend_path(_JUPYTER_DATA_DIR, env.get("JUPYTER_PATH"))
    env["JUPYTER_CONFIG_PATH"] = _prepend_path(_JUPYTER_CONFIG_DIR, env.get("JUPYTER_CONFIG_PATH"))
    source_root = _source_root()
    if source_root is not None:
        env["PYTHONPATH"] = _prepend_path(source_root, env.get("PYTHONPATH"))
    return env


def facilitator_env(options: ServerOptions, env: dict[str, str], private: Path) -> dict[str, str]:
    """The facilitator server's environment: with a password, its hash in a configuration file
    of its own in ``private`` (a folder only this user can read), first in JUPYTER_CONFIG_PATH."""
    if not options.facilitator_password_hash:
        return env
    folder = private / "config"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    config = folder / "voila.json"
    config.touch(mode=0o600)
    hashed = {"PasswordIdentityProvider": {"hashed_password": options.facilitator_password_hash}}
    config.write_text(json.dumps(hashed))
    return {**env, "JUPYTER_CONFIG_PATH": _prepend_path(folder, env.get("JUPYTER_CONFIG_PATH"))}


def _prepend_path(path: Path, current: str | None) -> str:
    return os.pathsep.join([str(path), *([current] if current else [])])


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
