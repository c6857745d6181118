""" "Can my students reach this?" (issue 15.5): the join link's address and the devices count.

The dashboard warns when the join link points at the mentor's own computer or at an address
inside a network (students on 4G or an isolated guest Wi-Fi cannot reach it) and shows how many
devices opened the session's page. The browser proof is in tests/test_e2e_facilitator.py.
"""

from __future__ import annotations

import pytest

from beeldwijs.errors import UnknownSession
from beeldwijs.facilitator.reach import ReachCheck, link_reach
from beeldwijs.store import ResponseStore

JOIN = "/voila/render/join.ipynb?code=ABCDEF"


@pytest.mark.parametrize(
    ("base", "reach"),
    [
        ("http://127.0.0.1:8866", "loopback"),
        ("http://127.8.0.3", "loopback"),
        ("http://localhost:8866", "loopback"),
        ("http://[::1]:8866", "loopback"),
        ("http://192.168.1.20:8866", "private"),
        ("http://10.0.0.7:8866", "private"),
        ("http://172.20.3.4:8866", "private"),
        ("http://169.254.10.1:8866", "private"),  # link-local: no DHCP, one cable
        ("http://100.72.1.9:8866", "private"),  # carrier-grade NAT: not reachable from outside
        ("http://[fd12::5]:8866", "private"),
        ("http://mentorlaptop:8866", "private"),  # a name without a domain
        ("http://mentorlaptop.local:8866", "private"),
        ("https://beeldwijs.school.nl", "public"),
        ("https://145.97.1.1", "public"),
    ],
)
def test_join_link_reach(base: str, reach: str) -> None:
    assert link_reach(base + JOIN) == reach


def test_warning_says_what_to_do_in_dutch() -> None:
    loopback = ReachCheck("http://127.0.0.1:8866" + JOIN)
    text = loopback.children[0].value
    assert 'role="alert"' in text and "alleen op deze computer zelf (127.0.0.1)" in text
    assert "zonder --local" in text
    private = ReachCheck("http://192.168.1.20:8866" + JOIN).children[0].value
    assert "4G" in private and "hetzelfde wifi-netwerk" in private and "192.168.1.20" in private
    assert ReachCheck("https://beeldwijs.school.nl" + JOIN).children[0].value == ""


def test_count_line_and_the_hint_when_pages_do_not_take_part() -> None:
    check = ReachCheck("https://beeldwijs.school.nl" + JOIN)
    assert "Nog geen apparaat" in check.count.value
    check.show(1, 1)
    assert "1 apparaat heeft de link geopend." in check.count.value
    assert "bw-reach-stuck" not in check.count.value
    check.show(3, 2)
    assert "3 apparaten hebben de link geopend." in check.count.value
    assert "websockets" in check.count.value  # opened, but one did not get through


def test_store_counts_devices_of_open_sessions_only(any_store: ResponseStore) -> None:
    store = any_store
    code = store.create_session("les").code
    assert store.opened_count(code) == 0
    store.count_opened(code.lower())
    store.count_opened(code, 3)  # the student server adds up a burst in one write
    assert store.opened_count(code) == 4
    store.close_session(code)
    store.count_opened(code)  # a page of a closed session is not admitted anyway
    assert store.opened_count(code) == 4
    with pytest.raises(UnknownSession):
        store.opened_count("ZZZZZZ")
