"""The remote dashboard's password login: back-off, a logout that works, https beyond localhost.

Issue 16 found the password login (jupyter_server's) taking 24 guesses a second with no back-off,
the plaintext password in the environment of the student server and every kernel, its hash on a
command line, and a cookie that still worked after ``/logout`` (which answered 500). Here:

- :class:`PasswordLogin` is jupyter_server's ``PasswordIdentityProvider`` (argon2 hash) with its
  own login and logout handlers, and login cookies the server can revoke: each carries a random
  session id that must still be known to this server process;
- :class:`BackoffLoginHandler`: after a wrong password, the next try from that address waits
  1, 2, 4 … up to :data:`MAX_DELAY` seconds, one try at a time per address; a login from
  another computer must come over https (a plain-http password could be read on the Wi-Fi);
- the login page is our own, in Dutch (:func:`login_page`: a labelled password field, the error
  announced and tied to the field), not jupyter_server's English ``login.html``;
- :class:`LogoutHandler`: forgets the session id (the old cookie opens nothing any more), clears
  the cookie and shows the login page.
- The hash reaches the facilitator server in a configuration file of its own
  (``serve.commands.facilitator_env``), not on its command line; ``serve.commands.server_env``
  keeps the password out of every child's environment.

Engineer "server"'s OIDC login for a school server is another identity provider next to this one.
Addresses of failed logins are kept in memory only, never logged or stored.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import secrets
from typing import Any

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.identity import PasswordIdentityProvider, User
from jupyter_server.base.handlers import JupyterHandler
from tornado.escape import url_escape
from voila.voila_identity_provider import VoilaLoginHandler

from beeldwijs.serve.oidc import page
from beeldwijs.texts import t
from beeldwijs.ui.html import Markup, html

#: The longest wait, in seconds, before the next try after wrong passwords.
MAX_DELAY = 30.0


def wait_after(failures: int) -> float:
    """Seconds a try waits after ``failures`` wrong passwords in a row (0 for none)."""
    return 0.0 if failures <= 0 else min(2.0 ** (failures - 1), MAX_DELAY)


def _from_this_computer(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def login_page(action: str, xsrf_token: str, wrong: bool = False) -> Markup:
    """The Dutch login page: one labelled password field posting to ``action`` (with tornado's
    ``_xsrf`` token); after a wrong password the error is announced (``role="alert"``) and
    described on the field."""
    error = html('<p class="bw-error" id="bw-login-error" role="alert">{}</p>', t("login.wrong"))
    described = html(' aria-describedby="bw-login-error" aria-invalid="true"')
    return page(
        t("login.title"),
        html(
            '<p>{intro}</p>{error}<form method="post" action="{action}" class="bw-login">'
            '<input type="hidden" name="_xsrf" value="{xsrf}">'
            '<p><label for="bw-password">{label}</label><br>'
            '<input id="bw-password" type="password" name="password" required'
            ' autocomplete="current-password" autofocus{described}'
            ' style="font-size:1.1rem;padding:.5rem;border:2px solid #505050;max-width:100%"></p>'
            '<p><button type="submit" class="bw-button" style="border:0;font-size:1rem">'
            "{button}</button></p></form>",
            intro=t("login.intro"),
            error=error if wrong else "",
            action=action,
            xsrf=xsrf_token,
            label=t("login.password"),
            described=described if wrong else "",
            button=t("login.button"),
        ),
    )


class BackoffLoginHandler(VoilaLoginHandler):
    """The login form, slower after each wrong password, and https-only from elsewhere."""

    failures: dict[str, int] = {}
    locks: dict[str, asyncio.Lock] = {}

    def _render(self, message: dict[str, str] | None = None) -> None:
        """Our Dutch page in place of jupyter_server's ``login.html`` (a message is only ever
        jupyter_server's "Invalid credentials")."""
        nxt = url_escape(self.get_argument("next", default=self.base_url))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(
            login_page(f"{self.base_url}login?next={nxt}", self.xsrf_token.decode(), bool(message))
        )

    @allow_unauthenticated
    async def post(self) -> None:  # type: ignore[override]
        address = self.request.remote_ip or ""
        if self.request.protocol != "https" and not _from_this_computer(address):
            self.set_status(403)
            self.finish(
                page(t("login.title"), html('<p class="bw-error">{}</p>', t("login.https_only")))
            )
            return
        lock = self.locks.setdefault(address, asyncio.Lock())
        async with lock:  # one try at a time per address: parallel guesses wait in line
            failures = self.failures.get(address, 0)
            await asyncio.sleep(wait_after(failures))
            super().post()
            if self.get_status() == 401:
                self.failures[address] = failures + 1
            else:
                self.failures.pop(address, None)


class LogoutHandler(JupyterHandler):
    """Log out: the cookie's session is forgotten here, so a copy of it opens nothing."""

    @allow_unauthenticated
    def get(self) -> None:
        provider = self.identity_provider
        if isinstance(provider, PasswordLogin):
            provider.revoke(self)
        provider.clear_login_cookie(self)
        self.redirect(f"{self.base_url}login?next={url_escape(self.base_url)}")


class PasswordLogin(PasswordIdentityProvider):
    """jupyter_server's password login with our handlers and revocable cookies."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sessions: set[str] = set()

    def get_handlers(self) -> list[tuple[str, object]]:
        return [(r"/login", BackoffLoginHandler), (r"/logout", LogoutHandler)]

    def user_to_cookie(self, user: User) -> str:
        data = json.loads(super().user_to_cookie(user))
        data["session"] = secrets.token_hex(16)
        self.sessions.add(data["session"])
        return json.dumps(data)

    def user_from_cookie(self, cookie_value: str) -> User | None:
        if json.loads(cookie_value).get("session") not in self.sessions:
            return None  # logged out, or a cookie of an earlier start of the server
        return super().user_from_cookie(cookie_value)

    def revoke(self, handler: JupyterHandler) -> None:
        value = handler.get_secure_cookie(self.get_cookie_name(handler))
        if value:
            self.sessions.discard(json.loads(value).get("session"))
