"""WebKit (the engine of Safari on iPhones) for the browser tests: Debian's webkit2gtk-driver.

``WebKitWebDriver`` drives ``MiniBrowser`` through Selenium; MiniBrowser has no headless mode, so it
runs on its own Xvfb display. Two habits of this driver the tests work around:
an element's WebDriver text comes back empty (read ``innerText`` through JavaScript: `text`), and
waits are explicit (`wait_for`), since the page is built by widgets after the load event.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

WEBDRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
XVFB = "/usr/bin/Xvfb"
TIMEOUT_S = 90.0


@contextmanager
def xvfb() -> Iterator[str]:
    """A private X display (``:N``) for as long as the block runs."""
    read, write = os.pipe()
    process = subprocess.Popen(
        [XVFB, "-displayfd", str(write), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    try:
        with os.fdopen(read) as announced:
            number = announced.readline().strip()  # Xvfb writes the display number once ready
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def webkit() -> Iterator[Any]:
    """A Selenium WebDriver for MiniBrowser (WebKitGTK) on a private Xvfb display."""
    for path in (WEBDRIVER, MINIBROWSER, XVFB):
        if not Path(path).exists():
            pytest.fail(f"{path} is missing: run tools/system-deps.sh")
    from selenium import webdriver
    from selenium.webdriver.common.proxy import Proxy, ProxyType
    from selenium.webdriver.remote.client_config import ClientConfig
    from selenium.webdriver.remote.remote_connection import RemoteConnection
    from selenium.webdriver.webkitgtk.options import Options
    from selenium.webdriver.webkitgtk.service import Service

    with xvfb() as display:
        options = Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        service = Service(executable_path=WEBDRIVER, env={**os.environ, "DISPLAY": display})
        service.start()
        try:
            # The driver on this machine, never through a proxy (selenium's own WebKitGTK class
            # passes the address in a way it deprecates itself).
            config = ClientConfig(
                remote_server_addr=service.service_url,
                proxy=Proxy(raw={"proxyType": ProxyType.DIRECT["string"]}),
            )
            driver = webdriver.Remote(RemoteConnection(client_config=config), options=options)
            try:
                driver.set_window_size(1280, 900)
                yield driver
            finally:
                driver.quit()
        finally:
            service.stop()


def wait_for(condition: Callable[[], Any], what: str, seconds: float = TIMEOUT_S) -> Any:
    """The first truthy value of ``condition()``; fails with ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"WebKit: waited {seconds:.0f} s for {what}")


def text(driver: Any, selector: str) -> str:
    """The visible text (``innerText``) of the first element matching ``selector``, or ""."""
    return str(
        driver.execute_script(
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';",
            selector,
        )
    )


def visible(driver: Any, selector: str) -> bool:
    """True when an element matching ``selector`` is on the page and takes up space."""
    return bool(
        driver.execute_script(
            "const e = document.querySelector(arguments[0]);"
            "return !!e && e.getClientRects().length > 0;",
            selector,
        )
    )


def click(driver: Any, selector: str, index: int = 0) -> None:
    """A real click on the ``index``-th element matching ``selector`` once it is shown; found
    again when a widget re-rendered it in between (a stale element)."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    def attempt() -> bool:
        try:
            found = driver.find_elements(By.CSS_SELECTOR, selector)
            if len(found) <= index or not found[index].is_displayed():
                return False
            found[index].click()
        except StaleElementReferenceException:
            return False
        return True

    wait_for(attempt, f"a click on {selector} #{index}")


def type_into(driver: Any, selector: str, keys: str) -> None:
    """Types ``keys`` into the first element matching ``selector`` as a keyboard would."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By

    def attempt() -> bool:
        """Typed, and the field on the page now holds exactly ``keys`` (typing that went into an
        element a widget replaced meanwhile is typed again)."""
        try:
            element = driver.find_element(By.CSS_SELECTOR, selector)
            if element.get_property("value") != keys:
                if element.get_property("value"):
                    element.clear()
                element.send_keys(keys)
        except (StaleElementReferenceException, NoSuchElementException):
            return False
        return bool(
            driver.execute_script(
                "const e = document.querySelector(arguments[0]);"
                "return !!e && e.value === arguments[1];",
                selector,
                keys,
            )
        )

    wait_for(lambda: visible(driver, selector) and attempt(), f"typing into {selector}")
