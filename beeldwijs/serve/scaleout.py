"""Several student Voilà servers behind Debian's nginx (docs/deploy.md, "A year group or school").

A Voilà page and its kernel websocket must reach the same server: the kernel lives in that
server's process. Each student server gets its own path prefix (Voilà's ``base_url``): ``/s1/``,
``/s2/``, …. The join link stays ``/voila/render/join.ipynb?code=…``; nginx answers it with a
redirect to ``/sN/voila/render/join.ipynb?code=…`` for a server picked at random
(``split_clients`` on the request id), and from then on every URL the page uses (static files,
``/sN/api/kernels/<id>/channels``) carries the prefix, so nginx routes it to the same server
without cookies or client addresses. A reload stays on its server; a new visit is spread again.

``beeldwijs start --student-servers N`` runs N student servers on this machine plus nginx
(:func:`nginx_config` written to a private folder, ``nginx -g 'daemon off;'`` as a child).
For servers on several machines, ``beeldwijs nginx-config`` prints the same configuration for
given upstream addresses; each machine runs ``beeldwijs start --base-url /sN/``.

nginx writes no access log and only critical errors (its error lines carry client addresses;
docs/architecture.md, product rule 1).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

__all__ = ["find_nginx", "nginx_command", "nginx_config", "prefix"]

_NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")


def prefix(index: int) -> str:
    """Path prefix (Voilà ``base_url``) of student server ``index`` (1-based)."""
    return f"/s{index}/"


def find_nginx() -> str | None:
    """Debian's nginx (package ``nginx-light`` or ``nginx``), or None."""
    found = shutil.which("nginx")
    if found:
        return found
    return next((p for p in _NGINX_CANDIDATES if os.access(p, os.X_OK)), None)


def nginx_config(
    listen: str, upstreams: Sequence[tuple[str, str]], workdir: Path | None = None
) -> str:
    """An nginx configuration: ``listen`` ("host:port" or "port") in front of ``upstreams``.

    ``upstreams`` are (prefix, "host:port") pairs, e.g. ("/s1/", "127.0.0.1:8871"). With
    ``workdir`` the file is self-contained (pid and temp files there; run as a child process
    with ``-g 'daemon off;'``); without, it is an ``http``-level snippet for
    ``/etc/nginx/conf.d/`` of Debian's nginx.
    """
    if not upstreams:
        raise ValueError("nginx_config needs at least one upstream")
    names = [f"beeldwijs_{p.strip('/')}" for p, _ in upstreams]
    share = 100 / len(upstreams)
    split = "".join(
        f"        {share:.2f}% {p.strip('/')};\n" for i, (p, _) in enumerate(upstreams[:-1])
    )
    split += f"        * {upstreams[-1][0].strip('/')};\n"
    blocks = "".join(
        f"    upstream {name} {{\n        server {address};\n        keepalive 16;\n    }}\n"
        for name, (_, address) in zip(names, upstreams, strict=True)
    )
    locations = "".join(
        f"        location {p} {{\n            proxy_pass http://{name};\n        }}\n"
        for name, (p, _) in zip(names, upstreams, strict=True)
    )
    http = f"""\
    # Beeldwijs: {len(upstreams)} student servers; a page and its websocket stay on one server
    access_log off;  # no client addresses in any log (privacy rule 1)
    map $http_upgrade $beeldwijs_connection {{
        default upgrade;
        '' '';
    }}
    split_clients "${{request_id}}" $beeldwijs_server {{
{split}    }}
{blocks}    server {{
        listen {listen};
        absolute_redirect off;  # relative redirects: works for any host name or LAN address
        client_max_body_size 1m;  # students upload nothing (rule 4)
        proxy_http_version 1.1;
        proxy_set_header Host $http_host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $beeldwijs_connection;
        proxy_buffering off;  # Voilà streams the page while the notebook runs
        proxy_read_timeout 2h;  # an open lesson page keeps its websocket for a whole lesson
        proxy_send_timeout 2h;
        location = / {{
            return 302 /$beeldwijs_server/;
        }}
        location /voila/ {{
            return 302 /$beeldwijs_server$request_uri;
        }}
{locations}    }}
"""
    if workdir is None:
        return http
    temp = workdir / "tmp"
    return f"""\
worker_processes 1;
error_log stderr crit;
pid {workdir / "nginx.pid"};
events {{
    worker_connections 4096;
}}
http {{
    client_body_temp_path {temp / "body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
{http}}}
"""


def nginx_command(nginx: str, workdir: Path) -> list[str]:
    """argv of nginx in the foreground with ``workdir/nginx.conf``."""
    return [nginx, "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-g", "daemon off;"]


def prepare_workdir(workdir: Path, config: str) -> None:
    """Write the configuration and the temp folders nginx's worker may write to."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "nginx.conf").write_text(config, encoding="utf-8")
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / "tmp" / name).mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:  # nginx's workers run as nobody when the master is root
        import pwd

        nobody = pwd.getpwnam("nobody")
        for folder in (workdir / "tmp", *(workdir / "tmp").iterdir()):
            os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        workdir.chmod(0o755)
