"""Who may see which session: the logged-in mentor's view of the store (school server).

On a school server with mentor logins (beeldwijs.serve.oidc) the facilitator server tells each page's
kernel who its mentor is: ``HTTP_X_BEELDWIJS_MENTOR`` (a pseudonym) and ``HTTP_X_BEELDWIJS_ROLE``
in the kernel's environment, set by the server and never by the browser
(beeldwijs.serve.facilitatorserver). :func:`facilitator_store` then hands the dashboard, the moderation
page and the overview an :class:`OwnedStore`: the same interface as
:class:`~beeldwijs.store.ResponseStore`, but

- every method whose first argument is a session ``code`` refuses a session the mentor may not
  see, exactly as it refuses an unknown code (:class:`~beeldwijs.errors.UnknownSession`), so a
  forged widget message, a typed URL or a guessed code learns nothing;
- the lists (``sessions``, ``running_sessions``, ``lesson_counts``) hold only visible sessions;
- a new session belongs to its mentor; ``purge`` is for the admin role.

Who sees what: a **mentor** their own sessions; a **coordinator** also every team session
(lessons for the audience ``staff``) and every class in the cross-class overview; an **admin**
everything, including retention and purge. Without a login in the environment (the laptop, or
the shared dashboard password) the plain store is used, as before.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from beeldwijs.errors import StoreError, UnknownSession
from beeldwijs.store import ResponseStore, Session, normalise_code

__all__ = [
    "TEAM_AUDIENCE",
    "OwnedStore",
    "Viewer",
    "current_viewer",
    "facilitator_store",
    "viewer_of",
]

MENTOR_ENV = "HTTP_X_BEELDWIJS_MENTOR"
ROLE_ENV = "HTTP_X_BEELDWIJS_ROLE"
TEAM_AUDIENCE = "staff"


@dataclass(frozen=True)
class Viewer:
    """The logged-in mentor as a kernel knows them: a pseudonym and a role."""

    subject: str
    role: str = "mentor"  # mentor | coordinator | admin

    def may_see(self, session: Session, team_lessons: frozenset[str] = frozenset()) -> bool:
        if self.role == "admin" or session.owner == self.subject:
            return True
        return self.role == "coordinator" and session.lesson_id in team_lessons

    @property
    def sees_every_class(self) -> bool:
        """The cross-class overview counts every class (coordinator, admin)."""
        return self.role in ("coordinator", "admin")


def current_viewer(env: Mapping[str, str] | None = None) -> Viewer | None:
    """The mentor of this kernel's page, or None without a login (laptop mode)."""
    env = os.environ if env is None else env
    subject = env.get(MENTOR_ENV, "")
    if not subject.startswith("m-"):
        return None
    role = env.get(ROLE_ENV, "mentor")
    return Viewer(subject, role if role in ("mentor", "coordinator", "admin") else "mentor")


def _takes_code(method: Callable[..., Any]) -> bool:
    params = list(inspect.signature(method).parameters)
    return bool(params) and params[0] == "code"


class OwnedStore:
    """A :class:`ResponseStore` seen through a :class:`Viewer` (module docstring)."""

    def __init__(
        self, store: ResponseStore, viewer: Viewer, team_lessons: frozenset[str] = frozenset()
    ) -> None:
        self._store = store
        self.viewer = viewer
        self.team_lessons = team_lessons

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._store, name)
        if callable(attribute) and _takes_code(attribute):

            def checked(code: str, *args: Any, **kwargs: Any) -> Any:
                self.require(code)
                return attribute(code, *args, **kwargs)

            return checked
        return attribute

    # -- checks ---------------------------------------------------------------------------------
    def visible(self, session: Session) -> bool:
        return self.viewer.may_see(session, self.team_lessons)

    def require(self, code: str) -> Session:
        """The session ``code`` if this mentor may see it; otherwise as if it did not exist."""
        session = self._store.session(code)
        if not self.visible(session):
            raise UnknownSession(normalise_code(code))
        return session

    # -- what changes -----------------------------------------------------------------------------
    def create_session(self, lesson_id: str, *args: Any, **kwargs: Any) -> Session:
        kwargs["owner"] = self.viewer.subject
        return self._store.create_session(lesson_id, *args, **kwargs)

    def sessions(self, lesson_id: str | None = None) -> list[Session]:
        return [s for s in self._store.sessions(lesson_id) if self.visible(s)]

    def running_sessions(self) -> list[Session]:
        return [s for s in self._store.running_sessions() if self.visible(s)]

    def lesson_counts(self, lesson_id: str, round_no: int = 1) -> list[Any]:
        counts = self._store.lesson_counts(lesson_id, round_no)
        if self.viewer.sees_every_class:
            return counts
        mine = {s.code for s in self.sessions(lesson_id)}
        return [c for c in counts if c.session_code in mine]

    def moderation_allowed(self, code: str, token: str) -> bool:
        """Another mentor's moderation link is refused like a wrong one."""
        try:
            self.require(code)
        except UnknownSession:
            return False
        return self._store.moderation_allowed(code, token)

    def take_handover(self, token: str) -> Session:
        """Take over the session a colleague offered with ``token``."""
        return self._store.take_handover(token, self.viewer.subject)

    def purge(self, older_than_days: int) -> int:
        if self.viewer.role != "admin":
            raise StoreError("purge is for the admin role")
        return self._store.purge(older_than_days)


def viewer_of(store: Any) -> Viewer | None:
    """The logged-in mentor a facilitator page's store serves, or None (laptop, shared password)."""
    return store.viewer if isinstance(store, OwnedStore) else None


def team_lessons(library: Any) -> frozenset[str]:
    """Ids of the lessons for the school team (audience ``staff``)."""
    return frozenset(le.id for le in library.lessons() if TEAM_AUDIENCE in le.audience)


def facilitator_store(
    store: ResponseStore | None = None, library: Any = None, env: Mapping[str, str] | None = None
) -> ResponseStore:
    """The store a facilitator page uses: the mentor's view when logged in, else the store."""
    store = store or ResponseStore()
    viewer = current_viewer(env)
    if viewer is None:
        return store
    if library is None:
        from beeldwijs.content import Library

        library = Library()
    return OwnedStore(store, viewer, team_lessons(library))  # type: ignore[return-value]
