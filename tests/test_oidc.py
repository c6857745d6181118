"""Mentor logins with the school's accounts, against a real OpenID Connect provider.

`beeldwijs start` with ``BEELDWIJS_OIDC_*`` set; the provider is oidc-provider-mock over HTTPS
(tests/oidc_support.py); the mentors are two Chromium contexts. Proves: a logged-out browser
reaches nothing, each mentor sees only their own sessions, and mentor B cannot read or steer
mentor A's session by URL, by A's kernel, or by a forged identity header.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest

from beeldwijs.content import Library
from beeldwijs.serve.oidc import OIDCSettings, pseudonym, role_for
from beeldwijs.store import ResponseStore
from tests.container_support import make_certificates, trusting_nss_home
from tests.e2e_support import CHROMIUM, CHROMIUM_ARGS, LESSON, TIMEOUT_MS, running_app
from tests.oidc_support import (
    ADMINS,
    CLIENT_ID,
    CLIENT_SECRET,
    COORDINATORS,
    SECRET,
    kernel_id,
    login,
    oidc_provider,
    websocket_opens,
)
from tests.shared import free_port

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    folder = tmp_path_factory.mktemp("oidc")
    certs = make_certificates(folder / "certs", host="127.0.0.1")
    home = trusting_nss_home(certs, folder / "home")
    with oidc_provider(certs, free_port()) as provider:

        def env(_student: int, facilitator: int) -> dict[str, str]:
            return {
                "BEELDWIJS_OIDC_ISSUER": provider.issuer,
                "BEELDWIJS_OIDC_CLIENT_ID": CLIENT_ID,
                "BEELDWIJS_OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "BEELDWIJS_OIDC_COORDINATORS": COORDINATORS,
                "BEELDWIJS_OIDC_ADMINS": ADMINS,
                "BEELDWIJS_SECRET": SECRET,
                "BEELDWIJS_FACILITATOR_URL": f"http://127.0.0.1:{facilitator}",
                "REQUESTS_CA_BUNDLE": str(certs.ca),  # the server trusts the provider's CA
            }

        with running_app(folder, k=3, extra_env=env) as app:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM,
                    args=CHROMIUM_ARGS,
                    env={**os.environ, "HOME": str(home)},
                )
                yield {"app": app, "browser": browser, "issuer": provider.issuer}
                browser.close()


def mentor(world: dict[str, object], subject: str):
    page = world["browser"].new_context().new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(TIMEOUT_MS)
    login(page, world["app"]["dashboard"], subject)  # type: ignore[index]
    return page


def start_lesson(page) -> str:
    lesson = Library().lesson(LESSON)
    page.locator(".bw-lesson-picker select").select_option(
        label=f"{lesson.title} ({lesson.minutes} min)"
    )
    page.click(".bw-start-session")
    return page.locator(".bw-join-code").first.inner_text().strip()


def test_logged_out_browser_reaches_nothing(world: dict[str, object]) -> None:
    page = world["browser"].new_context().new_page()  # type: ignore[attr-defined]
    dashboard = world["app"]["dashboard"]  # type: ignore[index]
    page.goto(dashboard)
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", name="Inloggen bij Beeldwijs").is_visible()
    assert "/login" in page.url and "bw-dash" not in page.content()
    base = dashboard.split("/voila/")[0]
    kernel = "/api/kernels/00000000-0000-4000-8000-000000000000"
    for path in ("/voila/render/overzicht.ipynb", "/voila/render/moderatie.ipynb", kernel):
        reply = page.request.get(base + path, max_redirects=0)
        assert reply.status in (302, 403), (path, reply.status)


def test_each_mentor_sees_and_steers_only_their_own_class(world: dict[str, object]) -> None:
    anna = mentor(world, "anna-sub")
    code = start_lesson(anna)
    bart = mentor(world, "bart-sub")
    bart.locator(".bw-dash").wait_for()
    assert code not in bart.inner_text("body")  # no "resume" of Anna's running lesson
    base = world["app"]["dashboard"].split("/voila/")[0]  # type: ignore[index]

    # by URL: the moderation page with Anna's code
    bart.goto(f"{base}/voila/render/moderatie.ipynb?code={code}")
    from beeldwijs.texts import t

    bart.get_by_text(t("mod.no_access")).first.wait_for()
    assert "bw-mod-answer" not in bart.content()

    # by Anna's kernel: its REST endpoint and websocket answer 403 to Bart
    anna_kernel = kernel_id(anna)
    assert bart.request.get(f"{base}/api/kernels/{anna_kernel}").status == 403
    channels = f"{base.replace('http', 'ws')}/api/kernels/{anna_kernel}/channels"
    assert not websocket_opens(bart, channels)
    assert anna.request.get(f"{base}/api/kernels/{anna_kernel}").status == 200

    # by a forged identity header: the server replaces it with Bart's own
    forged = world["browser"].new_context(  # type: ignore[attr-defined]
        extra_http_headers={
            "X-Beeldwijs-Mentor": pseudonym(SECRET.encode(), world["issuer"], "anna-sub")
        }  # type: ignore[arg-type]
    )
    forged.add_cookies(bart.context.cookies())
    page = forged.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(world["app"]["dashboard"])  # type: ignore[index]
    page.locator(".bw-dash").wait_for()
    assert code not in page.inner_text("body")

    store = ResponseStore(world["app"]["db"])  # type: ignore[index]
    session = store.session(code)
    assert session.is_open and session.owner == pseudonym(
        SECRET.encode(), world["issuer"], "anna-sub"
    )  # type: ignore[arg-type]
    assert "anna" not in json.dumps(session.__dict__).lower()  # a pseudonym, no e-mail, no name


def test_a_lesson_is_handed_to_a_colleague_and_only_the_admin_sees_retention(
    world: dict[str, object],
) -> None:
    anna = mentor(world, "anna-sub")
    code = start_lesson(anna)
    anna.click(".bw-handover-offer")
    token = anna.locator(".bw-handover-token").inner_text().strip()
    bart = mentor(world, "bart-sub")
    field = bart.locator(".bw-handover-field input")
    field.fill("AAAAAAAA")  # a guess: refused in Dutch, nothing changes
    bart.click(".bw-handover-take")
    bart.get_by_text("Deze code klopt niet of is al gebruikt.").wait_for()
    field.fill(token)
    bart.click(".bw-handover-take")
    bart.locator(".bw-join-code", has_text=code).first.wait_for()  # Bart's lesson now
    anna.get_by_text("Deze les is nu van je collega.").wait_for()  # Anna's dashboard, polling
    assert code not in anna.inner_text(".bw-dash")

    base = world["app"]["dashboard"].split("/voila/")[0]  # type: ignore[index]
    overview = f"{base}/voila/render/overzicht.ipynb"
    bart.goto(overview)
    bart.locator(".bw-overview").wait_for()
    assert bart.locator(".bw-retention").count() == 0
    dina = mentor(world, "dina-sub")
    dina.goto(overview)
    dina.locator(".bw-retention").get_by_text("Bewaartermijn: 30 dagen").wait_for()
    dina.click(".bw-purge")
    dina.click(".bw-retention .bw-confirm-yes")
    dina.locator(".bw-retention").get_by_text("0 lessen verwijderd.").wait_for()
    store = ResponseStore(world["app"]["db"])  # type: ignore[index]
    assert store.session(code).owner == pseudonym(SECRET.encode(), world["issuer"], "bart-sub")  # type: ignore[arg-type]
    store.close()


def test_logout_page_is_dutch_and_ends_the_login(world: dict[str, object]) -> None:
    page = mentor(world, "coco-sub")
    base = world["app"]["dashboard"].split("/voila/")[0]  # type: ignore[index]
    page.goto(f"{base}/logout")
    assert page.get_by_role("heading", name="Je bent uitgelogd").is_visible()
    page.goto(world["app"]["dashboard"])  # type: ignore[index]
    assert "/login" in page.url


def test_roles_from_the_school_accounts(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "BEELDWIJS_OIDC_ISSUER": "https://login.example/tenant/v2.0/",
        "BEELDWIJS_OIDC_CLIENT_ID": "id", "BEELDWIJS_OIDC_CLIENT_SECRET": "s",
        "BEELDWIJS_SECRET": SECRET, "BEELDWIJS_HOST": "beeldwijs.school.nl",
        "BEELDWIJS_OIDC_COORDINATORS": "Coco@School.test, x@y",
        "BEELDWIJS_OIDC_ADMIN_GROUP": "ict-beheer",
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("BEELDWIJS_PUBLIC_URL", raising=False)
    monkeypatch.delenv("BEELDWIJS_FACILITATOR_URL", raising=False)
    settings = OIDCSettings.configured()
    assert settings is not None and settings.issuer == "https://login.example/tenant/v2.0"
    assert settings.public_url == "https://beeldwijs.school.nl"
    assert role_for({"email": "coco@school.test"}, settings) == "coordinator"
    assert role_for({"email": "a@b", "groups": ["ict-beheer"]}, settings) == "admin"
    assert role_for({"email": "a@b"}, settings) == "mentor"
    one = pseudonym(settings.secret, settings.issuer, "sub-1")
    assert one == pseudonym(settings.secret, settings.issuer, "sub-1")
    assert one != pseudonym(b"x" * 32, settings.issuer, "sub-1")
    assert one.startswith("m-") and "sub-1" not in one


def test_missing_login_settings_are_named_in_dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BEELDWIJS_OIDC_CLIENT_SECRET", "BEELDWIJS_SECRET", "BEELDWIJS_OIDC_ISSUER"):
        monkeypatch.delenv(name, raising=False)
    assert OIDCSettings.configured() is None
    monkeypatch.setenv("BEELDWIJS_OIDC_ISSUER", "https://x")
    monkeypatch.setenv("BEELDWIJS_OIDC_CLIENT_ID", "a")
    monkeypatch.setenv("BEELDWIJS_HOST", "h")
    with pytest.raises(ValueError, match="BEELDWIJS_OIDC_CLIENT_SECRET, BEELDWIJS_SECRET"):
        OIDCSettings.configured()
