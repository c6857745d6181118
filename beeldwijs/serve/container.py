"""``beeldwijs serve student|facilitator``: one Voilà server in the foreground, for a container.

``beeldwijs start`` supervises both servers (and nginx) on one machine. In the compose stack
(``compose.yaml``, docs/container.md) each server is its own container, so the engine restarts,
health-checks and scales them; ``serve`` prepares what ``start`` prepares once (content cache,
bytecode is written when the image is built) and then *becomes* the Voilà process (``execve``),
so the engine's SIGTERM reaches Voilà, which stops its kernels.

Everything comes from the environment (docs/container.md lists every variable):

================================  ==========================================================
``BEELDWIJS_DB``                  ``postgresql://…`` (or a SQLite path on a volume)
``BEELDWIJS_HOST``                the school's name for Beeldwijs: join links are https://HOST/…
``BEELDWIJS_PUBLIC_URL``          the students' address when it is not ``https://$BEELDWIJS_HOST``
``BEELDWIJS_PORT``                port inside the container (8866 student, 8867 facilitator)
``BEELDWIJS_BASE_URL``            the server's prefix behind the proxy: ``/s1/``, ``/mentor/``
``BEELDWIJS_K``                   small-group threshold (default 5)
``BEELDWIJS_MAX_KERNELS``         kernel cap of a student server (default 100)
``BEELDWIJS_POOL_SIZE``           warm kernels of a student server (default 30)
``BEELDWIJS_RETENTION_DAYS``      the facilitator purges older sessions at start (default 30)
``BEELDWIJS_FACILITATOR_PASSWORD``  the dashboard's password when no OIDC is configured
================================  ==========================================================
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from beeldwijs.content import Library, default_root
from beeldwijs.serve.commands import facilitator_command, server_env, student_command
from beeldwijs.serve.kernels import content_cache_env
from beeldwijs.serve.options import (
    ALL_INTERFACES,
    DEFAULT_MAX_KERNELS,
    DEFAULT_POOL_SIZE,
    LOOPBACK,
    ServerOptions,
)

__all__ = ["ROLES", "options_from_env", "role_command", "serve"]

ROLES = ("student", "facilitator")
_DEFAULT_PORT = {"student": 8866, "facilitator": 8867}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} moet een geheel getal zijn, niet {raw!r}") from None


def options_from_env(role: str, env: Mapping[str, str]) -> ServerOptions:
    """The one server of ``role``, configured by ``env`` (see the module docstring)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, got {role!r}")
    from beeldwijs.store import db_target

    port = _int(env, "BEELDWIJS_PORT", _DEFAULT_PORT[role])
    other = 1 if port != 1 else 2  # ServerOptions wants two different ports; only one is used
    student = role == "student"
    return ServerOptions(
        root=default_root(),
        db=db_target(env.get("BEELDWIJS_DB") or None),
        k=_int(env, "BEELDWIJS_K", 5),
        public_url=public_url(env),
        cull_idle_timeout=_int(env, "BEELDWIJS_CULL_IDLE_TIMEOUT", 1800),
        base_url=env.get("BEELDWIJS_BASE_URL") or "/",
        student_port=port if student else other,
        facilitator_port=other if student else port,
        max_kernels=_int(env, "BEELDWIJS_MAX_KERNELS", DEFAULT_MAX_KERNELS),
        pool_size=_int(env, "BEELDWIJS_POOL_SIZE", DEFAULT_POOL_SIZE),
        # the mentors' server listens on the container's network, behind the HTTPS front
        facilitator_host=LOOPBACK if student else ALL_INTERFACES,
        facilitator_password_hash=""
        if student
        else password_hash(env.get("BEELDWIJS_FACILITATOR_PASSWORD", "")),
    )


def password_hash(password: str) -> str:
    """``password`` hashed for jupyter_server's login page (argon2); "" for no password."""
    if not password:
        return ""
    from jupyter_server.auth import passwd

    return str(passwd(password))


def public_url(env: Mapping[str, str]) -> str | None:
    """The students' address: ``BEELDWIJS_PUBLIC_URL``, else ``https://$BEELDWIJS_HOST``."""
    if env.get("BEELDWIJS_PUBLIC_URL"):
        return env["BEELDWIJS_PUBLIC_URL"]
    host = env.get("BEELDWIJS_HOST", "").strip()
    return f"https://{host}" if host else None


def role_command(role: str, options: ServerOptions) -> list[str]:
    """argv of the server of ``role``: the same command ``beeldwijs start`` runs for it."""
    if role == "student":
        return student_command(options)
    argv = facilitator_command(options)
    if options.base_url != "/":  # behind the proxy under /mentor/
        argv.append(f"--Voila.base_url={options.base_url}")
    return argv


def serve(role: str, env: Mapping[str, str] | None = None) -> int:
    """Check content and settings, then replace this process by the Voilà server of ``role``."""
    from beeldwijs.store import ResponseStore
    from beeldwijs.texts import t

    env = dict(os.environ if env is None else env)
    options = options_from_env(role, env)
    Library(options.root).lessons()  # refuse to start on broken content, naming file and key
    if role == "facilitator" and not options.facilitator_password_hash:
        print(t("container.no_login"), file=sys.stderr)
        return 1
    if role == "facilitator":
        days = _int(env, "BEELDWIJS_RETENTION_DAYS", 30)
        purged = ResponseStore(options.db).purge(days)
        print(t("container.purged", n=purged, days=days), flush=True)
    child_env = server_env(options)
    child_env.update(content_cache_env(options, _kept()))
    argv = role_command(role, options)
    folder = options.lessons_dir if role == "student" else options.facilitator_dir
    os.chdir(Path(folder))
    name = t("server.student_server" if role == "student" else "server.facilitator_server")
    print(t("container.serving", server=name, port=argv_port(argv)), flush=True)
    os.execve(argv[0], argv, child_env)
    return 1  # not reached


def argv_port(argv: list[str]) -> str:
    return next((a.split("=", 1)[1] for a in argv if a.startswith("--Voila.port=")), "?")


def _kept() -> contextlib.ExitStack:
    """An exit stack that is never closed: the content cache outlives this process (execve)."""
    stack = contextlib.ExitStack()
    _KEPT.append(stack)
    return stack


_KEPT: list[contextlib.ExitStack] = []
