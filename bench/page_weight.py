"""Page weight: what a student's phone downloads and how long until the first question.

On a link shaped for real (bench/shaped_link.py: a network namespace, tbf on a veth pair, a
latency relay; needs root, else it says so and stops), for our join page and for a bare Voilà
page (one RadioButtons and a Button, stock ``voila`` with its own defaults) in the same run:

- **one student** at 1.6 Mbps down / 0.75 up / 150 ms and at 0.4 Mbps / 0.4 / 400 ms, with
  Debian's Chromium inside the namespace: a **cold** load (empty cache) and a **warm** one (the
  same browser opens the link again). Figures: bytes on the wire down (Ethernet frames the
  students' side received: HTTP, websocket, TCP/IP headers), HTTP requests that went to the
  network and those the cache answered, and the time from navigation to the first question
  (our page: "Begin" clicked as soon as it is there).
- **a class of 30 cold students** sharing one 20 Mbps / 20 ms link, started together. They are
  protocol students (bench/class_join.py's), each downloading every asset a cold Chromium
  fetched (recorded above, with Chromium's Accept-Encoding, six connections at a time) before
  opening the kernel websocket: thirty Chromiums would measure this machine's two cores, not the
  link. Figures: time to the first question per student (median and slowest), bytes in all,
  and where the time goes (median and slowest of each step since the page's GET: the page's
  HTML, all its files, the kernel websocket open, the widgets' state, joined, first question).
  A request that a kept-alive connection loses before any answer is sent again on a new
  connection, once, as browsers do (counted).

Targets (issue 13): ≤ 1.5 MB cold, ≤ 50 KB warm, all 30 students at their first question within
15 s on the shared link. The last line is one JSON object.

    python bench/page_weight.py                  # everything
    python bench/page_weight.py --no-baseline --no-class
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from class_join import (  # noqa: E402
    BASELINE_SOURCE,
    REPO,
    Student,
    _settle,
    kernel_pids,
    percentile,
)
from shaped_link import ShapedLink  # noqa: E402

from beeldwijs.serve.commands import server_env, student_command  # noqa: E402
from beeldwijs.serve.kernels import prepare_kernels  # noqa: E402
from beeldwijs.serve.options import ServerOptions  # noqa: E402
from beeldwijs.store import ResponseStore  # noqa: E402
from tests.shared import free_port, stop_group, write_notebook  # noqa: E402

LESSON = "beelden-en-jij"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
CLEANUP = contextlib.ExitStack()
TARGETS = {"cold_bytes": 1_500_000, "warm_bytes": 50_000, "class_seconds": 15.0}


@dataclass(frozen=True)
class Profile:
    name: str
    down_mbit: float
    up_mbit: float
    rtt_ms: float


PHONES = [Profile("1.6 Mbps / 150 ms", 1.6, 0.75, 150), Profile("0.4 Mbps / 400 ms", 0.4, 0.4, 400)]
CLASSROOM = Profile("class on 20 Mbps / 20 ms", 20, 20, 20)


# --------------------------------------------------------------------------- servers


@dataclass
class App:
    name: str  # "ours" | "bare"
    process: subprocess.Popen[bytes]
    port: int
    path: str  # page path, with ?code= for ours
    code: str
    log: Path

    def stop(self) -> None:
        stop_group(self.process)


def start_ours(work: Path, pool_size: int) -> App:
    db = str(work / "ours.sqlite")
    store = ResponseStore(db)
    code = store.create_session(LESSON).code
    store.close()
    options = ServerOptions(
        root=REPO, db=db, student_port=free_port(), facilitator_port=free_port(), local=True,
        pool_size=pool_size, max_kernels=pool_size + 60,
    )  # fmt: skip
    env = server_env(options)
    env.update(prepare_kernels(options, CLEANUP))
    path = f"/voila/render/join.ipynb?code={code}"
    return _launch("ours", student_command(options), env, options.lessons_dir,
                   options.student_port, path, code, work, pool_size)  # fmt: skip


def start_bare(work: Path) -> App:
    root = work / "bare"
    write_notebook(root / "join.ipynb", BASELINE_SOURCE, "Baseline")
    port = free_port()
    argv = [sys.executable, "-m", "voila", str(root), f"--Voila.port={port}",
            "--Voila.ip=127.0.0.1", "--Voila.open_browser=False",
            # the students reach it through the relay's 10.77.0.x address
            "--Voila.tornado_settings=allow_remote_access=True"]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_", "BEELDWIJS_"))}
    return _launch("bare", argv, env, root, port, "/voila/render/join.ipynb", "-", work, 0)


def _launch(name: str, argv: list[str], env: dict[str, str], cwd: Path, port: int, path: str,
            code: str, work: Path, pool_size: int) -> App:  # fmt: skip
    log = work / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    app = App(name, process, port, path, code, log)
    import socket

    deadline = time.monotonic() + 180
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(log.read_text()[-3000:])
        time.sleep(0.3)
    wait_for_pool(app, pool_size)
    return app


def wait_for_pool(app: App, pool_size: int, taken: int = 0) -> None:
    """Until the warm pool holds ``pool_size`` kernels besides ``taken`` and the CPU is quiet."""
    if not pool_size:
        return
    deadline = time.monotonic() + 600
    while len(kernel_pids(app.process.pid)) < pool_size + taken:
        if time.monotonic() > deadline:
            raise RuntimeError("the pool did not fill")
        time.sleep(0.5)
    _settle(app.process.pid)


# --------------------------------------------------------------------------- one Chromium


def _chromium_inside(link: ShapedLink, work: Path) -> str:
    """A launcher that starts Debian's Chromium inside the namespace (Playwright drives it
    through a pipe, so only its network is in there)."""
    script = work / f"chromium-in-{link.namespace}"
    script.write_text(f'#!/bin/sh\nexec {" ".join(link.inside([CHROMIUM]))} "$@"\n')
    script.chmod(0o755)
    return str(script)


class Recorder:
    """HTTP requests and websocket frames of one page, from the Chrome DevTools Protocol."""

    def __init__(self, page: Any) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.urls: dict[str, str] = {}
        self.network: set[str] = set()
        self.cached: set[str] = set()
        self.http_bytes = 0
        self.inflight: set[str] = set()
        self.encodings: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.accept_encoding = ""  # as Chromium sent it: br and zstd only to secure origins
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.requestWillBeSentExtraInfo", self._headers_sent)
        self.cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", lambda e: self.inflight.discard(e["requestId"]))

    def _sent(self, event: dict[str, Any]) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]
        self.inflight.add(event["requestId"])

    def _headers_sent(self, event: dict[str, Any]) -> None:
        headers = {k.lower(): v for k, v in event.get("headers", {}).items()}
        self.accept_encoding = headers.get("accept-encoding", self.accept_encoding)

    def _response(self, event: dict[str, Any]) -> None:
        response = event["response"]
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        if not response.get("fromDiskCache") and not response.get("fromMemoryCache"):
            self.network.add(event["requestId"])
        else:
            self.cached.add(event["requestId"])
        self.encodings[event["requestId"]] = headers.get("content-encoding", "")

    def _finished(self, event: dict[str, Any]) -> None:
        self.inflight.discard(event["requestId"])
        size = int(event.get("encodedDataLength", 0))
        self.sizes[event["requestId"]] = size
        self.http_bytes += size

    def quiet(self, page: Any, seconds: float = 1.0, limit: float = 60.0) -> None:
        """Wait until no request has been in flight for ``seconds``."""
        end = time.monotonic() + limit
        calm_since = time.monotonic()
        while time.monotonic() < end:
            page.wait_for_timeout(200)
            if self.inflight:
                calm_since = time.monotonic()
            elif time.monotonic() - calm_since >= seconds:
                return

    def assets(self, origin: str) -> list[str]:
        """Same-origin static files this page fetched (not the page, not the kernel API)."""
        found = []
        for url in self.urls.values():
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" != origin or "/api/" in parts.path:
                continue
            if "/voila/render/" in parts.path:
                continue
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return sorted(set(found))

    def by_encoding(self) -> dict[str, list[int]]:
        """Content-Encoding → [responses, bytes on the wire] of this load."""
        found: dict[str, list[int]] = {}
        for request, size in self.sizes.items():
            entry = found.setdefault(self.encodings.get(request) or "identity", [0, 0])
            entry[0] += 1
            entry[1] += size
        return found

    def largest(self, n: int = 5) -> list[tuple[str, int, str]]:
        ranked = sorted(self.sizes.items(), key=lambda kv: -kv[1])[:n]
        return [(urlsplit(self.urls.get(i, "?")).path.rsplit("/", 1)[-1], s,
                 self.encodings.get(i, "")) for i, s in ranked]  # fmt: skip


def first_question(page: Any, app: str) -> float | None:
    """Wait for the first question; for our page, the seconds until "Begin" was there."""
    if app == "ours":
        started = time.perf_counter()
        page.locator(".bw-start").wait_for()
        begin = time.perf_counter() - started
        page.click(".bw-start")
        page.locator(".bw-question .bw-option").first.wait_for()  # not the language switch
        return begin
    page.locator(".widget-radio-box input").first.wait_for()
    return None


def load(context: Any, link: ShapedLink, url: str, app: str) -> tuple[dict[str, Any], Recorder]:
    page = context.new_page()
    page.set_default_timeout(300_000)
    recorder = Recorder(page)
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text[:200]))
    down0, up0 = link.counters()
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    committed = time.perf_counter() - started
    begin: float | None = None
    try:
        begin = first_question(page, app)
        seconds: float | None = time.perf_counter() - started
    except Exception as exc:  # noqa: BLE001 - a failed load is a figure too
        print(f"   failed: {str(exc)[:200]}; console: {errors[:3]}", flush=True)
        seconds = None
    recorder.quiet(page)
    down1, up1 = link.counters()
    page.close()
    figures = {
        "first_question_s": seconds,
        # "Begin" on screen: the page, its files and the widgets are there (then one join)
        "begin_s": None if begin is None else committed + begin,
        "wire_down_bytes": down1 - down0,
        "wire_up_bytes": up1 - up0,
        "http_bytes": recorder.http_bytes,
        "requests_network": len(recorder.network),
        "requests_cached": len(recorder.cached),
        "largest": recorder.largest(),
        "by_encoding": recorder.by_encoding(),
        "accept_encoding": recorder.accept_encoding,
    }
    return figures, recorder


def one_student(browser: Any, link: ShapedLink, base: str, app: App) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 360, "height": 640})
    try:
        cold, recorder = load(context, link, base + app.path, app.name)
        warm, _ = load(context, link, base + app.path, app.name)
    finally:
        context.close()
    return {"cold": cold, "warm": warm, "assets": recorder.assets(base)}


# --------------------------------------------------------------------------- the class


class AssetStudent(Student):
    """A protocol student that first downloads the page's assets, as a cold browser does: six
    connections at a time and the Accept-Encoding Chromium sent on that link."""

    assets: list[str] = []
    accept_encoding = "gzip, deflate"
    downloaded = 0
    resent = 0

    async def run(self) -> None:
        self._t0 = time.perf_counter()
        await super().run()

    def _client_options(self) -> dict[str, Any]:
        import httpx

        return {"limits": httpx.Limits(max_connections=6),  # Chromium's HTTP/1.1 connections
                "headers": {"Accept-Encoding": self.accept_encoding}}  # fmt: skip

    async def _page_loaded(self, client: Any, response: Any) -> None:
        self.phases["html"] = time.perf_counter() - self._t0
        self.downloaded += len(response.content)

        import httpx

        async def fetch(path: str) -> None:
            for attempt in (1, 2):
                received = 0
                try:
                    async with client.stream("GET", f"{self.base}{path}") as asset:
                        if asset.status_code != 200:
                            raise RuntimeError(f"HTTP {asset.status_code} for {path}")
                        async for chunk in asset.aiter_raw():
                            received += len(chunk)
                            self.downloaded += len(chunk)
                    return
                except httpx.RemoteProtocolError:
                    # a kept-alive connection closed before any answer (the server's header
                    # timeout ran while its last response was still on the crowded link): a
                    # browser sends the request again on a new connection, once
                    if received or attempt == 2:
                        raise
                    self.resent += 1

        await asyncio.gather(*(fetch(path) for path in self.assets))


async def _class(spec: dict[str, Any]) -> dict[str, Any]:
    AssetStudent.assets = spec["assets"]
    AssetStudent.accept_encoding = spec["accept_encoding"]
    n = spec["n"]
    students = [AssetStudent(spec["base"], spec["path"], spec["code"], spec["app"], 1, 300.0)
                for _ in range(n)]  # fmt: skip
    await asyncio.gather(*(s.run() for s in students))
    times = [s.tti for s in students if not s.error and s.tti is not None]
    ok = [s for s in students if not s.error and s.tti is not None]
    split = {step: [statistics.median(s.phases[step] for s in ok),
                    max(s.phases[step] for s in ok)]
             for step in SPLIT if ok and all(step in s.phases for s in ok)}  # fmt: skip
    if ok:
        split["first question"] = [statistics.median(times), max(times)]
    # why each student failed: the HTTP status, the code page's message, or the phase it reached
    reasons = collections.Counter(re.sub(r"[0-9a-f-]{36}", "…", s.error) for s in students
                                  if s.error)  # fmt: skip
    return {"students": n, "failures": n - len(times), "errors": dict(reasons.most_common()),
            "first_question_p50_s": percentile(times, 50),
            "first_question_max_s": max(times) if times else None,
            "downloaded_per_student": statistics.mean(s.downloaded for s in students),
            "resent": sum(s.resent for s in students),
            "split_s": split}  # fmt: skip


#: A class student's steps (bench/class_join.py's phases), each in seconds since the page's GET:
#: the HTML is there, every file the page loads is there, the kernel websocket is open, the
#: widgets' state came, the kernel took the code and showed "Begin".
SPLIT = {"html": "page HTML", "page": "all files", "websocket": "websocket open",
         "widget_states": "widgets' state", "joined": "joined"}  # fmt: skip


def a_class(link: ShapedLink, base: str, app: App, assets: list[str], accept_encoding: str,
            n: int, work: Path) -> dict[str, Any]:  # fmt: skip
    """n students inside the namespace (a process of their own), started together."""
    spec = work / f"class-{app.name}.json"
    spec.write_text(json.dumps({"base": base, "path": app.path, "code": app.code,
                                "app": "ours" if app.name == "ours" else "baseline",
                                "assets": assets, "accept_encoding": accept_encoding,
                                "n": n}))  # fmt: skip
    down0, up0 = link.counters()
    out = subprocess.run(link.inside([sys.executable, __file__, "--class-worker", str(spec)]),
                         capture_output=True, text=True, check=True)  # fmt: skip
    down1, up1 = link.counters()
    figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    figures["wire_down_bytes"] = down1 - down0
    figures["wire_up_bytes"] = up1 - up0
    return figures


# --------------------------------------------------------------------------- main


def _mb(n: float | None) -> str:
    return "-" if n is None else (f"{n / 1e6:.2f} MB" if n >= 100_000 else f"{n / 1e3:.1f} KB")


def _s(n: float | None) -> str:
    return "-" if n is None else f"{n:.1f} s"


def prepare(app: App) -> None:
    """A server that has run before: every asset of the page has its brotli copy (made once per
    installation in the background; until then a file goes as gzip). One local Chromium load
    shows which assets the page fetches."""
    import httpx
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{app.port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(300_000)
        recorder = Recorder(page)
        page.goto(base + app.path)
        first_question(page, app.name)
        recorder.quiet(page)
        assets = recorder.assets(base)
        browser.close()
    started = time.monotonic()
    waiting = list(assets)
    with httpx.Client(trust_env=False, headers={"Accept-Encoding": "br, gzip"}) as client:
        while waiting and time.monotonic() - started < 900:
            waiting = [
                path
                for path in waiting
                if client.get(base + path).headers.get("content-encoding") == "gzip"
            ]
            if waiting:
                time.sleep(5)
    print(f"   prepared: {len(assets)} assets, brotli ready after {time.monotonic() - started:.0f} s"
          f"{f' ({len(waiting)} still gzip)' if waiting else ''}", flush=True)  # fmt: skip


def measure(app: App, link: ShapedLink, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    result: dict[str, Any] = {}
    if app.name == "ours":
        prepare(app)
    assets: list[str] = []
    accept_encoding = ""
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=_chromium_inside(link, work), args=CHROMIUM_ARGS
        )
        try:
            for profile in PHONES if not args.no_phones else []:
                link.shape(profile.down_mbit, profile.up_mbit)
                with link.relay(app.port, profile.rtt_ms) as base:
                    figures = one_student(browser, link, base, app)
                assets = assets or figures.pop("assets")
                figures.pop("assets", None)
                accept_encoding = figures["cold"]["accept_encoding"]
                result[profile.name] = figures
                for kind in ("cold", "warm"):
                    f = figures[kind]
                    begin = f" (Begin at {_s(f['begin_s'])})" if f["begin_s"] is not None else ""
                    print(f"   {profile.name:<20} {kind}: {_mb(f['wire_down_bytes']):>9} down, "
                          f"{f['requests_network']:>3} requests (+{f['requests_cached']} cached), "
                          f"first question {_s(f['first_question_s'])}{begin}", flush=True)  # fmt: skip
            if PHONES[0].name in result:
                cold = result[PHONES[0].name]["cold"]
                print(f"   cold load: Chromium asked for {cold['accept_encoding']!r}; " + ", ".join(
                    f"{enc} {n} responses {_mb(size)}"
                    for enc, (n, size) in sorted(cold["by_encoding"].items())), flush=True)  # fmt: skip
                print("   largest (cold): " + ", ".join(
                    f"{name} {_mb(size)} {enc or 'identity'}"
                    for name, size, enc in cold["largest"]), flush=True)  # fmt: skip
            if not assets:  # only the class: one cold Chromium on its link shows what it fetches
                link.shape(CLASSROOM.down_mbit, CLASSROOM.up_mbit)
                with link.relay(app.port, CLASSROOM.rtt_ms) as base:
                    figures = one_student(browser, link, base, app)
                assets, accept_encoding = figures["assets"], figures["cold"]["accept_encoding"]
        finally:
            browser.close()
    if not args.no_class:
        # kernels the loads above still hold: a warm load is the same browser opening the page
        # again, and the student server keeps one kernel per browser and page (it stops the
        # cold load's kernel; beeldwijs/serve/admission.py)
        loads = (len(PHONES) if not args.no_phones else 1) + (app.name == "ours")
        wait_for_pool(app, args.pool_size if app.name == "ours" else 0, taken=loads)
        link.shape(CLASSROOM.down_mbit, CLASSROOM.up_mbit)
        with link.relay(app.port, CLASSROOM.rtt_ms) as base:
            figures = a_class(link, base, app, assets, accept_encoding, args.students, work)
        result[CLASSROOM.name] = figures
        print(f"   {CLASSROOM.name}: first question median {_s(figures['first_question_p50_s'])}, "
              f"slowest {_s(figures['first_question_max_s'])}, {figures['failures']} failed "
              f"{figures['errors'] or ''}; {_mb(figures['wire_down_bytes'])} down in all "
              f"({_mb(figures['wire_down_bytes'] / args.students)} a student); "
              f"{figures['resent']} requests sent again on a new connection", flush=True)  # fmt: skip
        print("   where the time goes (median / slowest, s since the GET): " + ", ".join(
            f"{SPLIT.get(step, step)} {median:.1f} / {slowest:.1f}"
            for step, (median, slowest) in figures["split_s"].items()), flush=True)  # fmt: skip
    return result


def verdict(ours: dict[str, Any], students: int) -> dict[str, bool]:
    phones = [ours[p.name] for p in PHONES if p.name in ours]
    checks = {}
    if phones:
        cold = max(f["cold"]["wire_down_bytes"] for f in phones)
        warm = max(f["warm"]["wire_down_bytes"] for f in phones)
        checks["cold ≤ 1.5 MB"] = cold <= TARGETS["cold_bytes"]
        checks["warm ≤ 50 KB"] = warm <= TARGETS["warm_bytes"]
    if CLASSROOM.name in ours:
        c = ours[CLASSROOM.name]
        checks[f"{students}/{students} within 15 s"] = (
            c["failures"] == 0 and (c["first_question_max_s"] or 1e9) <= TARGETS["class_seconds"]
        )
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--pool-size", type=int, default=30, help="our server's warm pool")
    parser.add_argument("--no-baseline", action="store_true", help="skip bare Voilà")
    parser.add_argument("--no-class", action="store_true", help="skip the shared-link class")
    parser.add_argument("--no-phones", action="store_true", help="skip the one-phone profiles")
    parser.add_argument("--class-worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.class_worker:
        spec = json.loads(Path(args.class_worker).read_text())
        figures = asyncio.run(_class(spec))
        print(json.dumps(figures))
        return
    if os.geteuid() != 0 or not shutil.which("tc") or not Path(CHROMIUM).exists():
        print("page_weight: skipped (needs root for ip netns and tc, and Debian's chromium)")
        return
    work = Path(tempfile.mkdtemp(prefix="beeldwijs-page-"))
    result: dict[str, Any] = {"bench": "page_weight", "students": args.students,
                              "cores": os.cpu_count(), "targets": TARGETS}  # fmt: skip
    try:
        with ShapedLink(PHONES[0].down_mbit, PHONES[0].up_mbit) as link:
            for name in ["ours"] if args.no_baseline else ["ours", "bare"]:
                print(f"-- {name}", flush=True)
                app = start_ours(work, args.pool_size) if name == "ours" else start_bare(work)
                try:
                    result[name] = measure(app, link, work, args)
                finally:
                    app.stop()
        result["targets_met"] = verdict(result["ours"], args.students)
        print("   targets: " + ", ".join(
            f"{k} {'yes' if v else 'NO'}" for k, v in result["targets_met"].items()), flush=True)  # fmt: skip
    finally:
        CLEANUP.close()
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
