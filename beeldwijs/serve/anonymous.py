"""Students are one anonymous user to Jupyter, without a cookie.

jupyter_server gives every browser of a server without a token or password its own random
"Anonymous …" user and keeps it in a signed cookie ``username-<host>-<port>`` for 30 days, "so the
user data is stable for a given browser session". Beeldwijs uses none of that user data (a page's
kernel is its own through ``beeldwijs-page``, a browser is ``beeldwijs-browser``: docs/privacy.md),
so on the student server that cookie was only a 30-day identifier on a student's device.
:class:`AnonymousStudents` answers every request with the same anonymous user and sets no cookie.
A server given a token or password keeps jupyter_server's own check.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.identity import PasswordIdentityProvider, User

#: The user every student request is (Jupyter writes it into a kernel message's header).
STUDENT = User(username="leerling", name="Leerling", display_name="Leerling", initials="L")


class AnonymousStudents(PasswordIdentityProvider):  # type: ignore[misc]
    def get_user(self, handler: Any) -> Any:
        if self.auth_enabled:
            return super().get_user(handler)
        return STUDENT
