"""Every setting of Beeldwijs, declared once: option, environment variable, default, check, help.

The command line (:func:`add_options`, :func:`resolve`), the servers (``ServerOptions`` takes its
defaults and checks from here) and the kernels (:func:`value` reads the environment ``beeldwijs
start`` hands them) all read this table. A value given on the command line wins over the
environment variable, which wins over the default. ``docs/settings.md`` is generated from the
table (``python -m beeldwijs.settings > docs/settings.md``) and a test keeps it current.

A setting is configuration: something with a default that changes how Beeldwijs behaves. What a
command acts on (a lesson id, a session code, a school's name, an output folder) is an argument
of that command and stays in ``cli.py``. Adding a setting is one line in :data:`SETTINGS`
(CONTRIBUTING.md).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).parent
DATA_DIR = PACKAGE_DIR / "data"


def _ipv4(value: str) -> str | None:
    try:  # IPv4: the port check and the readiness probe speak IPv4
        ipaddress.IPv4Address(value)
    except ValueError:
        return "must be an IPv4 address"
    return None


def _url_prefix(value: str) -> str | None:
    return None if value.startswith("/") and value.endswith("/") else "must start and end with '/'"


@dataclass(frozen=True)
class Setting:
    name: str  # the Python name: ServerOptions' field, argparse's dest
    default: Any  # None: no value, or one worked out where it is used (the help says how)
    help: str
    option: str = ""  # the command-line option, "" for none
    env: str = ""  # the environment variable, "" for none
    kind: type = str  # str, int, float, bool or Path
    minimum: float | None = None
    maximum: float | None = None
    commands: tuple[str, ...] = ("start",)  # the commands that take ``option``
    flags: Mapping[str, str] = field(default_factory=dict)  # command → its own option name
    check: Callable[[Any], str | None] | None = None  # a further check: a problem, or None


S = Setting
_DB_COMMANDS = ("start", "session new", "session close", "results", "purge")

#: The table. One line a setting; the order is the order of the docs and of ``--help``.
SETTINGS: tuple[Setting, ...] = (
    S("student_port", 8866, "port of the student app", "--student-port", kind=int, minimum=1, maximum=65535),
    S("facilitator_port", 8867, "port of the mentor's dashboard", "--facilitator-port", kind=int, minimum=1, maximum=65535),
    S("local", False, "student app on this computer only (127.0.0.1), for a try-out", "--local", kind=bool),
    S("k", 5, "minimum answers before a result shows; never below 3", "--k", "BEELDWIJS_K", kind=int, minimum=3, commands=("start", "results")),
    S("retention_days", 30, "sessions older than this many days are deleted (at every start, by purge)", "--retention-days", "BEELDWIJS_RETENTION_DAYS", kind=int, minimum=0, commands=("start", "purge", "letter"), flags={"purge": "--days"}),
    S("root", None, "folder with lessons/, facilitator/ and scenarios/ (default: the nearest folder upwards from the working folder that has them, else the checkout)", "--root", "BEELDWIJS_ROOT", kind=Path),
    S("db", None, "SQLite file or postgresql:// URL (default: beeldwijs.sqlite in the user data folder)", "--db", "BEELDWIJS_DB", commands=_DB_COMMANDS),
    S("max_kernels", 100, "most students (kernels) at once on a student server, pool included; beyond it a Dutch 'class is full' page; 0 = no cap", "--max-kernels", "BEELDWIJS_MAX_KERNELS", kind=int, minimum=0),
    S("pool_size", 30, "kernels kept ready for the join page, so a class joins in seconds; 0 = no pool", "--pool-size", "BEELDWIJS_POOL_SIZE", kind=int, minimum=0),
    S("joins_per_minute", 30, "new student pages (kernels) one client address may open a minute on a student server, after a burst of 60: a whole class behind one address joins at once; with it wrong codes (30 per 5 minutes) and open connections (256) per address are limited (docs/server.md); 0 = no limits per address", "--joins-per-minute", "BEELDWIJS_JOINS_PER_MINUTE", kind=int, minimum=0),
    S("kernels_per_session", 40, "kernels one session may hold on a student server when the mentor did not set the class size (else the class size plus a margin)", env="BEELDWIJS_KERNELS_PER_SESSION", kind=int, minimum=0, commands=()),
    S("cull_idle_timeout", 1800, "seconds before the kernel of a closed tab is stopped", "--cull-idle-timeout", kind=int, minimum=1),
    S("cull_interval", 60, "seconds between two looks for such kernels", kind=int, minimum=1, commands=()),
    S("evict_after", 120, "at the kernel cap, seconds after which a kernel nobody is connected to makes room", kind=int, minimum=1, commands=()),
    S("pool_fill_delay", 20.0, "seconds after a kernel is taken from the pool before the pool refills", kind=float, minimum=0, commands=()),
    S("student_servers", 1, "run this many student servers behind Debian's nginx on the student port (docs/deploy.md)", "--student-servers", kind=int, minimum=1),
    S("base_url", "/", "serve the student app under this prefix, e.g. /s2/, behind a central nginx (beeldwijs nginx-config); beeldwijs serve: the server's prefix behind the HTTPS front (/s1/, /mentor/)", "--base-url", "BEELDWIJS_BASE_URL", check=_url_prefix),
    S("trusted_proxy", None, "the proxy in front of the student app (an address or a name, e.g. the central nginx of beeldwijs nginx-config; compose.yaml: front): only its requests may name the student's address (X-Real-IP), so the limits per address apply per student; --student-servers sets its own", "--trusted-proxy", "BEELDWIJS_TRUSTED_PROXY"),
    S("public_url", None, "the students' address in join links and QR codes, e.g. https://beeldwijs.school.nl (school server: default https://$BEELDWIJS_HOST)", "--public-url", "BEELDWIJS_PUBLIC_URL"),
    S("facilitator_host", "127.0.0.1", "address the dashboard listens on; any other than 127.0.0.1 needs BEELDWIJS_FACILITATOR_PASSWORD", "--facilitator-host", check=_ipv4),
    S("facilitator_password", None, "the dashboard's password when it listens elsewhere (never on a command line)", env="BEELDWIJS_FACILITATOR_PASSWORD", commands=()),
    S("student_url", None, "base address of the student app in join links; beeldwijs start sets it for its kernels (default: this computer's address and the student port)", "--student-url", "BEELDWIJS_STUDENT_URL", commands=("session new",)),
    S("content_cache", None, "file of the lessons parsed once at start, for every kernel; beeldwijs start sets it", env="BEELDWIJS_CONTENT_CACHE", kind=Path, commands=()),
    S("help_file", DATA_DIR / "help.yaml", "the help routes (a school's own copy)", env="BEELDWIJS_HELP_FILE", kind=Path, commands=()),
    S("selfscan_file", DATA_DIR / "selfscan.yaml", "the self-scan checklist (a school's own copy)", env="BEELDWIJS_SELFSCAN_FILE", kind=Path, commands=()),
    S("facts_file", DATA_DIR / "facts.yaml", "the legal facts the content relies on", env="BEELDWIJS_FACTS_FILE", kind=Path, commands=()),
    S("school_profile", None, "the school's profile: its name, vertrouwenspersoon, anti-pest coordinator and privacy officer (a copy of data/schoolprofiel.voorbeeld.yaml)", env="BEELDWIJS_SCHOOL_PROFILE", kind=Path, commands=()),
    S("screen_language", "nl", "language of the screens", env="BEELDWIJS_LANG", commands=()),
    # a school server (compose.yaml, docs/container.md): `beeldwijs serve`, the login, the front
    S("host", None, "school server: the name students and mentors use, e.g. beeldwijs.school.nl; join links become https://HOST/…", env="BEELDWIJS_HOST", commands=()),
    S("port", None, "beeldwijs serve: the port inside the container (default: the student or the facilitator port)", env="BEELDWIJS_PORT", kind=int, minimum=1, maximum=65535, commands=()),
    S("facilitator_url", None, "where mentors reach the facilitator server, for the login's redirect address (default: the public URL)", env="BEELDWIJS_FACILITATOR_URL", commands=()),
    S("oidc_issuer", None, "mentor logins with the school's accounts: the OpenID Connect issuer, e.g. https://login.microsoftonline.com/<tenant>/v2.0 or https://accounts.google.com", env="BEELDWIJS_OIDC_ISSUER", commands=()),
    S("oidc_client_id", None, "the client id of the school's OpenID Connect app", env="BEELDWIJS_OIDC_CLIENT_ID", commands=()),
    S("oidc_client_secret", None, "the client secret of that app (never on a command line)", env="BEELDWIJS_OIDC_CLIENT_SECRET", commands=()),
    S("oidc_coordinators", "", "e-mail addresses (comma-separated) with the coordinator role: the cross-class overview and team sessions", env="BEELDWIJS_OIDC_COORDINATORS", commands=()),
    S("oidc_admins", "", "e-mail addresses (comma-separated) with the admin role: everything, retention and purge", env="BEELDWIJS_OIDC_ADMINS", commands=()),
    S("oidc_groups_claim", "groups", "the ID token's claim that lists the account's groups", env="BEELDWIJS_OIDC_GROUPS_CLAIM", commands=()),
    S("oidc_coordinator_group", "", "a group (id or name as the claim carries it) with the coordinator role", env="BEELDWIJS_OIDC_COORDINATOR_GROUP", commands=()),
    S("oidc_admin_group", "", "a group with the admin role", env="BEELDWIJS_OIDC_ADMIN_GROUP", commands=()),
    S("secret", None, "at least 32 random characters: signs the login cookie and makes the mentors' pseudonyms (keep it; a new one logs everyone out and renames every owner)", env="BEELDWIJS_SECRET", commands=()),
    S("tls", "internal", "the HTTPS front's certificates: an e-mail address (automatic, public name), internal (Caddy's own CA) or the two files of the school's own certificate", env="BEELDWIJS_TLS", commands=()),
    S("env_file", "beeldwijs.env", "compose.yaml: the file with these settings for the containers", env="BEELDWIJS_ENV_FILE", commands=()),
    S("image", "localhost/beeldwijs:latest", "compose.yaml: the Beeldwijs image", env="BEELDWIJS_IMAGE", commands=()),
    S("caddy_image", "docker.io/library/caddy:2", "compose.yaml: the HTTPS front's image", env="BEELDWIJS_CADDY_IMAGE", commands=()),
    S("postgres_image", "docker.io/library/postgres:16-bookworm", "compose.yaml: the database's image", env="BEELDWIJS_POSTGRES_IMAGE", commands=()),
    S("certs", "./deploy/certs", "compose.yaml: folder with the school's own certificate, mounted read-only into the front", env="BEELDWIJS_CERTS", commands=()),
    S("bind", "0.0.0.0", "compose.yaml: the address the HTTPS front listens on", env="BEELDWIJS_BIND", commands=()),  # noqa: S104 - the HTTPS front is for the network
    S("http_port", 80, "compose.yaml: the front's http port (redirects to https)", env="BEELDWIJS_HTTP_PORT", kind=int, minimum=1, maximum=65535, commands=()),
    S("https_port", 443, "compose.yaml: the front's https port", env="BEELDWIJS_HTTPS_PORT", kind=int, minimum=1, maximum=65535, commands=()),
)  # fmt: skip

_BY_NAME = {s.name: s for s in SETTINGS}
NAMES = frozenset(_BY_NAME)


def get(name: str) -> Setting:
    return _BY_NAME[name]


def default(name: str) -> Any:
    return _BY_NAME[name].default


def parse(name: str, raw: str) -> Any:
    """A value written as text (command line, environment), converted and checked."""
    setting = _BY_NAME[name]
    try:
        if setting.kind is bool:
            value: Any = raw.strip().lower() in ("1", "true", "yes", "ja")
        else:
            value = setting.kind(raw)
    except ValueError:
        what = "a whole number" if setting.kind is int else "a number"
        raise ValueError(f"{name} must be {what}, got {raw!r}") from None
    return check(name, value)


def check(name: str, value: Any) -> Any:
    """``value`` if it is allowed for setting ``name``, else ValueError saying why."""
    setting = _BY_NAME[name]
    if value is None:
        return value
    low, high = setting.minimum, setting.maximum
    if low is not None and high is not None and not low <= value <= high:
        raise ValueError(f"{name} must be {low}-{high}, got {value!r}")
    if low is not None and value < low:
        raise ValueError(f"{name} must be at least {low}, got {value!r}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be at most {high}, got {value!r}")
    problem = setting.check(value) if setting.check else None
    if problem:
        raise ValueError(f"{name} {problem}, got {value!r}")
    return value


def value(name: str, given: Any = None) -> Any:
    """``given`` (from the command line or a caller) if not None, else the environment variable,
    else the default; checked."""
    if given is not None:
        return check(name, given)
    setting = _BY_NAME[name]
    raw = os.environ.get(setting.env) if setting.env else None
    return parse(name, raw) if raw else setting.default


def option_of(setting: Setting, command: str) -> str:
    return setting.flags.get(command, setting.option)


def add_options(parser: argparse.ArgumentParser, command: str) -> None:
    """The options of ``command`` from the table (each defaults to None: :func:`resolve`)."""
    for setting in SETTINGS:
        if not setting.option or command not in setting.commands:
            continue
        shown = setting.default is not None and setting.kind is not bool
        extra = f"default {_shown(setting.default)}" if shown else ""
        if setting.env:
            extra = f"{extra}; ${setting.env}" if extra else f"${setting.env}"
        text = f"{setting.help} ({extra})" if extra else setting.help
        text = text.replace("%", "%%")
        if setting.kind is bool:
            parser.add_argument(option_of(setting, command), dest=setting.name, action="store_true", default=None, help=text)  # fmt: skip
        else:
            parser.add_argument(option_of(setting, command), dest=setting.name, type=setting.kind, help=text)  # fmt: skip


def resolve(args: argparse.Namespace, command: str) -> None:
    """Fill every setting of ``command`` in ``args``: option, else environment, else default."""
    for setting in SETTINGS:
        if setting.option and command in setting.commands:
            setattr(args, setting.name, value(setting.name, getattr(args, setting.name)))


def _shown(default: Any) -> str:
    if isinstance(default, Path):
        return str(default.relative_to(PACKAGE_DIR.parent))
    return str(default)


def markdown() -> str:
    """docs/settings.md: one row a setting."""
    lines = [
        "# Settings",
        "",
        "Generated from `beeldwijs/settings.py` by `python -m beeldwijs.settings > docs/settings.md`;",
        "`tests/test_settings.py` fails when this page and the table differ. An option on the",
        "command line wins over the environment variable, which wins over the default.",
        "",
        "| setting | option | environment variable | default | allowed | what |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for s in SETTINGS:
        by_option: dict[str, list[str]] = {}
        for command in s.commands if s.option else ():
            by_option.setdefault(option_of(s, command), []).append(command)
        options = [f"`{o}` ({', '.join(cs)})" for o, cs in by_option.items()]
        allowed = []
        if s.minimum is not None:
            allowed.append(f"≥ {s.minimum}")
        if s.maximum is not None:
            allowed.append(f"≤ {s.maximum}")
        if s.check is not None:
            allowed.append(s.check.__name__.strip("_").replace("_", " "))
        shown = "—" if s.default is None else f"`{_shown(s.default)}`"
        row = [f"`{s.name}`", ", ".join(options) or "—", f"`{s.env}`" if s.env else "—", shown,
               f"{s.kind.__name__}{' ' + ', '.join(allowed) if allowed else ''}", s.help]  # fmt: skip
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
