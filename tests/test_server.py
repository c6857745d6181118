"""The two Voilà servers: real processes, plain HTTP and Debian's Chromium (no mocks).

`run_servers` runs in a child process (so Ctrl-C/SIGTERM are real signals) on free ports with
``local=True``. One pair of servers is shared by most tests; the tests that stop, kill or cull
start their own.
"""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from traitlets.utils.importstring import import_item

from beeldwijs.serve import zmqteardown
from beeldwijs.serve.commands import facilitator_command, server_env, student_command
from beeldwijs.serve.logfilter import hide_addresses
from beeldwijs.serve.options import ServerOptions, facilitator_url, lan_address, student_url
from beeldwijs.serve.supervisor import run_servers
from beeldwijs.store import ResponseStore
from tests.shared import free_ports, http_get, write_notebook

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
STUDENT_MARKER = "MARKER-HELLO"
CLICKED_MARKER = "MARKER-CLICKED"
DASHBOARD_MARKER = "MARKER-DASHBOARD"
LESSON_TITLE = "Hallo, dit is de testles"
START_TIMEOUT = 120.0

LESSON_SOURCE = f"""\
import ipywidgets as widgets
label = widgets.Label("{STUDENT_MARKER}")
button = widgets.Button(description="Klik", icon="check")
button.on_click(lambda _: setattr(label, "value", "{CLICKED_MARKER}"))
widgets.VBox([label, button])
"""
BROKEN_SOURCE = 'raise RuntimeError("a cell that fails")\n'
DASHBOARD_SOURCE = f"""\
import os
import ipywidgets as widgets
print("ENV", *(os.environ[name] for name in ("BEELDWIJS_K", "BEELDWIJS_DB", "BEELDWIJS_STUDENT_URL")))
widgets.Label("{DASHBOARD_MARKER}")
"""


# --------------------------------------------------------------------------- helpers


def _make_root(root: Path) -> Path:
    write_notebook(root / "lessons" / "hello.ipynb", LESSON_SOURCE, LESSON_TITLE)
    write_notebook(root / "lessons" / "broken.ipynb", BROKEN_SOURCE, LESSON_TITLE)
    (root / "lessons" / "damaged.ipynb").write_text("{")  # Voilà cannot read it: HTTP 400
    write_notebook(root / "facilitator" / "dashboard.ipynb", DASHBOARD_SOURCE, "Dashboard")
    return root


def _port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _kernel_id(html: str) -> str:
    match = re.search(r'"kernelId": "([0-9a-f-]+)"', html)
    assert match, "no kernelId in page"
    return match.group(1)


def _kernel_processes(kernel_id: str) -> list[int]:
    """PIDs whose command line mentions `kernel_id` (the kernel's connection file)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if kernel_id.encode() in cmdline:
                pids.append(int(entry.name))
    return pids


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


@dataclass
class Run:
    """`run_servers` in a child process, its output in a file."""

    process: subprocess.Popen[bytes]
    options: ServerOptions
    log_path: Path
    code: str  # an open session: a page gets a kernel only with one (beeldwijs.serve.admission)

    @property
    def student(self) -> str:
        return f"http://127.0.0.1:{self.options.student_port}"

    def page(self, notebook: str = "hello.ipynb") -> str:
        return f"{self.student}/voila/render/{notebook}?code={self.code}"

    @property
    def facilitator(self) -> str:
        return f"http://127.0.0.1:{self.options.facilitator_port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while "Mentor (dashboard):" not in self.log():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"servers did not start:\n{self.log()}")
            time.sleep(0.1)

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()  # not left running (and reported) after the test
            self.process.wait()
            raise


def _start_run(root: Path, log_path: Path, **overrides: int) -> Run:
    student_port, facilitator_port = free_ports(2)
    options = ServerOptions(
        root=root,
        db=str(root.parent / f"{root.name}.sqlite"),
        student_port=student_port,
        facilitator_port=facilitator_port,
        local=True,
        **overrides,
    )
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from beeldwijs.serve.options import ServerOptions\n"
        "from beeldwijs.serve.supervisor import run_servers\n"
        f"sys.exit(run_servers(ServerOptions(root=Path({str(root)!r}), db={options.db!r}, "
        f"student_port={student_port}, facilitator_port={facilitator_port}, local=True, "
        f"cull_idle_timeout={options.cull_idle_timeout}, cull_interval={options.cull_interval}, "
        "joins_per_minute=0)))\n"  # every request comes from 127.0.0.1 here
    )
    store = ResponseStore(options.db)
    code = store.create_session("hello").code
    store.close()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", script], stdout=log, stderr=subprocess.STDOUT, env=env
        )
    return Run(process=process, options=options, log_path=log_path, code=code)


@pytest.fixture
def make_run(tmp_path: Path) -> Iterator[Callable[..., Run]]:
    """Start a private pair of servers; stopped (and checked for a clean exit) afterwards."""
    runs: list[Run] = []

    def make(**overrides: int) -> Run:
        root = _make_root(tmp_path / f"root{len(runs)}")
        run = _start_run(root, tmp_path / f"run{len(runs)}.log", **overrides)
        runs.append(run)
        run.wait_ready()
        return run

    yield make
    for run in runs:
        run.stop()


@pytest.fixture(scope="module")
def shared_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    base = tmp_path_factory.mktemp("servers")
    run = _start_run(_make_root(base / "root"), base / "run.log")
    run.wait_ready()
    yield run
    assert run.stop() == 0, run.log()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# --------------------------------------------------------------------------- commands and env


def _options(tmp_path: Path, **overrides: Any) -> ServerOptions:
    return ServerOptions(root=_make_root(tmp_path / "root"), db="store.sqlite", **overrides)


def _flag(argv: list[str], name: str) -> str:
    values = [arg.split("=", 1)[1] for arg in argv if arg.startswith(f"--{name}=")]
    assert len(values) == 1, (name, argv)
    return values[0]


def test_student_server_listens_on_all_interfaces_unless_local(tmp_path: Path) -> None:
    assert _flag(student_command(_options(tmp_path)), "Voila.ip") == "0.0.0.0"
    assert _flag(student_command(_options(tmp_path, local=True)), "Voila.ip") == "127.0.0.1"


def test_facilitator_server_is_always_loopback(tmp_path: Path) -> None:
    for local in (False, True):
        argv = facilitator_command(_options(tmp_path, local=local))
        assert _flag(argv, "Voila.ip") == "127.0.0.1"


def test_each_server_serves_only_its_own_folder(tmp_path: Path) -> None:
    options = _options(tmp_path)
    student = student_command(options)
    assert student[1:4] == [
        "-m",
        "beeldwijs.serve.studentserver",
        str(options.lessons_dir.resolve()),
    ]
    assert facilitator_command(options)[3] == str(options.facilitator_dir.resolve())


def test_every_voila_option_exists_and_is_configurable(tmp_path: Path) -> None:
    """traitlets ignores `--Unknown.option=…` silently, so a typo would switch a safeguard off."""
    from jupyter_client.manager import KernelManager
    from jupyter_client.multikernelmanager import MultiKernelManager
    from jupyter_server.services.kernels.kernelmanager import MappingKernelManager
    from voila.app import Voila
    from voila.configuration import VoilaConfiguration
    from voila.execute import VoilaExecutor
    from voila.exporter import VoilaExporter

    from beeldwijs.serve.studentserver import StudentVoila

    classes = {
        cls.__name__: cls
        for cls in (
            Voila,
            VoilaConfiguration,
            VoilaExecutor,
            VoilaExporter,
            MappingKernelManager,
            MultiKernelManager,
            KernelManager,
            StudentVoila,
        )
    }
    argv = student_command(_options(tmp_path, trusted_proxy="front"))
    options = [arg[2:].split("=", 1)[0] for arg in argv if arg.startswith("--")]
    assert "StudentVoila.trusted_proxy" in options
    assert options
    for option in options:
        class_name, trait = option.split(".")
        assert trait in classes[class_name].class_traits(config=True), option


def test_safeguards_are_set(tmp_path: Path) -> None:
    argv = student_command(_options(tmp_path, cull_idle_timeout=900, cull_interval=30))
    assert _flag(argv, "VoilaConfiguration.allow_template_override") == "NO"
    assert _flag(argv, "VoilaConfiguration.allow_theme_override") == "NO"
    assert _flag(argv, "VoilaConfiguration.show_tracebacks") == "False"
    # the student pages' own front end (docs/decisions/lean-student-front-end.md); the mentors'
    # pages keep Voilà's
    assert _flag(argv, "VoilaConfiguration.template") == "beeldwijs-student"
    assert (
        _flag(facilitator_command(_options(tmp_path)), "VoilaConfiguration.template") == "beeldwijs"
    )
    assert _flag(argv, "MappingKernelManager.cull_idle_timeout") == "900"
    assert _flag(argv, "MappingKernelManager.cull_interval") == "30"
    assert _flag(argv, "VoilaExecutor.iopub_timeout") == "60"
    assert _flag(argv, "MultiKernelManager.shared_context") == "False"
    # each kernel's streams closed before its own context goes, on both servers
    for server in (argv, facilitator_command(_options(tmp_path))):
        assert _flag(server, "MultiKernelManager.kernel_manager_class") == zmqteardown.NAME
    assert import_item(zmqteardown.NAME) is zmqteardown.StreamSafeKernelManager
    assert _flag(argv, "Voila.port_retries") == "0"
    assert _flag(argv, "Voila.open_browser") == "False"


def test_server_env(tmp_path: Path) -> None:
    options = _options(tmp_path, k=7)
    env = server_env(options)
    assert env["BEELDWIJS_DB"] == str(Path("store.sqlite").resolve())
    assert env["BEELDWIJS_K"] == "7"
    assert env["BEELDWIJS_STUDENT_URL"] == student_url(options)
    data_dir = Path(env["JUPYTER_PATH"].split(os.pathsep)[0])
    assert (data_dir / "voila" / "templates" / "beeldwijs" / "conf.json").is_file()
    config_dir = Path(env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0])
    assert (config_dir / "voila.json").is_file()


def test_database_url_is_passed_unchanged(tmp_path: Path) -> None:
    url = "postgresql://beeldwijs@db.school.lan/beeldwijs"
    options = ServerOptions(root=_make_root(tmp_path / "root"), db=url)
    assert server_env(options)["BEELDWIJS_DB"] == url


def test_urls(tmp_path: Path) -> None:
    local = _options(tmp_path, local=True, student_port=9000, facilitator_port=9001)
    assert student_url(local) == "http://127.0.0.1:9000"
    assert facilitator_url(local) == "http://127.0.0.1:9001/voila/render/dashboard.ipynb"
    lan = student_url(_options(tmp_path, student_port=9000))
    assert re.fullmatch(r"http://[\d.]+:9000", lan)
    assert not lan.startswith("http://0.")


@pytest.mark.parametrize(
    ("field", "value"),
    [("student_port", 0), ("facilitator_port", 70000), ("k", 0), ("cull_idle_timeout", 0)],
)
def test_invalid_options_are_refused(tmp_path: Path, field: str, value: int) -> None:
    with pytest.raises(ValueError, match=field):
        _options(tmp_path, **{field: value})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "404 GET /voila/render/x.ipynb (192.168.1.23) 3.10ms",
            "404 GET /voila/render/x.ipynb (-) 3.10ms",
        ),
        ("403 GET /api/kernels/abc (::1) 1.00ms", "403 GET /api/kernels/abc (-) 1.00ms"),
        ("Malformed HTTP message from 10.0.0.5: bad", "Malformed HTTP message from -: bad"),
        ("HTTPServerRequest(remote_ip='fe80::1%eth0')", "HTTPServerRequest(remote_ip='-')"),
        ("200 GET /x?t=12:30:45 (2001:db8::7) 21.82ms", "200 GET /x?t=12:30:45 (-) 21.82ms"),
    ],
)
def test_hide_addresses(text: str, expected: str) -> None:
    assert hide_addresses(text) == expected


# --------------------------------------------------------------------------- refusing to start


def test_port_in_use_names_port_and_option(tmp_path: Path) -> None:
    root = _make_root(tmp_path / "root")
    for option_name in ("--student-port", "--facilitator-port"):
        student_port, facilitator_port = free_ports(2)
        busy = student_port if option_name == "--student-port" else facilitator_port
        with socket.socket() as blocker:
            blocker.bind(("127.0.0.1", busy))
            blocker.listen()
            out = io.StringIO()
            options = ServerOptions(
                root=root,
                db=str(tmp_path / "x.sqlite"),
                student_port=student_port,
                facilitator_port=facilitator_port,
                local=True,
            )
            assert run_servers(options, out=out) == 1
        assert f"Poort {busy} is al in gebruik" in out.getvalue()
        assert f"Port {busy} is already in use" in out.getvalue()
        assert option_name in out.getvalue()


def test_database_inside_a_served_folder_is_refused(tmp_path: Path) -> None:
    root = _make_root(tmp_path / "root")
    out = io.StringIO()
    options = ServerOptions(root=root, db=str(root / "lessons" / "x.sqlite"), local=True)
    assert run_servers(options, out=out) == 1
    assert "staat in een map die Voilà serveert" in out.getvalue()


def test_same_port_twice_is_refused(tmp_path: Path) -> None:
    out = io.StringIO()
    options = ServerOptions(
        root=_make_root(tmp_path / "root"), db="x", student_port=9000, facilitator_port=9000
    )
    assert run_servers(options, out=out) == 1
    assert "--student-port" in out.getvalue()


# --------------------------------------------------------------------------- running servers


def test_urls_are_printed_in_dutch(shared_run: Run) -> None:
    log = shared_run.log()
    assert f"Leerlingen: {shared_run.student}\n" in log
    assert f"Mentor (dashboard): {shared_run.facilitator}/voila/render/dashboard.ipynb\n" in log


def test_student_server_does_not_serve_the_dashboard(shared_run: Run) -> None:
    status, _ = http_get(f"{shared_run.student}/voila/render/dashboard.ipynb")
    assert status == 404
    status, body = http_get(f"{shared_run.student}/voila/render/../facilitator/dashboard.ipynb")
    assert status in (400, 403, 404)
    assert DASHBOARD_MARKER not in body


def test_facilitator_server_does_not_serve_lessons(shared_run: Run) -> None:
    status, _ = http_get(f"{shared_run.facilitator}/voila/render/hello.ipynb")
    assert status == 404
    status, body = http_get(f"{shared_run.facilitator}/voila/render/dashboard.ipynb")
    assert status == 200
    assert DASHBOARD_MARKER in body


def test_kernels_get_database_threshold_and_student_url(shared_run: Run) -> None:
    status, html = http_get(f"{shared_run.facilitator}/voila/render/dashboard.ipynb")
    assert status == 200
    assert f"ENV 5 {shared_run.options.db} {shared_run.student}" in html


def test_not_found_page_is_dutch(shared_run: Run) -> None:
    status, body = http_get(f"{shared_run.student}/voila/render/bestaat-niet.ipynb")
    assert status == 404
    assert "Deze pagina bestaat niet" in body


def test_facilitator_server_is_bound_to_loopback_only(shared_run: Run) -> None:
    address = lan_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    for port in (shared_run.options.facilitator_port, shared_run.options.student_port):
        with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
            sock.settimeout(5)
            sock.connect((address, port))
    with socket.create_connection(("127.0.0.1", shared_run.options.facilitator_port), timeout=5):
        pass


def test_facilitator_server_refuses_foreign_host_names(shared_run: Run) -> None:
    """DNS rebinding: a page whose name resolves to 127.0.0.1 must not reach the dashboard."""
    port = shared_run.options.facilitator_port
    dashboard = f"{shared_run.facilitator}/voila/render/dashboard.ipynb"
    assert http_get(dashboard, {"Host": f"rebind.example:{port}"})[0] == 403
    assert http_get(dashboard, {"Host": f"localhost:{port}"})[0] == 200


def test_student_server_accepts_its_lan_address_as_host(shared_run: Run) -> None:
    port = shared_run.options.student_port
    assert http_get(f"{shared_run.student}/", {"Host": f"192.168.1.20:{port}"})[0] == 200


def test_page_title_language_and_loading_text(shared_run: Run) -> None:
    status, html = http_get(shared_run.page())
    assert status == 200
    assert '<html lang="nl">' in html
    assert f"<title>{LESSON_TITLE}</title>" in html
    assert '<h2 id="loading_text">Bezig met starten…</h2>' in html
    assert "Bezig met laden… stap ${cell_index} van ${cell_count}" in html
    for english in ("Running ", "Executing ", "Reading "):
        assert english not in html


def test_template_and_theme_overrides_are_ignored(shared_run: Run) -> None:
    status, html = http_get(f"{shared_run.page()}&template=lab&theme=dark")
    assert status == 200
    assert "Bezig met starten…" in html
    assert "theme-light" in html
    assert "theme-dark" not in html
    assert "fontawesome" not in html  # the lab template would link Font Awesome from a CDN


def test_log_has_no_client_addresses(shared_run: Run) -> None:
    http_get(f"{shared_run.student}/voila/render/nope.ipynb")
    deadline = time.monotonic() + 10
    while "404 GET /voila/render/nope.ipynb" not in shared_run.log():
        assert time.monotonic() < deadline, shared_run.log()
        time.sleep(0.1)
    log = shared_run.log()
    assert "404 GET /voila/render/nope.ipynb (-)" in log
    assert "(127.0.0.1)" not in log


@pytest.mark.browser
def test_student_page_renders_widget_offline(shared_run: Run, browser: Browser) -> None:
    """The widget appears and works with every non-local request blocked (no internet)."""
    page = browser.new_page()
    remote: list[str] = []

    def only_local(route: Route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:")):
            route.continue_()
        else:
            remote.append(url)
            route.abort()

    page.route("**/*", only_local)
    files: list[str] = []
    page.on("request", lambda request: files.append(request.url.split("?")[0]))
    try:
        page.goto(shared_run.page())
        page.get_by_text(STUDENT_MARKER).wait_for(timeout=60_000)
        assert page.title() == LESSON_TITLE
        assert page.evaluate("document.documentElement.lang") == "nl"
        assert page.locator("#loading").count() == 0
        # the page's own front end, not Voilà's (docs/decisions/lean-student-front-end.md):
        # one script and two stylesheets; no student screen has an icon, so no icon font
        statics = sorted({url.rsplit("/", 1)[1] for url in files if "/static/" in url})
        assert statics == ["student.css", "student.js", "theme-light.css"], files
        page.get_by_role("button", name="Klik").click()
        page.get_by_text(CLICKED_MARKER).wait_for(timeout=30_000)
        assert remote == []
    finally:
        page.close()


def test_error_pages_of_our_template_are_dutch() -> None:
    """Voilà renders `<status>.html` or `error.html` from the template folder (a server error
    while starting a page, a refused request); ours says what happened in Dutch."""
    import jinja2
    from voila.paths import collect_template_paths

    from beeldwijs.serve.codepage import full_page
    from beeldwijs.serve.commands import TEMPLATE_NAME

    paths = collect_template_paths(["voila"], "lab")  # our template's base (conf.json)
    ours = REPO / "beeldwijs" / "serve" / "share" / "jupyter" / "voila" / "templates"
    loader = jinja2.FileSystemLoader([str(ours / TEMPLATE_NAME), *paths])
    env = jinja2.Environment(loader=loader, autoescape=True)  # as Voilà renders them
    pages = {
        500: env.get_template("error.html").render(status_code=500),
        405: env.get_template("error.html").render(status_code=405),
        404: env.get_template("404.html").render(status_code=404),
        503: str(full_page()),  # ours, written by the student server (serve/codepage.py)
    }
    assert (
        "<title>Er ging iets mis</title>" in pages[500] and "Laad de pagina opnieuw" in pages[500]
    )
    assert "<title>Deze pagina gaat niet open</title>" in pages[405]
    assert "<h1>Pagina niet gevonden</h1>" in pages[404]
    assert "De klas is vol" in pages[503]
    for html in pages.values():
        assert '<html lang="nl"' in html and 'role="alert"' in html
        assert not _english(html.split("<body>", 1)[1]), html


#: What a student may see before the first question: Voilà's own words, all English.
ENGLISH = ("Running", "Executing", "Reading", "Loading", "There was an error", "Error",
           "Internal Server", "Not Found", "Voilà requires", "Please", "timed out")  # fmt: skip


def _english(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


@pytest.mark.browser
def test_what_a_student_sees_while_the_page_loads_is_dutch(
    shared_run: Run, browser: Browser
) -> None:
    """Every text the loading screen shows until the first widget, the message of a cell that
    failed, the page without JavaScript and the error page of a page that cannot start."""
    page = browser.new_page()
    try:
        page.add_init_script(
            """window.bwSeen = []; window.bwTexts = [];
            new MutationObserver((records) => {
              const el = document.getElementById("loading_text");
              if (el && window.bwSeen[window.bwSeen.length - 1] !== el.textContent) {
                window.bwSeen.push(el.textContent);
              }
              for (const r of records) {  // every text put into the page (read at the end)
                r.addedNodes.forEach((n) => {
                  if (n.nodeType === 3) { window.bwTexts.push(n); return; }
                  if (n.nodeType !== 1 || n.tagName === "SCRIPT" || n.tagName === "STYLE") return;
                  const walk = document.createTreeWalker(n, NodeFilter.SHOW_TEXT);
                  while (walk.nextNode()) window.bwTexts.push(walk.currentNode);
                });
              }
            }).observe(document, {subtree: true, childList: true, characterData: true});"""
        )
        page.goto(shared_run.page())
        page.get_by_text(STUDENT_MARKER).wait_for(timeout=60_000)
        seen = page.evaluate("window.bwSeen")
        assert seen and seen[0] == "Bezig met starten…", seen
        assert all(text.startswith("Bezig met") for text in seen), seen
        # the widget manager's placeholder, in each widget's place until the widgets are there
        texts = page.evaluate(
            """window.bwTexts.filter((n) => !["SCRIPT", "STYLE"].includes(n.parentNode?.tagName))
                .map((n) => n.data.trim()).filter((t) => t)"""
        )
        assert "Bezig met laden…" in texts
        assert not _english(" ".join(texts)), [t for t in texts if _english(t)]
        assert not _english(page.title() + page.inner_text("body"))

        page.goto(shared_run.page("broken.ipynb"))
        failed = page.locator(".bw-cell-error")
        failed.wait_for(timeout=60_000)
        assert failed.get_attribute("role") == "alert"
        assert "Er ging iets mis op deze pagina" in failed.inner_text()
        assert not _english(page.inner_text("body")), page.inner_text("body")
    finally:
        page.close()

    no_script = browser.new_context(java_script_enabled=False)
    try:
        page = no_script.new_page()
        page.goto(shared_run.page())
        assert page.locator(".bw-noscript").is_visible()
        assert "JavaScript aan" in page.locator(".bw-noscript").inner_text()
        assert not _english(page.inner_text("body")), page.inner_text("body")

        response = page.goto(shared_run.page("damaged.ipynb"))
        assert response is not None and response.status == 400
        assert page.title() == "Deze pagina gaat niet open"
        assert page.evaluate("document.documentElement.lang") == "nl"
        assert "vraag je mentor" in page.get_by_role("alert").inner_text()
        assert not _english(page.title() + page.inner_text("body")), page.inner_text("body")
    finally:
        no_script.close()


@pytest.mark.browser
@pytest.mark.parametrize("side", ["student", "facilitator"])
def test_a_page_renders_and_a_tab_that_leaves_stops_its_kernel(
    shared_run: Run, browser: Browser, side: str
) -> None:
    """A lesson page (student server) and the dashboard (facilitator server) render; left for
    another address, the page says so on its way out and its server stops its kernel at once
    (no culling in this run): the student server on the page's own secret cookie, the
    facilitator server with the ``_xsrf`` cookie its pages now get (voila#1458)."""
    if side == "student":
        url, marker = shared_run.page(), STUDENT_MARKER
    else:
        url, marker = f"{shared_run.facilitator}/voila/render/dashboard.ipynb", DASHBOARD_MARKER
    page = browser.new_page()
    try:
        page.goto(url)
        page.get_by_text(marker).wait_for(timeout=60_000)
        kernel_id = page.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
        )
        assert _kernel_processes(kernel_id)
        page.goto("about:blank")
    finally:
        page.close()
    deadline = time.monotonic() + 30
    while _kernel_processes(kernel_id):
        assert time.monotonic() < deadline, shared_run.log()[-2000:]
        time.sleep(0.5)


def test_sigint_stops_both_servers_and_their_kernels(make_run: Callable[..., Run]) -> None:
    run: Run = make_run()
    _, html = http_get(run.page())
    kernel_id = _kernel_id(html)
    assert _kernel_processes(kernel_id)
    assert run.stop(signal.SIGINT) == 0, run.log()
    assert "Beeldwijs stopt de servers" in run.log()
    for port in (run.options.student_port, run.options.facilitator_port):
        assert _port_free(port)
    deadline = time.monotonic() + 10
    while _kernel_processes(kernel_id):
        assert time.monotonic() < deadline, "kernel still running after stop"
        time.sleep(0.2)


def test_one_server_dying_stops_the_other(make_run: Callable[..., Run]) -> None:
    run: Run = make_run()
    port_flag = f"--Voila.port={run.options.facilitator_port}".encode()
    (facilitator_pid,) = [
        pid
        for pid in _children(run.process.pid)
        if port_flag in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    ]
    os.kill(facilitator_pid, signal.SIGKILL)
    assert run.process.wait(timeout=60) == 1
    assert "De mentorserver is onverwacht gestopt" in run.log()
    assert _port_free(run.options.student_port)


@pytest.mark.browser
def test_open_tab_is_kept_and_closed_tab_is_culled(
    make_run: Callable[..., Run], browser: Browser
) -> None:
    """With a 3 s idle timeout: an idle but open page keeps its kernel, a closed one loses it."""
    run: Run = make_run(cull_idle_timeout=3, cull_interval=1)
    page = browser.new_page()
    page.goto(run.page())
    page.get_by_text(STUDENT_MARKER).wait_for(timeout=60_000)
    kernel_id = page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )
    # the kernel's REST model answers the page that holds its secret (beeldwijs.serve.admission)
    secret = next(c["value"] for c in page.context.cookies() if c["name"] == "beeldwijs-page")
    model = f"{run.student}/api/kernels/{kernel_id}"
    time.sleep(6)  # idle for twice the timeout, tab open
    status, _ = http_get(model, {"Cookie": f"beeldwijs-page={secret}"})
    assert status == 200
    page.get_by_role("button", name="Klik").click()
    page.get_by_text(CLICKED_MARKER).wait_for(timeout=30_000)
    # the widgets work with only the cookies docs/privacy.md lists: no Jupyter "username-…" (30 days)
    names = {c["name"] for c in page.context.cookies()}
    assert names <= {"beeldwijs-browser", "beeldwijs-page", "beeldwijs-taal"}, names
    page.close()
    deadline = time.monotonic() + 30
    while http_get(model, {"Cookie": f"beeldwijs-page={secret}"})[0] != 404:
        assert time.monotonic() < deadline, "kernel of a closed tab was not culled"
        time.sleep(0.5)
    assert "Culling" in run.log()
