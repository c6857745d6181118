"""Class join: N students open the join link at once (or over minutes) and answer questions.

Students are simulated at the protocol level, as a browser talks to Voilà: an HTTP GET of the page,
then the kernel websocket ``/api/kernels/<id>/channels`` with the widget messages a browser sends
(``request_states`` on the ``jupyter.widget.control`` comm, then ``update`` and ``custom`` click
messages to the models it picks by their state: ``_dom_classes``, ``options``, ``storage_key``).
No static assets are fetched: a browser also loads ≈ 5 MB of JavaScript and CSS (cached after the
first student), which this measures separately with three real Chromium students.

The same run measures a **bare Voilà baseline**: a notebook with one RadioButtons and a Button,
served by the same student server command (same Voilà settings, same pool and cap), so the ratios
ours/baseline compare like with like.

Our students send the page's address and token and click "Begin" (already on the page, see
beeldwijs/widgets/intro.py) one after the other without waiting, as a browser does for a student
who does not stop to read the notice.

Figures per app: time to interactive (GET → first question answerable) p50/p95/max; answer round
trip (click on "send" → the kernel's ``bw-saved`` update) p50/p95; server CPU-seconds per student
(the server's CPU during the run plus the whole life of each student's kernel); memory per student
(PSS of the server plus the student kernels, from /proc/<pid>/smaps_rollup); peak PSS of the server
and all its kernels; failures. The last line is one JSON object.

    python bench/class_join.py                       # burst of 30, pool 30
    python bench/class_join.py --students 300 --arrival 300 --pool-size 30   # a year group
    python bench/class_join.py --questions 3 --no-baseline --browsers 0
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from beeldwijs.serve.commands import server_env, student_command  # noqa: E402
from beeldwijs.serve.kernels import prepare_kernels  # noqa: E402
from beeldwijs.serve.options import ServerOptions  # noqa: E402
from beeldwijs.store import ResponseStore  # noqa: E402
from tests.shared import (  # noqa: E402
    answers,
    descendants,
    free_port,
    pss_mb,
    stop_group,
    write_notebook,
)

LESSON = "beelden-en-jij"
CLEANUP = contextlib.ExitStack()
CLASS_SIZE = 30
CLK_TCK = os.sysconf("SC_CLK_TCK")
KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]+)"')
#: The websocket protocol browsers use with jupyter_server 2 (the server forwards messages
#: without parsing their content); the legacy JSON protocol costs the server more per message.
V1 = "v1.kernel.websocket.jupyter.org"

BASELINE_SOURCE = """\
import ipywidgets as widgets
choice = widgets.RadioButtons(options=["Ja", "Nee", "Weet ik niet"], description="Vraag")
button = widgets.Button(description="Verstuur")
button.add_class("bw-submit")
saved = widgets.Label("")
button.on_click(lambda _: setattr(saved, "value", f"bw-saved {choice.value}"))
widgets.VBox([choice, button, saved])
"""


# --------------------------------------------------------------------------- processes


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def kernel_pids(server_pid: int) -> dict[str, int]:
    """kernel id → pid, from the kernels' command lines (their connection file names)."""
    found = {}
    for pid in descendants(server_pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        match = re.search(r"kernel-([0-9a-f-]{36})\.json", cmdline)
        if match:
            found[match.group(1)] = pid
    return found


def server_pids(root_pid: int) -> list[int]:
    """The student Voilà processes: the root itself, or the ones `beeldwijs start` runs."""
    found = []
    for pid in [root_pid, *descendants(root_pid)]:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"beeldwijs.serve.studentserver" in cmdline:
            found.append(pid)
    return found


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --------------------------------------------------------------------------- a student


#: The message of our code page (serve/codepage.py): why a page came without a kernel.
CODE_PAGE_MESSAGE = re.compile(r'class="bw-join-message"[^>]*>([^<]{0,120})')


class StudentFailed(Exception):
    pass


@dataclass
class Student:
    """One simulated browser: page, websocket, widget models, actions."""

    base: str
    path: str
    code: str
    app: str  # "ours" | "baseline"
    questions: int
    timeout: float
    tti: float | None = None
    round_trips: list[float] = field(default_factory=list)
    kernel_id: str = ""
    error: str = ""
    phases: dict[str, float] = field(default_factory=dict)
    served_by: str = ""  # the server's base URL after redirects (scale-out: …/s1)
    ssl: Any = None  # an ssl.SSLContext for https/wss (the compose stack's private CA)
    page_secret: str = ""  # the page's kernel cookie (serve/admission.py)
    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    _ws: Any = None
    _idle: dict[str, asyncio.Event] = field(default_factory=dict)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _session: str = field(default_factory=lambda: uuid.uuid4().hex)

    async def run(self) -> None:
        started = time.perf_counter()
        try:
            await asyncio.wait_for(self._run(started), self.timeout)
        except Exception as exc:  # noqa: BLE001 - every failure is a figure
            reached = f"after {list(self.phases)[-1]}" if self.phases else "before the page"
            self.error = f"{reached}: {type(exc).__name__}: {exc}"[:300]

    async def _run(self, started: float) -> None:
        html = await self._get_page()
        self._phase("page", started)
        match = KERNEL_ID.search(html)
        if not match:  # our code page instead of the lesson: say which of its messages
            said = CODE_PAGE_MESSAGE.search(html)
            raise StudentFailed(f"no kernelId in page{f' ({said.group(1)})' if said else ''}")
        self.kernel_id = match.group(1)
        from websockets.asyncio.client import connect

        url = self.served_by.replace("http", "ws", 1)
        url += f"/api/kernels/{self.kernel_id}/channels?session_id={self._session}"
        # our student server binds a kernel to its page with a cookie (serve/admission.py)
        cookie = {"Cookie": f"beeldwijs-page={self.page_secret}"} if self.page_secret else None
        async with connect(
            url,
            subprotocols=[V1],
            max_size=2**26,
            open_timeout=60,
            ping_interval=None,
            additional_headers=cookie,
            ssl=self.ssl,
        ) as ws:
            self._ws = ws
            self._phase("websocket", started)
            reader = asyncio.create_task(self._read())
            try:
                await self._send("kernel_info_request", {})
                control = uuid.uuid4().hex
                await self._send(
                    "comm_open",
                    {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                    {"version": "1.0.0"},  # the widget control protocol, as the browser sends
                )
                await self._act(control, {"method": "request_states"})
                self._phase("widget_states", started)
                if self.app == "ours":
                    await self._ours(started)
                else:
                    await self._baseline(started)
            finally:
                reader.cancel()

    def _phase(self, name: str, started: float) -> None:
        self.phases[name] = time.perf_counter() - started

    async def _get_page(self) -> str:
        import httpx

        verify = self.ssl if self.ssl is not None else True
        async with httpx.AsyncClient(
            trust_env=False, timeout=self.timeout, verify=verify, **self._client_options()
        ) as client:
            response = await client.get(f"{self.base}{self.path}", follow_redirects=True)
            if response.status_code != 200:
                raise StudentFailed(f"HTTP {response.status_code} {response.reason_phrase}")
            # behind nginx the page moved to its server's prefix (/s1/…): the websocket goes there
            self.served_by = str(response.url).split("/voila/render/")[0]
            secrets = [
                header.split("=", 1)[1].split(";", 1)[0]
                for header in response.headers.get_list("set-cookie")
                if header.split("=", 1)[0].strip() == "beeldwijs-page"
            ]
            self.page_secret = secrets[0] if secrets else ""  # as tests/kernel_client.set_cookies
            await self._page_loaded(client, response)
        return response.text

    def _client_options(self) -> dict[str, Any]:
        """Extra ``httpx.AsyncClient`` options (a browser-like student sets its own)."""
        return {}

    async def _page_loaded(self, client: Any, response: Any) -> None:
        """What a browser fetches after the page, before the websocket (nothing here)."""

    # -- protocol -------------------------------------------------------------------------------
    async def _send(
        self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None
    ) -> str:
        msg_id = uuid.uuid4().hex
        self._idle[msg_id] = asyncio.Event()
        from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

        header = {
            "msg_id": msg_id,
            "username": "",
            "session": self._session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": "",
        }
        parts = [header, {}, metadata or {}, content]
        frame = serialize_msg_to_ws_v1([json.dumps(p).encode() for p in parts], "shell")
        await self._ws.send(frame)
        return msg_id

    async def _act(self, comm_id: str, data: dict[str, Any]) -> None:
        """Send a comm message and wait until the kernel has handled it (status idle)."""
        msg_id = await self._send("comm_msg", {"comm_id": comm_id, "data": data})
        await self._idle[msg_id].wait()

    async def _read(self) -> None:
        from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

        async for raw in self._ws:
            if isinstance(raw, str):
                raise StudentFailed("the server did not accept the v1 websocket protocol")
            _channel, parts = deserialize_msg_from_ws_v1(raw)
            msg = {
                "header": json.loads(parts[0]),
                "parent_header": json.loads(parts[1]),
                "content": json.loads(parts[3]),
            }
            kind = msg["header"]["msg_type"]
            content = msg.get("content", {})
            if kind == "status" and content.get("execution_state") == "idle":
                parent = msg.get("parent_header", {}).get("msg_id")
                if parent in self._idle:
                    self._idle[parent].set()
            elif kind == "comm_open" and content.get("target_name") == "jupyter.widget":
                state = content.get("data", {}).get("state", {})
                self.models[content["comm_id"]] = dict(state)
                self.order.append(content["comm_id"])
            elif kind == "comm_msg":
                data = content.get("data", {})
                if data.get("method") == "update_states":
                    for model_id, model in data.get("states", {}).items():
                        if model_id not in self.models:
                            self.order.append(model_id)
                        self.models[model_id] = dict(model.get("state", {}))
                elif data.get("method") in ("update", "echo_update"):
                    model = self.models.setdefault(content["comm_id"], {})
                    model.update(data.get("state", {}))
                    self._changed.set()

    async def _update(self, model_id: str, state: dict[str, Any], *, wait: bool = True) -> None:
        data = {"method": "update", "state": state, "buffer_paths": []}
        if wait:
            await self._act(model_id, data)
        else:  # as a browser does: the next message may follow before this one is handled
            await self._send("comm_msg", {"comm_id": model_id, "data": data})

    async def _click(self, model_id: str) -> None:
        await self._act(model_id, {"method": "custom", "content": {"event": "click"}})

    async def _wait_for(self, predicate: Callable[[], bool]) -> None:
        while not predicate():
            self._changed.clear()
            await self._changed.wait()

    # -- picking models -------------------------------------------------------------------------
    def _new(self, since: int) -> list[tuple[str, dict[str, Any]]]:
        return [(i, self.models[i]) for i in self.order[since:]]

    @staticmethod
    def _has_class(state: dict[str, Any], css: str) -> bool:
        return css in state.get("_dom_classes", ())

    def _find(self, since: int, test: Callable[[dict[str, Any]], bool]) -> str | None:
        return next((i for i, s in self._new(since) if test(s)), None)

    def _saved(self, since: int) -> bool:
        return any("bw-saved" in str(s.get("value", "")) for _, s in self._new(since))

    # -- our app --------------------------------------------------------------------------------
    async def _ours(self, started: float) -> None:
        participant = uuid.uuid4().hex
        address = self._find(0, lambda s: "query" in s and s.get("_model_name") == "AnyModel")
        token = self._find(0, lambda s: bool(s.get("storage_key")))  # a player built already
        # the notice and "Begin" are on the page before the join (IntroScreen): a browser sends
        # the join and the click one after the other, without waiting in between
        start = self._find(0, lambda s: self._has_class(s, "bw-start"))
        mark = len(self.order)
        if token is not None:  # a lesson page, or a join page given the code by Voilà
            await self._update(token, {"token": participant}, wait=start is None)
        elif address is not None:  # a pooled join page: the address and the token at once
            report = {"query": f"code={self.code}", "token": participant}
            await self._update(address, report, wait=start is None)
        else:
            raise StudentFailed("no address or participant token widget")
        if start is None:
            start = self._find(mark, lambda s: self._has_class(s, "bw-start"))
        if start is None:
            raise StudentFailed("no start button after joining")
        self._phase("joined", started)
        answered = 0
        mark = len(self.order)
        await self._click(start)
        while answered < self.questions:
            # a question's choice group has a skip option; the language switch has none
            choice = self._find(mark, lambda s: "options" in s and s.get("skip_id"))
            text = self._find(mark, lambda s: self._has_class(s, "bw-text-answer"))
            if choice is None and text is None:
                card_next = self._find(mark, lambda s: self._has_class(s, "bw-next"))
                if card_next is None:
                    if any("bw-end" in str(s.get("value", "")) for _, s in self._new(mark)):
                        break
                    raise StudentFailed("no question, card or end screen")
                mark = len(self.order)
                await self._click(card_next)
                continue
            submit = self._find(mark, lambda s: self._has_class(s, "bw-submit"))
            next_button = self._find(mark, lambda s: self._has_class(s, "bw-next"))
            if submit is None or next_button is None:
                raise StudentFailed("question without send/next button")
            if self.tti is None:
                self.tti = time.perf_counter() - started
            if choice is not None:
                options = self.models[choice]["options"]
                await self._update(choice, {"value": random.choice(options)[0]})
            else:
                assert text is not None
                await self._update(text, {"value": "Niet doorsturen en erover praten."})
            clicked = time.perf_counter()
            await self._click(submit)
            await self._wait_for(lambda m=mark: self._saved(m))  # type: ignore[misc]
            self.round_trips.append(time.perf_counter() - clicked)
            answered += 1
            if answered < self.questions:
                mark = len(self.order)
                await self._click(next_button)

    # -- the bare baseline ----------------------------------------------------------------------
    async def _baseline(self, started: float) -> None:
        choice = self._find(0, lambda s: s.get("_model_name") == "RadioButtonsModel")
        submit = self._find(0, lambda s: self._has_class(s, "bw-submit"))
        label = self._find(0, lambda s: s.get("_model_name") == "LabelModel")
        if choice is None or submit is None or label is None:
            raise StudentFailed("baseline widgets missing")
        self.tti = time.perf_counter() - started
        for n in range(self.questions):
            await self._update(choice, {"index": n % 3})
            clicked = time.perf_counter()
            before = self.models[label].get("value")
            await self._click(submit)
            await self._wait_for(
                lambda b=before: self.models[label].get("value") not in (b, "")  # type: ignore[misc]
            )
            self.round_trips.append(time.perf_counter() - clicked)
            self.models[label]["value"] = ""


# --------------------------------------------------------------------------- a server


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    base: str
    log_path: Path

    def stop(self) -> None:
        stop_group(self.process)


def start_server(name: str, root: Path, db: str, args: argparse.Namespace, work: Path) -> Server:
    port = free_port()
    options = ServerOptions(
        root=root,
        db=db,
        student_port=port,
        facilitator_port=free_port(),
        local=True,
        max_kernels=args.max_kernels,
        pool_size=args.pool_size,
        pool_fill_delay=args.fill_delay,
        # every simulated student comes from 127.0.0.1; in a classroom each phone has its own
        # address on the LAN, so no limits per address (as the tests' servers): a year group
        # from one address ran into the join limit (60, then 30 a minute) after two minutes
        joins_per_minute=0,
    )
    log_path = work / f"{name}.log"
    env = server_env(options)
    env.update(prepare_kernels(options, CLEANUP))  # as run_servers does
    argv, cwd = student_command(options), options.lessons_dir
    if args.student_servers > 1:  # `beeldwijs start` with N student servers behind nginx
        argv = [sys.executable, "-m", "beeldwijs", "start", "--local", "--root", str(root),
                "--db", db, "--student-port", str(port),
                "--facilitator-port", str(options.facilitator_port),
                "--student-servers", str(args.student_servers), "--joins-per-minute", "0",
                "--pool-size", str(args.pool_size // args.student_servers),
                "--max-kernels", str(args.max_kernels // args.student_servers)]  # fmt: skip
        cwd = work
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(name, process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + 120
    while not answers(f"{server.base}/"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(log_path.read_text())
        time.sleep(0.2)
    if args.pool_size:  # wait for the pool to be started and the machine to settle
        while len(kernel_pids(process.pid)) < args.pool_size:
            if time.monotonic() > deadline + 300:
                raise RuntimeError("pool did not fill")
            time.sleep(0.5)
        _settle(process.pid)
    return server


def _settle(server_pid: int, quiet: float = 0.15, seconds: float = 60) -> None:
    """Wait until the server and its kernels use less than `quiet` cores (pool rendered)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pids = [server_pid, *descendants(server_pid)]
        before = sum(cpu_seconds(p) for p in pids)
        time.sleep(2)
        if (sum(cpu_seconds(p) for p in pids) - before) / 2 < quiet:
            return


# --------------------------------------------------------------------------- one measurement


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def _monitor(server_pid: int, peak: dict[str, float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        total = sum(pss_mb(p) for p in [server_pid, *descendants(server_pid)])
        peak["pss_mb"] = max(peak.get("pss_mb", 0.0), total)
        peak["kernels"] = max(peak.get("kernels", 0), len(kernel_pids(server_pid)))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 2)


def student_figures(students: list[Student]) -> dict[str, Any]:
    """What the students themselves saw: failures (and why), time to interactive, round trips."""
    ok = [s for s in students if not s.error]
    ttis = [s.tti for s in ok if s.tti is not None]
    rtts = [r for s in ok for r in s.round_trips]
    errors: dict[str, int] = {}
    for s in students:
        if s.error:
            errors[s.error] = errors.get(s.error, 0) + 1
    return {
        "students": len(students),
        "failures": len(students) - len(ok),
        "errors": errors,
        "tti_p50": percentile(ttis, 50),
        "tti_p95": percentile(ttis, 95),
        "tti_max": max(ttis) if ttis else None,
        "rtt_p50": percentile(rtts, 50),
        "rtt_p95": percentile(rtts, 95),
        "answers": len(rtts),
    }


async def run_students(server: Server, app: str, codes: list[str], args: argparse.Namespace,
                       path: str) -> dict[str, Any]:  # fmt: skip
    pid = server.process.pid
    pool_kernels = set(kernel_pids(pid))
    cpu_before = {kid: cpu_seconds(p) for kid, p in kernel_pids(pid).items()}
    servers = server_pids(pid)
    server_cpu_before = sum(cpu_seconds(p) for p in servers)
    load_before = load_average()
    rng = random.Random(7)
    delays = [0.0] * args.students
    if args.arrival:
        delays = sorted(rng.uniform(0, args.arrival) for _ in range(args.students))
    timeout = args.timeout
    students = [
        Student(
            server.base,
            path.format(code=codes[i // CLASS_SIZE]),
            codes[i // CLASS_SIZE],
            app,
            args.questions,
            timeout,
        )  # fmt: skip
        for i in range(args.students)
    ]
    peak: dict[str, float] = {}
    stop = asyncio.Event()
    monitor = asyncio.create_task(_monitor(pid, peak, stop))
    t0 = time.perf_counter()

    async def one(student: Student, delay: float) -> None:
        await asyncio.sleep(delay)
        await student.run()

    await asyncio.gather(*(one(s, d) for s, d in zip(students, delays, strict=True)))
    elapsed = time.perf_counter() - t0
    stop.set()
    await monitor
    # measure while every student kernel still exists (their websockets are closed now; the
    # kernels stay until culled, as after a real lesson)
    kernels = kernel_pids(pid)
    used = [kernels[s.kernel_id] for s in students if s.kernel_id in kernels]
    server_cpu = sum(cpu_seconds(p) for p in servers) - server_cpu_before
    kernel_cpu = sum(cpu_seconds(p) for p in used)
    # where a warm kernel's CPU went: before its student came (start, imports, the notebook)
    # and after (joining and answering)
    warm = [s.kernel_id for s in students if s.kernel_id in cpu_before and s.kernel_id in kernels]
    before = [cpu_before[k] for k in warm]
    after = [cpu_seconds(kernels[k]) - cpu_before[k] for k in warm]
    server_pss = sum(pss_mb(p) for p in servers)
    kernel_pss = [pss_mb(p) for p in used]
    ok = [s for s in students if not s.error]
    n = len(students)
    # kernels handed out warm: the first pool and every refill (Voilà logs each one)
    pooled = set(re.findall(r"Using pre-heated kernel: ([0-9a-f-]+)", server.log_path.read_text()))
    pooled |= pool_kernels & {s.kernel_id for s in students if s.served_by}
    phases: dict[str, float] = {}
    for name in ok[0].phases if ok else ():
        phases[name] = statistics.median(s.phases.get(name, 0.0) for s in ok)
    return {
        **student_figures(students),
        "pooled_kernels_used": sum(1 for s in students if s.kernel_id in pooled),
        "phases_median_s": phases,
        "cpu_s_per_student": (server_cpu + kernel_cpu) / n,
        "server_cpu_s": server_cpu,
        "warm_kernel_cpu_s_before_request": statistics.median(before) if before else None,
        "warm_kernel_cpu_s_after_request": statistics.median(after) if after else None,
        "pss_mb_per_student": (server_pss + sum(kernel_pss)) / n,
        "kernel_pss_mb_median": statistics.median(kernel_pss) if kernel_pss else None,
        "peak_pss_mb": peak.get("pss_mb"),
        "peak_kernels": peak.get("kernels"),
        "elapsed_s": elapsed,
        "load_before": load_before,
    }


# --------------------------------------------------------------------------- real browsers


def run_browsers(server: Server, path: str, app: str, n: int) -> dict[str, Any]:
    """n real Chromium students at once: navigation → first question answerable, and a save."""
    if n <= 0 or not Path("/usr/bin/chromium").exists():
        return {}
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
    results: list[float] = []
    failures = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        pages = [browser.new_context().new_page() for _ in range(n)]
        starts = []
        for page in pages:
            page.set_default_timeout(120_000)
            starts.append(time.perf_counter())
            page.goto(f"{server.base}{path}", wait_until="commit")
        for page, started in zip(pages, starts, strict=True):
            try:
                if app == "ours":
                    page.click(".bw-start")  # the first scenario's story and question follow
                    page.locator(".bw-question .bw-option").first.wait_for()
                    results.append(time.perf_counter() - started)
                    page.locator(".bw-question .bw-option").first.click()
                else:
                    page.locator(".widget-radio-box input").first.wait_for()
                    results.append(time.perf_counter() - started)
                    page.locator(".widget-radio-box input").first.check()
                page.click(".bw-submit" if app != "ours" else ".bw-question .bw-submit")
                page.get_by_text(re.compile("Opgeslagen|bw-saved")).first.wait_for()
            except Exception as exc:  # noqa: BLE001
                failures += 1
                print(f"  browser student failed: {exc}"[:300], flush=True)
        browser.close()
    return {
        "browsers": n,
        "browser_failures": failures,
        "browser_tti_median": statistics.median(results) if results else None,
        "browser_tti_max": max(results) if results else None,
    }


# --------------------------------------------------------------------------- main


def measure(app: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    if app == "ours":
        root = REPO
        db = args.db or str(work / "ours.sqlite")
        store = ResponseStore(db)
        classes = max(1, -(-args.students // CLASS_SIZE))
        codes = [store.create_session(args.lesson).code for _ in range(classes + 1)]
        store.close()
        path = "/voila/render/join.ipynb?code={code}"
    else:
        root = work / "baseline"
        write_notebook(root / "lessons" / "join.ipynb", BASELINE_SOURCE, "Baseline")
        write_notebook(root / "facilitator" / "dashboard.ipynb", "1", "Baseline")
        db = str(work / "baseline.sqlite")
        codes = ["-"] * (args.students // CLASS_SIZE + 2)
        path = "/voila/render/join.ipynb"
    server = start_server(app, root, db, args, work)
    try:
        figures = asyncio.run(run_students(server, app, codes, args, path))
        if args.pool_size and args.browsers:  # the next class: browsers get refilled kernels
            deadline = time.monotonic() + args.fill_delay + 120
            wanted = args.students + min(args.pool_size, args.browsers)
            while len(kernel_pids(server.process.pid)) < wanted and time.monotonic() < deadline:
                time.sleep(1)
            _settle(server.process.pid)
        browser_path = path.format(code=codes[-1])
        figures.update(run_browsers(server, browser_path, app, args.browsers))
    finally:
        server.stop()
    return figures


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}{unit}" if value < 10 else f"{value:.1f}{unit}"
    return f"{value}{unit}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--arrival", type=float, default=0.0,
                        help="spread arrivals uniformly over this many seconds (0: a burst)")  # fmt: skip
    parser.add_argument("--questions", type=int, default=1, help="questions each student answers")
    parser.add_argument("--pool-size", type=int, default=30)
    parser.add_argument("--fill-delay", type=float, default=20.0)
    parser.add_argument("--max-kernels", type=int, help="default: students + pool + 10")
    parser.add_argument("--browsers", type=int, default=3, help="real Chromium students after")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--lesson", default=LESSON)
    parser.add_argument("--db", help="postgresql://… (default: a fresh SQLite file)")
    parser.add_argument("--timeout", type=float, default=300.0, help="per student, seconds")
    parser.add_argument(
        "--student-servers",
        type=int,
        default=1,
        help="N student servers behind nginx (beeldwijs start --student-servers N)",
    )
    args = parser.parse_args()
    if args.max_kernels is None:
        args.max_kernels = args.students + args.pool_size + 10
    work = Path(tempfile.mkdtemp(prefix="beeldwijs-bench-"))
    result: dict[str, Any] = {
        "bench": "class_join",
        "students": args.students,
        "arrival_s": args.arrival,
        "questions": args.questions,
        "pool_size": args.pool_size,
        "max_kernels": args.max_kernels,
        "student_servers": args.student_servers,
        "cores": os.cpu_count(),
    }
    apps = ["ours"] if args.no_baseline else ["ours", "baseline"]
    try:
        for app in apps:
            print(f"-- {app}: {args.students} students, load {load_average()}", flush=True)
            result[app] = measure(app, args, work)
            figures = result[app]
            print(
                f"   failures {figures['failures']} {figures['errors'] or ''}\n"
                f"   time to interactive p50 {_fmt(figures['tti_p50'], ' s')} "
                f"p95 {_fmt(figures['tti_p95'], ' s')} max {_fmt(figures['tti_max'], ' s')}\n"
                f"   answer round trip p50 {_fmt(figures['rtt_p50'], ' s')} "
                f"p95 {_fmt(figures['rtt_p95'], ' s')} ({figures['answers']} answers)\n"
                f"   per student: {_fmt(figures['cpu_s_per_student'], ' CPU-s')}, "
                f"{_fmt(figures['pss_mb_per_student'], ' MB PSS')} "
                f"(kernel median {_fmt(figures['kernel_pss_mb_median'], ' MB')})\n"
                f"   CPU: server {_fmt(figures['server_cpu_s'], ' s')} in all; a warm kernel "
                f"{_fmt(figures['warm_kernel_cpu_s_before_request'], ' s')} before its student, "
                f"{_fmt(figures['warm_kernel_cpu_s_after_request'], ' s')} after\n"
                f"   peak: {_fmt(figures['peak_pss_mb'], ' MB')} PSS, "
                f"{figures['peak_kernels']} kernels; pooled kernels used "
                f"{figures['pooled_kernels_used']}\n"
                f"   phases (median, s since the GET): "
                + ", ".join(f"{k} {v:.3f}" for k, v in figures["phases_median_s"].items())
                + "\n"
                f"   Chromium: {_fmt(figures.get('browser_tti_median'), ' s')} median, "
                f"{figures.get('browser_failures', '-')} failed",
                flush=True,
            )
        if "baseline" in result:
            ours, base = result["ours"], result["baseline"]
            result["ratios"] = {
                key: (ours[key] / base[key]) if ours.get(key) and base.get(key) else None
                for key in ("cpu_s_per_student", "pss_mb_per_student", "tti_p50", "rtt_p50")
            }
            print("   ours/baseline: " + ", ".join(
                f"{k} {_fmt(v)}" for k, v in result["ratios"].items()), flush=True)  # fmt: skip
    finally:
        CLEANUP.close()
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
