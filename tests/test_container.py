"""The compose stack for a school (compose.yaml, Containerfile, deploy/Caddyfile).

Marked ``container``: skipped with the reason when podman or podman-compose is missing
(``.ci/run`` installs them through tools/system-deps.sh). One stack per module
(tests/container_support.py); everything is reached through the HTTPS front on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from beeldwijs.texts import t
from tests.container_support import (
    HOST,
    Stack,
    compose_stack,
    container_engine_problem,
    engine_env,
)

_problem = container_engine_problem()
pytestmark = [
    pytest.mark.container,
    pytest.mark.skipif(_problem is not None, reason=_problem or ""),
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with compose_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running


def test_every_server_answers_healthz_through_the_front(stack: Stack) -> None:
    for path in ("/healthz", "/mentor/healthz", "/s1/healthz", "/s2/healthz"):
        reply = stack.https(path)
        assert reply.status == 200, (path, reply.body)
    assert json.loads(stack.https("/s1/healthz").body) == {"status": "ok"}


def test_healthz_reports_a_database_that_does_not_answer(stack: Stack) -> None:
    stack.compose("stop", "db")
    try:
        reply = stack.https("/s2/healthz")
        assert reply.status == 503
        assert json.loads(reply.body) == {"status": "database"}
    finally:
        stack.compose("start", "db")
    stack.wait_healthy()


def test_the_front_says_in_dutch_when_a_server_is_away(stack: Stack) -> None:
    """A student server that is down or (re)starting: the front's own Dutch page with what to do
    and when to try again, not Caddy's empty 502."""
    stack.compose("stop", "student2")
    try:
        reply = stack.https("/s2/voila/render/join.ipynb?code=ABCDEF")
        assert reply.status == 503, reply.status
        assert reply.headers.get("retry-after") == "30"
        assert '<html lang="nl">' in reply.body
        assert "Beeldwijs is even niet bereikbaar" in reply.body
        assert "laad de pagina dan opnieuw" in reply.body
        assert "frame-ancestors 'none'" in reply.headers.get("content-security-policy", "")
    finally:
        stack.compose("start", "student2")
    stack.wait_healthy()
    assert stack.https("/s2/healthz").status == 200


def test_http_redirects_to_https(stack: Stack) -> None:
    reply = stack.http("/voila/render/join.ipynb?code=ABCDEF")
    assert reply.status in (301, 302, 307, 308)
    assert reply.headers["location"].startswith(f"https://{HOST}/voila/render/join.ipynb")


def test_security_headers_on_every_page(stack: Stack) -> None:
    for path in ("/", "/s1/voila/render/join.ipynb", "/mentor/voila/render/dashboard.ipynb"):
        headers = stack.https(path).headers
        assert headers["strict-transport-security"].startswith("max-age=")
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff"
        assert "server" not in headers


def test_join_link_goes_to_one_of_the_student_servers(stack: Stack) -> None:
    seen = set()
    for _ in range(12):
        reply = stack.https("/voila/render/join.ipynb?code=ABCDEF")
        assert reply.status == 302
        match = re.fullmatch(
            r"/(s[12])/voila/render/join\.ipynb\?code=ABCDEF", reply.headers["location"]
        )
        assert match, reply.headers["location"]
        seen.add(match[1])
    assert seen == {"s1", "s2"}  # 12 draws of a fair coin: both sides with p = 1 - 2**-11


def test_student_page_is_served_and_the_dashboard_is_not(stack: Stack) -> None:
    page = stack.https("/s1/voila/render/join.ipynb?code=ABCDEF")
    assert page.status == 200 and '<html lang="nl"' in page.body
    assert stack.https("/s1/voila/render/dashboard.ipynb").status == 404
    # the mentors' server asks for a login before any page
    login = stack.https("/mentor/voila/render/dashboard.ipynb")
    assert login.status == 302 and "/mentor/login" in login.headers["location"]


def test_servers_run_as_non_root_on_read_only_code(stack: Stack) -> None:
    for service in ("facilitator", "student1"):
        assert stack.exec(service, "id", "-u").stdout.strip() != "0"
        denied = stack.exec(service, "touch", "/opt/beeldwijs/venv/x", check=False)
        assert denied.returncode != 0
        assert "Read-only file system" in denied.stderr or "Permission denied" in denied.stderr


def test_logs_hold_no_client_addresses(stack: Stack) -> None:
    stack.https("/s1/voila/render/nope.ipynb")  # a 404: tornado logs it with the client's address
    stack.https("/mentor/voila/render/nope.ipynb")
    stack.https("/nope")
    front = stack.address("front")  # the Voilà servers' only client
    for service in ("student1", "student2", "facilitator"):
        assert front not in stack.logs(service), service
    gateway = stack.gateway()  # the front's clients arrive from the host through the bridge
    logs = stack.logs("front")
    assert gateway not in logs and "remote_ip" not in logs and "client_ip" not in logs


# A wrong code asked by another device on the stack's network (the mentors' container: an
# address of its own), through the front like any student: the status and the page's message.
OTHER_DEVICE = """
import http.client, re, socket, ssl
context = ssl.create_default_context()
context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # the test CA is not in here
conn = http.client.HTTPSConnection("front", 443, context=context, timeout=120)
conn.sock = context.wrap_socket(socket.create_connection(("front", 443), 120),
                                server_hostname=HOST)
conn.request("GET", "/s1/voila/render/join.ipynb?code=NIETS9", headers={"Host": HOST})
reply = conn.getresponse()
said = re.search(r'class="bw-join-message"[^>]*>([^<]*)', reply.read().decode())
print(reply.status, said.group(1) if said else "")
"""


def test_the_limits_per_address_hold_per_student_behind_the_front(stack: Stack) -> None:
    """Behind the front every student used to arrive with the front's address: 30 wrong codes
    from one device locked the join page for the whole school. Now the front names each
    client (X-Real-IP, believed from the front only): the host's address is throttled after
    its 30 wrong codes, even while it sends forged X-Real-IP and X-Forwarded-For headers, and
    another device still gets the ordinary answer."""
    throttled = None
    for n in range(31):  # the code tries per address (30 in 5 minutes), and one more
        forged = f"192.0.2.{n + 1}"
        reply = stack.https(f"/s1/voila/render/join.ipynb?code=FOUT{n:02d}",
                            headers={"X-Real-IP": forged, "X-Forwarded-For": forged})  # fmt: skip
        if reply.status == 429:
            throttled = reply
            break
        assert reply.status == 200 and t("admission.refused") in reply.body, reply.status
    assert throttled is not None and t("admission.wait") in throttled.body
    other = stack.python("facilitator", OTHER_DEVICE.replace("HOST", repr(HOST)))
    assert other.strip() == f"200 {t('admission.refused')}"


# Three classes of one lesson in the stack's database: 7 and 6 students (shown in the overview)
# and 3 (fewer than k = 5: hidden), every student answering the lesson's first closed question.
SEED = """
import json, uuid
from beeldwijs.content import Library
from beeldwijs.store import ResponseStore, Submission
lesson = next(le for le in Library().lessons() if any(not q.is_open for q in le.questions))
question = next(q for q in lesson.questions if not q.is_open)
store = ResponseStore()
codes = []
for size in (7, 6, 3):
    code = store.create_session(lesson.id, class_label=f"klas {size}").code
    for n in range(size):
        option = question.options[n % len(question.options)].id
        store.submit(Submission(code, uuid.uuid4().hex, question.key, option, uuid.uuid4().hex))
    codes.append(code)
print(json.dumps({"lesson": lesson.id, "codes": codes}))
"""

# What the cross-class overview shows for a lesson: its sentences and its charts' text.
OVERVIEW = """
import json, re
from beeldwijs.facilitator.overview import Overview
overview = Overview()
overview.picker.value = LESSON
print(json.dumps([re.sub(r'data:image[^"]*', '', c.value) for c in overview.content.children]))
"""


def _documented_podman_commands() -> tuple[str, str]:
    """The backup and the restore command for Podman, as docs/container.md gives them."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "container.md").read_text()
    dump = re.search(r"^podman exec -i \S+ pg_dump .*$", doc, re.M)
    restore = re.search(r"^podman exec -i \S+ pg_restore .*$", doc, re.M)
    assert dump and restore, "docs/container.md lost its backup commands"
    return dump[0], restore[0]


def test_backup_restores_the_same_overview(stack: Stack, tmp_path: Path) -> None:
    seeded = json.loads(stack.python("facilitator", SEED))
    overview = OVERVIEW.replace("LESSON", repr(seeded["lesson"]))
    before = json.loads(stack.python("facilitator", overview))
    text = "\n".join(before)
    assert "3 sessies · 16 deelnemers" in text, text
    shown, hidden = seeded["codes"][:2], seeded["codes"][2]
    assert all(f"{code}: " in text for code in shown) and hidden not in text, text

    dump_cmd, restore_cmd = _documented_podman_commands()
    db = stack.container("db")
    dump = tmp_path / "beeldwijs.dump"
    shell = {**engine_env(), "PATH": os.environ["PATH"]}
    dump_cmd = re.sub(r"-i \S+ ", f"-i {db} ", dump_cmd.split(" > ")[0]) + f" > {dump}"
    subprocess.run(dump_cmd, shell=True, check=True, env=shell, timeout=300)  # noqa: S602
    assert dump.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format, nothing else in it

    stack.exec("db", "createdb", "-U", "beeldwijs", "herstel")  # a fresh, empty database
    restore_cmd = re.sub(r"-i \S+ ", f"-i {db} ", restore_cmd.split(" < ")[0])
    restore_cmd = restore_cmd.replace("-d beeldwijs", "-d herstel") + f" < {dump}"
    subprocess.run(restore_cmd, shell=True, check=True, env=shell, timeout=300)  # noqa: S602

    after = json.loads(
        stack.python("facilitator", overview, env={"BEELDWIJS_DB": stack.db_url("herstel")})
    )
    assert after == before


def test_compose_file_and_containerfile_agree() -> None:
    root = Path(__file__).resolve().parents[1]
    compose = (root / "compose.yaml").read_text()
    containerfile = (root / "Containerfile").read_text()
    assert "ARG BASE=docker.io/library/debian:bookworm-slim" in containerfile
    assert re.search(r"^USER beeldwijs$", containerfile, re.M)
    assert compose.count("read_only: true") == 1  # in the anchor every Beeldwijs server uses
    for service in ("facilitator", "student1", "student2"):
        assert f"{service}:\n    <<: *beeldwijs" in compose
