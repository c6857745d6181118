"""``/healthz`` on every Beeldwijs server: what a container engine and a proxy ask.

``GET /healthz`` (under the server's ``base_url``) answers ``200 {"status": "ok"}`` when the
server runs and its database answers a query, else ``503 {"status": "database"}``. It needs no
login, starts no kernel, and says nothing about sessions, students or mentors. The compose file's
health checks and the tests call it; :class:`HealthzMixin` adds it to a Voilà application.
"""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.utils import url_path_join
from tornado import web

__all__ = ["HealthzHandler", "HealthzMixin", "database_answers"]


def database_answers(target: str) -> bool:
    """True when the store's database can be opened and answers a query."""
    from beeldwijs.store import ResponseStore

    try:
        store = ResponseStore(target)
        try:
            store.sessions(lesson_id="-")  # one indexed query, returns nothing
        finally:
            store.close()
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False
    return True


class HealthzHandler(web.RequestHandler):
    """``GET /healthz``: 200 when healthy, 503 when the database does not answer."""

    def initialize(self, db: str | None = None) -> None:
        self.db = db

    def get(self) -> None:
        healthy = self.db is None or database_answers(self.db)
        self.set_status(200 if healthy else 503)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps({"status": "ok" if healthy else "database"}))


class HealthzMixin:
    """Put in front of :class:`voila.app.Voila`: its handlers gain ``/healthz`` (first, so the
    catch-all routes cannot shadow it). The database is the ``db`` setting."""

    server_url: str

    def init_handlers(self) -> list[Any]:
        from beeldwijs import settings

        handlers: list[Any] = super().init_handlers()  # type: ignore[misc]
        route = url_path_join(self.server_url, "/healthz")
        return [(route, HealthzHandler, {"db": settings.value("db")}), *handlers]
