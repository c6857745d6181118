"""The one cookie a student's browser gets from the student server: ``beeldwijs-browser``.

Its value is ``<token>`` or ``<token>.<code>.<code>…``:

- the **token** (32 random bytes, URL-safe) makes "one browser" for the admission limits
  (``beeldwijs.serve.admission``): the server keeps only a keyed hash of it, in memory;
- the **codes** are the sessions whose page this browser already opened (at most
  :data:`MAX_CODES`, newest last), so the dashboard's count of devices that opened the link adds a
  browser once per session without anything per device on the server.

``HttpOnly`` (no script reads it), ``SameSite=Lax`` (a QR code or a link in a chat app is a
cross-site navigation that must still carry it), path ``/`` (both student servers behind one
front see the same cookie, so a device is counted once), valid for :data:`LIFETIME_DAYS` from the
last session it was counted in. A missing or forged value is replaced by a new token without codes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

NAME = "beeldwijs-browser"
LIFETIME_DAYS = 1
#: Sessions remembered per browser: more than a student opens in one day.
MAX_CODES = 8
#: The longest session code kept (codes are six letters; the handler cuts what it reads at 12).
CODE_LENGTH = 12
_TOKEN_LENGTH = 43  # secrets.token_urlsafe(32)


@dataclass(frozen=True)
class BrowserCookie:
    token: str
    codes: tuple[str, ...] = ()

    @classmethod
    def new(cls) -> BrowserCookie:
        return cls(secrets.token_urlsafe(32))

    @classmethod
    def read(cls, raw: str | None) -> BrowserCookie | None:
        """The cookie a browser sent, or None when it sent none or a forged token. Codes that
        cannot be session codes are dropped."""
        token, *rest = (raw or "").split(".")
        if len(token) != _TOKEN_LENGTH or not token.replace("-", "").replace("_", "").isalnum():
            return None
        codes = [c for c in rest if c.isascii() and c.isalnum() and len(c) <= CODE_LENGTH]
        return cls(token, tuple(codes[-MAX_CODES:]))

    def counted(self, code: str) -> bool:
        return code in self.codes

    def with_code(self, code: str) -> BrowserCookie:
        """This browser, counted in session ``code`` too (the oldest code drops out at MAX_CODES)."""
        return BrowserCookie(self.token, (*self.codes, code)[-MAX_CODES:])

    @property
    def value(self) -> str:
        return ".".join((self.token, *self.codes))
