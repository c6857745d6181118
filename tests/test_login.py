"""Issue 16: the remote dashboard's password login (beeldwijs.serve.login), attacked for real.

One `beeldwijs start --facilitator-host 0.0.0.0` with a password serves the module. Each test
reproduces what worked before: 24 guesses a second, the plaintext password in the environment of
the student server and every kernel and its hash on a command line, a cookie that still worked
after `/logout` (which answered 500), a password sent over plain http from another computer, and
jupyter_server's English login page.
"""

from __future__ import annotations

import http.cookiejar
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from beeldwijs.serve.login import wait_after
from beeldwijs.texts import t
from tests.axe import violations
from tests.e2e_support import TIMEOUT_MS
from tests.running import App, _cmdline
from tests.shared import descendants, no_proxy_opener

PASSWORD = "paard-batterij-nietje-" + uuid.uuid4().hex[:8]
DASHBOARD = "/voila/render/dashboard.ipynb"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    server = App(
        tmp_path_factory.mktemp("login"),
        args=["--facilitator-host", "0.0.0.0"],
        env={"BEELDWIJS_FACILITATOR_PASSWORD": PASSWORD},
    )
    server.start()
    yield server
    server.stop()


class Browser:
    """A browser's cookie jar and form posts, on one address of this machine."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = no_proxy_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def open(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, final URL, body) of a GET, or a POST of ``form``."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(f"{self.base}{path}", data, timeout=120) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode(errors="replace")

    def login(self, password: str) -> int:
        self.open("/login")
        xsrf = next(c.value for c in self.jar if c.name == "_xsrf")
        status, _, _ = self.open(f"/login?next={urllib.parse.quote(DASHBOARD)}",
                                 {"password": password, "_xsrf": xsrf})  # fmt: skip
        return status

    def on_dashboard(self) -> bool:
        status, url, body = self.open(DASHBOARD)
        return status == 200 and url.endswith(DASHBOARD) and "kernelId" in body


def test_wrong_passwords_slow_the_next_try_down(app: App) -> None:
    """Before: 24 guesses a second, no back-off. Now each wrong password doubles the wait."""
    browser = Browser(app.facilitator)
    started = time.monotonic()
    statuses = [browser.login(f"fout-{i}") for i in range(4)]
    took = time.monotonic() - started
    assert statuses == [401] * 4
    assert took >= sum(wait_after(n) for n in range(4)) == 7.0
    assert browser.login(PASSWORD) == 200 and browser.on_dashboard()  # after 8 s more


def test_logout_revokes_the_cookie(app: App) -> None:
    """Before: /logout answered 500 and the cookie kept working."""
    browser = Browser(app.facilitator)
    assert browser.login(PASSWORD) == 200 and browser.on_dashboard()
    copied = [c for c in browser.jar if c.name.startswith("username-")]
    assert copied
    status, url, _ = browser.open("/logout")
    assert status == 200 and "/login" in url
    thief = Browser(app.facilitator)
    for cookie in copied:
        thief.jar.set_cookie(cookie)
    assert not thief.on_dashboard()
    assert not browser.on_dashboard()


def test_the_password_is_in_no_child_environment_or_command_line(app: App) -> None:
    """Before: the plaintext password was in the environment of the student server and of every
    kernel, and its hash on the facilitator server's command line."""
    browser = Browser(app.facilitator)
    assert browser.login(PASSWORD) == 200 and browser.on_dashboard()  # a facilitator kernel
    assert app.process is not None
    children = descendants(app.process.pid)
    kernels = [pid for pid in children if b"ipykernel" in _cmdline(pid)]
    assert len(kernels) >= 2  # the student pool and the dashboard's kernel
    for pid in children:
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue  # gone meanwhile
        assert PASSWORD.encode() not in environ, pid
        assert b"BEELDWIJS_FACILITATOR_PASSWORD" not in environ, pid
        assert b"argon2" not in _cmdline(pid), pid
        assert b"hashed_password" not in _cmdline(pid), pid


def _lan_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") else address


def test_a_password_over_plain_http_from_another_computer_is_refused(app: App) -> None:
    """Before: the password travelled over the school Wi-Fi in plain http."""
    lan = _lan_address()
    if lan is None:
        pytest.skip("this machine has no network address besides loopback")
    browser = Browser(f"http://{lan}:{app.facilitator_port}")
    browser.open("/login")
    xsrf = next(c.value for c in browser.jar if c.name == "_xsrf")
    status, _, body = browser.open("/login", {"password": PASSWORD, "_xsrf": xsrf})
    assert status == 403 and escape(t("login.https_only")) in body
    assert not browser.on_dashboard()
    assert Browser(app.facilitator).login(PASSWORD) == 200  # on the computer itself: allowed


def test_the_login_page_is_dutch_labelled_and_axe_clean(app: App, browser: Any) -> None:
    """Before: jupyter_server's English login page ("Password:", "Log in", "Invalid
    credentials") on a Dutch product. Now our own page: Dutch, a labelled password field, the
    error announced and tied to the field, no axe violation (WCAG 2.x A/AA) before or after."""
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{app.facilitator}/login?next={urllib.parse.quote(DASHBOARD)}")
    assert page.evaluate("() => document.documentElement.lang") == "nl"
    assert page.title() == t("login.title")
    text = page.inner_text("body")
    for english in ("Password", "Log in", "Invalid", "Jupyter"):
        assert english not in text, text
    field = page.get_by_label(t("login.password"))
    assert field.get_attribute("type") == "password"
    assert violations(page) == []

    field.fill("fout-wachtwoord")
    page.get_by_role("button", name=t("login.button")).click()
    error = page.locator("#bw-login-error")
    error.wait_for()
    assert error.inner_text() == t("login.wrong") and error.get_attribute("role") == "alert"
    field = page.get_by_label(t("login.password"))
    assert field.get_attribute("aria-describedby") == "bw-login-error"
    assert violations(page) == []

    field.fill(PASSWORD)
    page.get_by_role("button", name=t("login.button")).click()
    page.wait_for_url(f"**{DASHBOARD}")
    page.locator(".bw-dash").wait_for()
    page.context.close()
