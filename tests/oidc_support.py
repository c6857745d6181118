"""A real OpenID Connect provider for the login tests (oidc-provider-mock, over HTTPS).

The provider is the PyPI package ``oidc-provider-mock`` (Flask + Authlib): discovery, JWKS,
authorization form, token and userinfo endpoints, RS256 ID tokens. It runs here on 127.0.0.1
behind TLS with a certificate from the test CA, so Beeldwijs talks to it as to Entra ID or
Google (no "insecure transport" switch); the facilitator trusts the CA via REQUESTS_CA_BUNDLE
and Chromium via an NSS database in its HOME.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.container_support import Certificates

#: Accounts of the school's provider: subject → claims.
ACCOUNTS = {
    "anna-sub": {"email": "anna@school.test", "name": "Anna de Mentor"},
    "bart-sub": {"email": "bart@school.test", "name": "Bart de Mentor"},
    "coco-sub": {"email": "coco@school.test", "name": "Coco Coördinator"},
    "dina-sub": {"email": "dina@school.test", "name": "Dina Beheer"},
}
COORDINATORS = "coco@school.test"
ADMINS = "dina@school.test"
CLIENT_ID = "beeldwijs-test"
CLIENT_SECRET = "test-client-secret"
SECRET = "0123456789abcdef0123456789abcdef-test-secret"


@dataclass
class Provider:
    issuer: str


@contextmanager
def oidc_provider(certs: Certificates, port: int) -> Iterator[Provider]:
    """The provider on https://127.0.0.1:``port`` (the certificate names that address)."""
    import werkzeug.serving
    from oidc_provider_mock import User, app

    flask_app = app(user_claims=[User(sub=s, claims=dict(c)) for s, c in ACCOUNTS.items()])
    server = werkzeug.serving.make_server(
        "127.0.0.1", port, flask_app, threaded=True,
        ssl_context=(str(certs.folder / "fullchain.pem"), str(certs.folder / "privkey.pem")),
    )  # fmt: skip
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Provider(f"https://127.0.0.1:{port}")
    finally:
        server.shutdown()
        thread.join(10)


def login(page, start_url: str, subject: str) -> None:
    """Through our Dutch login page and the provider's form, back to ``start_url``; when a step
    times out, the error says what the browser shows instead."""
    page.goto(start_url)
    try:
        page.get_by_role("link", name="Inloggen met je schoolaccount").click()
        page.locator(f"button[value='{subject}']").click()
        page.wait_for_url(start_url.split("?")[0] + "*")
    except PlaywrightTimeoutError as error:
        shown = page.locator("body").inner_text()[:1500]
        raise AssertionError(f"{error.message.splitlines()[0]} at {page.url}:\n{shown}") from None


def kernel_id(page) -> str:
    """The kernel id of the Voilà page open in ``page``."""
    return page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )


def status_from(page, url: str) -> int:
    """The status of a GET of ``url`` made by the page itself (its cookies, and the browser's
    name resolution: Playwright's own request context resolves names on its own and does not
    follow Chromium's ``--host-resolver-rules``)."""
    return int(page.evaluate("url => fetch(url, {redirect: 'manual'}).then(r => r.status)", url))


def websocket_opens(page, url: str) -> bool:
    """Whether a websocket to ``url`` opens from ``page`` (with that browser's cookies)."""
    return bool(
        page.evaluate(
            """url => new Promise(done => {
                const ws = new WebSocket(url);
                ws.onopen = () => { ws.close(); done(true); };
                ws.onerror = () => done(false);
            })""",
            url,
        )
    )
