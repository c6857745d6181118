"""``beeldwijs serve student|facilitator``: one Voilà server in the foreground, for a container.

``beeldwijs start`` supervises both servers (and nginx) on one machine. In the compose stack
(``compose.yaml``, docs/container.md) each server is its own container, so the engine restarts,
health-checks and scales them; ``serve`` prepares what ``start`` prepares once (content cache;
the bytecode is written when the image is built) and then *becomes* the Voilà process
(``execve``), so the engine's SIGTERM reaches Voilà, which stops its kernels.

Everything comes from the settings table (beeldwijs.settings, docs/settings.md), read from the
environment the compose file gives the container: the database, the school's name (join links
are ``https://$BEELDWIJS_HOST/…``), the port and prefix behind the HTTPS front, the kernel cap
and pool, k, retention, and the mentors' login.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from beeldwijs import settings
from beeldwijs.content import Library, default_root
from beeldwijs.serve.commands import (
    facilitator_command,
    facilitator_env,
    server_env,
    student_command,
)
from beeldwijs.serve.kernels import content_cache_env
from beeldwijs.serve.options import ALL_INTERFACES, LOOPBACK, ServerOptions

__all__ = ["ROLES", "options_for", "password_hash", "public_url", "role_command", "serve"]

ROLES = ("student", "facilitator")


def options_for(role: str) -> ServerOptions:
    """The one server of ``role``, configured by the settings (module docstring)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, got {role!r}")
    from beeldwijs.store import db_target

    student = role == "student"
    own = settings.default("student_port" if student else "facilitator_port")
    port = settings.value("port") or own
    other = own if own != port else port % 65535 + 1  # ServerOptions wants two ports; one is used
    return ServerOptions(
        root=default_root(),
        db=db_target(settings.value("db")),
        k=settings.value("k"),
        public_url=public_url(),
        base_url=settings.value("base_url"),
        trusted_proxy=settings.value("trusted_proxy") if student else None,
        student_port=port if student else other,
        facilitator_port=other if student else port,
        max_kernels=settings.value("max_kernels"),
        pool_size=settings.value("pool_size"),
        # the mentors' server listens on the container's network, behind the HTTPS front
        facilitator_host=LOOPBACK if student else ALL_INTERFACES,
        facilitator_password_hash=""
        if student
        else password_hash(settings.value("facilitator_password") or ""),
    )


def password_hash(password: str) -> str:
    """``password`` hashed for jupyter_server's login page (argon2); "" for no password."""
    if not password:
        return ""
    from jupyter_server.auth import passwd

    return str(passwd(password))


def public_url() -> str | None:
    """The students' address: the public URL setting, else ``https://`` and the host setting."""
    given = settings.value("public_url")
    if given:
        return str(given)
    host = (settings.value("host") or "").strip()
    return f"https://{host}" if host else None


def role_command(role: str, options: ServerOptions) -> list[str]:
    """argv of the server of ``role``: the same command ``beeldwijs start`` runs for it."""
    if role == "student":
        return student_command(options)
    argv = facilitator_command(options)
    if options.base_url != "/":  # behind the proxy under /mentor/
        argv.append(f"--Voila.base_url={options.base_url}")
    return argv


def role_env(role: str, options: ServerOptions) -> dict[str, str]:
    """The environment of the server of ``role``; the facilitator's password hash goes into a
    0600 configuration file in a 0700 folder, never onto the command line."""
    env = server_env(options)
    env.update(content_cache_env(options, _kept()))
    if role == "facilitator":
        env = facilitator_env(options, env, Path(tempfile.mkdtemp(prefix="beeldwijs-")))
    return env


def serve(role: str) -> int:
    """Check content and settings, then replace this process by the Voilà server of ``role``."""
    from beeldwijs.serve.oidc import OIDCSettings
    from beeldwijs.store import ResponseStore
    from beeldwijs.texts import t

    options = options_for(role)
    Library(options.root).lessons()  # refuse to start on broken content, naming file and key
    if role == "facilitator":
        if OIDCSettings.configured() is None and not options.facilitator_password_hash:
            print(t("container.no_login"), file=sys.stderr)
            return 1
        days = settings.value("retention_days")
        purged = ResponseStore(options.db).purge(days)
        print(t("cli.purged", n=purged, days=days), flush=True)
    child_env = role_env(role, options)
    argv = role_command(role, options)
    os.chdir(Path(options.lessons_dir if role == "student" else options.facilitator_dir))
    name = t("server.student_server" if role == "student" else "server.facilitator_server")
    print(t("container.serving", server=name, port=argv_port(argv)), flush=True)
    os.execve(argv[0], argv, child_env)  # noqa: S606 - our own argv replaces this process
    return 1  # not reached


def argv_port(argv: list[str]) -> str:
    return next((a.split("=", 1)[1] for a in argv if a.startswith("--Voila.port=")), "?")


def _kept() -> contextlib.ExitStack:
    """An exit stack that is never closed: the content cache outlives this process (execve)."""
    stack = contextlib.ExitStack()
    _KEPT.append(stack)
    return stack


_KEPT: list[contextlib.ExitStack] = []
