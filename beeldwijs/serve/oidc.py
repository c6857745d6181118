"""Mentor logins with the school's own accounts: OpenID Connect for the facilitator server.

A jupyter_server identity provider (:class:`OIDCIdentityProvider`) that Voilà uses when
the ``oidc_issuer`` setting is given (docs/container.md, "Inloggen met schoolaccounts"):

1. ``/mentor/login`` shows a Dutch page with one button; ``/mentor/login/start`` sends the browser
   to the school's provider (Microsoft Entra ID, Google Workspace, any OpenID Connect provider)
   with ``state``, ``nonce`` and PKCE (S256), kept in a signed, short-lived cookie.
2. ``/mentor/login/callback`` checks ``state``, exchanges the code for tokens (Authlib's
   ``OAuth2Session``), verifies the ID token's signature against the provider's JWKS and its
   ``iss``, ``aud``, ``exp`` and ``nonce`` (joserfc), and sets the login cookie.
3. ``/mentor/logout`` clears it and shows a Dutch page.

What the login cookie (signed by the server) and the kernels learn about a mentor: a **stable
pseudonym** (HMAC-SHA256 of issuer and ``sub`` under the ``secret`` setting: no e-mail, no name in
the database), the **role** (``mentor``, ``coordinator`` or ``admin``, from an e-mail list or a
group claim, decided at login) and a display name for "Ingelogd als …", which is never stored.
Students never log in; the laptop mode has no login at all.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.identity import IdentityProvider, User
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

from beeldwijs import settings
from beeldwijs.texts import t
from beeldwijs.ui.html import Markup, html, style

__all__ = [
    "MENTOR_HEADER",
    "ROLE_HEADER",
    "ROLES",
    "Mentor",
    "OIDCIdentityProvider",
    "OIDCSettings",
    "pseudonym",
    "role_for",
]

#: Request headers the facilitator server sets (never the browser) so that a page's kernel knows
#: its mentor; Voilà passes them to the kernel as HTTP_X_BEELDWIJS_MENTOR / _ROLE.
MENTOR_HEADER = "X-Beeldwijs-Mentor"
ROLE_HEADER = "X-Beeldwijs-Role"
ROLES = ("mentor", "coordinator", "admin")
_FLOW_COOKIE = "beeldwijs-oidc-flow"
_FLOW_SECONDS = 600  # a login must come back from the provider within 10 minutes
_HTTP_TIMEOUT = 10


def _split(value: str) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class OIDCSettings:
    """The school's OpenID Connect app, from the environment (docs/container.md)."""

    issuer: str
    client_id: str
    client_secret: str
    secret: bytes  # the secret setting: pseudonyms and the login cookie's signature
    public_url: str  # https://beeldwijs.school.nl: the redirect URI is built from it
    coordinators: frozenset[str] = frozenset()  # e-mail addresses, lower case
    admins: frozenset[str] = frozenset()
    groups_claim: str = "groups"
    coordinator_group: str = ""
    admin_group: str = ""
    scope: str = "openid email profile"

    @classmethod
    def configured(cls) -> OIDCSettings | None:
        """From the settings table; None when no issuer is set (laptop, or the password)."""
        issuer = (settings.value("oidc_issuer") or "").strip().rstrip("/")
        if not issuer:
            return None
        needed = ("oidc_client_id", "oidc_client_secret", "secret")
        missing = [settings.get(n).env for n in needed if not (settings.value(n) or "").strip()]
        public = (  # where mentors reach this server (the school's name behind the front)
            settings.value("facilitator_url")
            or settings.value("public_url")
            or (f"https://{settings.value('host')}" if settings.value("host") else "")
        )
        if not public:
            missing.append(settings.get("host").env)
        if missing:
            raise ValueError(t("oidc.missing_settings", names=", ".join(missing)))
        secret = settings.value("secret").strip()
        if len(secret) < 32:
            raise ValueError(t("oidc.short_secret"))
        return cls(
            issuer=issuer,
            client_id=settings.value("oidc_client_id").strip(),
            client_secret=settings.value("oidc_client_secret").strip(),
            secret=secret.encode(),
            public_url=str(public).rstrip("/"),
            coordinators=_split(settings.value("oidc_coordinators")),
            admins=_split(settings.value("oidc_admins")),
            groups_claim=settings.value("oidc_groups_claim").strip() or "groups",
            coordinator_group=settings.value("oidc_coordinator_group").strip(),
            admin_group=settings.value("oidc_admin_group").strip(),
        )


def pseudonym(secret: bytes, issuer: str, subject: str) -> str:
    """A mentor's stable pseudonym: the same for every login, unlinkable without the secret."""
    digest = hmac.new(secret, f"{issuer}\n{subject}".encode(), hashlib.sha256).digest()
    return "m-" + base64.b32encode(digest[:15]).decode().lower()


def role_for(claims: Mapping[str, Any], settings: OIDCSettings) -> str:
    """admin, coordinator or mentor: by e-mail list or by a group claim."""
    email = str(claims.get("email") or claims.get("preferred_username") or "").lower()
    raw_groups = claims.get(settings.groups_claim) or []
    groups = {str(g) for g in raw_groups} if isinstance(raw_groups, list) else {str(raw_groups)}
    if email in settings.admins or (settings.admin_group and settings.admin_group in groups):
        return "admin"
    if email in settings.coordinators or (
        settings.coordinator_group and settings.coordinator_group in groups
    ):
        return "coordinator"
    return "mentor"


@dataclass
class Mentor(User):
    """A logged-in mentor: ``username`` is the pseudonym, ``role`` one of :data:`ROLES`."""

    role: str = "mentor"


class OIDCIdentityProvider(IdentityProvider):
    """jupyter_server identity provider for an OpenID Connect login (module docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["token"] = ""  # no token logins: only the school's accounts
        super().__init__(**kwargs)
        configured = OIDCSettings.configured()
        if configured is None:
            raise ValueError("OIDCIdentityProvider needs the oidc_issuer setting")
        self.settings = configured
        self.secure_cookie = configured.public_url.startswith("https://")
        self._metadata: dict[str, Any] | None = None
        self._jwks: dict[str, Any] | None = None

    # -- jupyter_server's interface ------------------------------------------------------------
    @property
    def auth_enabled(self) -> bool:
        return True

    @property
    def login_available(self) -> bool:
        return True

    def get_user(self, handler: web.RequestHandler) -> User | None:
        """The mentor of the login cookie, or None (no token, no anonymous user)."""
        user = self.get_user_cookie(handler)
        if user is None and handler.get_cookie(self.get_cookie_name(handler)) is not None:
            self.clear_login_cookie(handler)
        return user  # type: ignore[return-value]

    def get_handlers(self) -> list[tuple[str, object]]:
        base = str(getattr(self.parent, "server_url", "/") or "/")
        return [
            (url_path_join(base, "/login"), LoginPageHandler),
            (url_path_join(base, "/login/start"), LoginStartHandler),
            (url_path_join(base, "/login/callback"), LoginCallbackHandler),
            (url_path_join(base, "/logout"), LogoutHandler),
        ]

    def user_to_cookie(self, user: User) -> str:
        return json.dumps(
            {
                "username": user.username,
                "name": user.name,
                "role": getattr(user, "role", "mentor"),
                "at": int(time.time()),
            }
        )

    def user_from_cookie(self, cookie_value: str) -> User | None:
        data = json.loads(cookie_value)
        role = data.get("role")
        if role not in ROLES or not str(data.get("username", "")).startswith("m-"):
            return None
        return Mentor(username=data["username"], name=data.get("name", ""), role=role)

    def cookie_secret_hook(self, h: hmac.HMAC) -> hmac.HMAC:
        h.update(self.settings.secret)  # a new BEELDWIJS_SECRET logs everyone out
        return h

    # -- the provider ---------------------------------------------------------------------------
    def redirect_uri(self, handler: web.RequestHandler) -> str:
        return self.settings.public_url + url_path_join(
            str(getattr(handler, "base_url", "/")), "/login/callback"
        )

    async def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (cached); its issuer must be the configured one."""
        if self._metadata is None:
            url = self.settings.issuer + "/.well-known/openid-configuration"
            document = await _get_json(url)
            if str(document.get("issuer", "")).rstrip("/") != self.settings.issuer:
                raise web.HTTPError(502, reason="OIDC issuer mismatch")
            self._metadata = document
        return self._metadata

    async def keys(self, refresh: bool = False) -> dict[str, Any]:
        if self._jwks is None or refresh:
            self._jwks = await _get_json(str((await self.metadata())["jwks_uri"]))
        return self._jwks

    def session(self, handler: web.RequestHandler, **kwargs: Any) -> Any:
        from authlib.integrations.requests_client import OAuth2Session

        return OAuth2Session(
            self.settings.client_id,
            self.settings.client_secret,
            scope=self.settings.scope,
            redirect_uri=self.redirect_uri(handler),
            code_challenge_method="S256",
            **kwargs,
        )

    async def verified_claims(self, id_token: str, nonce: str) -> dict[str, Any]:
        """The ID token's claims after checking signature, issuer, audience, expiry and nonce."""
        from joserfc import jwt
        from joserfc.errors import JoseError
        from joserfc.jwk import KeySet

        registry = jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": self.settings.issuer},
            aud={"essential": True, "value": self.settings.client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        for refresh in (False, True):  # the provider may have rotated its keys
            try:
                keys: Any = await self.keys(refresh)
                token = jwt.decode(id_token, KeySet.import_key_set(keys))
            except JoseError:
                if refresh:
                    raise
                continue
            registry.validate(token.claims)
            return dict(token.claims)
        raise AssertionError("unreachable")  # pragma: no cover

    def mentor_for(self, claims: Mapping[str, Any]) -> Mentor:
        name = str(claims.get("name") or claims.get("email") or "")
        return Mentor(
            username=pseudonym(self.settings.secret, self.settings.issuer, str(claims["sub"])),
            name=name,
            role=role_for(claims, self.settings),
        )


async def _get_json(url: str) -> dict[str, Any]:
    import requests

    def fetch() -> dict[str, Any]:
        reply = requests.get(url, timeout=_HTTP_TIMEOUT)
        reply.raise_for_status()
        return dict(reply.json())

    return await asyncio.get_running_loop().run_in_executor(None, fetch)


# --------------------------------------------------------------------------- pages


PAGE_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1a1a1a}"
    ".bw-button{display:inline-block;background:#0b5394;color:#fff;padding:.7rem 1.2rem;"
    "border-radius:.3rem;text-decoration:none;font-weight:600}"
    ".bw-button:focus{outline:3px solid #f1c232;outline-offset:2px}"
    ".bw-error{color:#9c0006}"
)


def page(title: str, body: Markup) -> Markup:
    """A small Dutch page in the server's own style: no script, works with the strict CSP."""
    return html(
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>{title}</title>{style}</head>"
        "<body><main><h1>{title}</h1>{body}</main></body></html>",
        title=title,
        style=style(PAGE_CSS),
        body=body,
    )


class _OIDCHandler(JupyterHandler):
    """Shared by the login pages: the identity provider and Dutch pages."""

    @property
    def oidc(self) -> OIDCIdentityProvider:
        return self.identity_provider  # type: ignore[return-value]

    def check_xsrf_cookie(self) -> None:  # only GETs here
        return

    def write_page(self, title: str, body: Markup, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(page(title, body))

    def safe_next(self) -> str:
        """Where to go after the login: a path on this server only (no open redirect)."""
        default = url_path_join(self.base_url, "/voila/render/dashboard.ipynb")
        target = self.get_argument("next", default)
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not target.startswith(self.base_url) or "\\" in target:
            return default
        return target


class LoginPageHandler(_OIDCHandler):
    """``/login``: the Dutch login page with one button."""

    @allow_unauthenticated
    async def get(self) -> None:
        start = (
            url_path_join(self.base_url, "/login/start") + "?" + _query({"next": self.safe_next()})
        )
        body = html(
            '<p>{}</p><p><a class="bw-button" href="{}">{}</a></p><p>{}</p>',
            t("oidc.login_intro"),
            start,
            t("oidc.login_button"),
            t("oidc.login_students"),
        )
        self.write_page(t("oidc.login_title"), body)


class LoginStartHandler(_OIDCHandler):
    """``/login/start``: to the provider, with state, nonce and PKCE in a signed cookie."""

    @allow_unauthenticated
    async def get(self) -> None:
        from authlib.common.security import generate_token

        try:
            endpoint = str((await self.oidc.metadata())["authorization_endpoint"])
        except Exception as error:  # noqa: BLE001 - the provider is unreachable or misconfigured
            # what went wrong, for the ICT provider (the issuer is configuration, nothing personal)
            self.log.warning(
                "OIDC: the provider's discovery document at %s could not be read: %s: %s",
                self.oidc.settings.issuer, type(error).__name__, error,
            )  # fmt: skip
            self.write_page(t("oidc.login_title"), _error(t("oidc.provider_down")), 502)
            return
        flow = {
            "state": generate_token(32),
            "nonce": generate_token(32),
            "verifier": generate_token(64),
            "next": self.safe_next(),
            "at": int(time.time()),
        }
        url, _ = self.oidc.session(self).create_authorization_url(
            endpoint, state=flow["state"], nonce=flow["nonce"], code_verifier=flow["verifier"]
        )
        self.set_secure_cookie(
            _FLOW_COOKIE, json.dumps(flow), expires_days=None, httponly=True,
            secure=self.oidc.secure_cookie, samesite="Lax", path=self.base_url,
        )  # fmt: skip
        self.redirect(url)


class LoginCallbackHandler(_OIDCHandler):
    """``/login/callback``: check, exchange, verify, set the login cookie, go on."""

    @allow_unauthenticated
    async def get(self) -> None:
        raw = self.get_secure_cookie(_FLOW_COOKIE, max_age_days=1)
        self.clear_cookie(_FLOW_COOKIE, path=self.base_url)
        flow = json.loads(raw) if raw else None
        state = self.get_argument("state", "")
        if (
            flow is None
            or time.time() - flow.get("at", 0) > _FLOW_SECONDS
            or not secrets.compare_digest(state, flow.get("state", ""))
        ):
            self.write_page(t("oidc.login_title"), _error(t("oidc.flow_expired"), self), 400)
            return
        if self.get_argument("error", ""):
            self.write_page(t("oidc.login_title"), _error(t("oidc.denied"), self), 403)
            return
        try:
            claims = await self._claims(flow)
        except Exception:  # noqa: BLE001 - any failure: no login, a Dutch page, a log line
            self.log.warning("OIDC: login failed at the token exchange or the ID token check")
            self.write_page(t("oidc.login_title"), _error(t("oidc.failed"), self), 400)
            return
        mentor = self.oidc.mentor_for(claims)
        self.oidc.set_login_cookie(self, mentor)
        self.log.info("OIDC: a %s logged in", mentor.role)  # no name, no pseudonym in the log
        self.redirect(flow["next"])

    async def _claims(self, flow: Mapping[str, Any]) -> dict[str, Any]:
        metadata = await self.oidc.metadata()
        client = self.oidc.session(self, state=flow["state"])
        code = self.get_argument("code")

        def exchange() -> dict[str, Any]:
            return dict(
                client.fetch_token(
                    str(metadata["token_endpoint"]),
                    code=code,
                    code_verifier=flow["verifier"],
                    timeout=_HTTP_TIMEOUT,
                )  # fmt: skip
            )

        token = await asyncio.get_running_loop().run_in_executor(None, exchange)
        claims = await self.oidc.verified_claims(str(token["id_token"]), str(flow["nonce"]))
        if "email" not in claims and metadata.get("userinfo_endpoint"):

            def userinfo() -> dict[str, Any]:
                reply = client.get(str(metadata["userinfo_endpoint"]), timeout=_HTTP_TIMEOUT)
                reply.raise_for_status()
                return dict(reply.json())

            extra = await asyncio.get_running_loop().run_in_executor(None, userinfo)
            if extra.get("sub") == claims["sub"]:
                claims = {**extra, **claims}
        return claims


class LogoutHandler(_OIDCHandler):
    """``/logout``: the login cookie is cleared; a Dutch page says what that means."""

    @allow_unauthenticated
    async def get(self) -> None:
        self.identity_provider.clear_login_cookie(self)
        again = url_path_join(self.base_url, "/login")
        body = html(
            '<p>{}</p><p><a class="bw-button" href="{}">{}</a></p>',
            t("oidc.logged_out"),
            again,
            t("oidc.login_again"),
        )
        self.write_page(t("oidc.logout_title"), body)


def _error(message: str, handler: _OIDCHandler | None = None) -> Markup:
    retry = Markup()
    if handler is not None:
        retry = html(
            '<p><a class="bw-button" href="{}">{}</a></p>',
            url_path_join(handler.base_url, "/login"),
            t("oidc.login_again"),
        )
    return html('<p class="bw-error" role="alert">{}</p>{}', message, retry)


def _query(params: Mapping[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)
