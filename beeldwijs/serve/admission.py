"""Admission before a kernel: the student server decides in the HTTP handler who gets one.

Before issue 16 every lesson or join page started (or took) a kernel before any code was
checked, so one client took all kernels of the server by loading pages and holding their
websockets, and a kernel id alone opened, answered and stopped a student's page. Now
(docs/security.md, "One student cannot break the lesson"; the limits and why:
docs/decisions/admission-for-a-class-behind-one-address.md):

- the session code is looked up in the store first; no code, an unknown and a closed code get
  the same Dutch code page (``codepage.py``) without a kernel and without the lesson's title,
  except for a browser whose cookie says it was in that session: after the close it gets the
  lesson's end screen with every expert view (a phone that reloads a discarded tab keeps the
  safety lines; docs/decisions/closed-lesson-after-a-reload.md);
- **one browser** is the random token in the browser's one cookie (``beeldwijs-browser``,
  ``serve/browsercookie.py``; on the server only as a keyed hash in memory): a browser holds at most ``kernels_per_browser``
  kernels of one page (a reload or a second tab stops its own oldest), and has ``browser_tries``
  wrong codes per ``tries_window`` s;
- **one address** may be a whole class (a school's NAT, a proxy): its limits are sized for that.
  Wrong codes: ``code_tries`` per ``tries_window`` s; new kernels: a burst of ``join_burst``, then
  ``joins_per_minute`` (a token bucket). Kernels per address are not capped: a client that drops
  its cookies still takes no more than the session quota;
- a session holds at most its quota of kernels: the class size the mentor set plus a margin
  (5, or a tenth for more than 50), else ``kernels_per_session``. At the quota a kernel
  of that session whose page sent nothing for ``silent_after`` s makes room; else the oldest
  kernel of the address holding most of the session's kernels, when that is another address with
  more kernels than the asking one (a flood from one address cannot starve another); else the
  Dutch "de klas is vol" page;
- every page gets a secret for its kernel, as a cookie limited to that kernel's paths; the
  kernel's websocket and REST endpoints refuse a request without it;
- a kernel that was stopped (a reload, a second tab, eviction) answers its page's reconnects at
  once with a bare 404: Chromium opens one websocket to a server at a time, so an old tab
  whose reconnect waited for its dying kernel held up the new tab's websocket and the new tab
  stayed at the widget placeholder;
- what a page last sent is noted, so a kernel whose page has been silent for ``silent_after`` s
  may be evicted even with an open websocket (an open page sends a heartbeat every minute while
  it is visible: ``widgets/browser_token.py``).

Client addresses and browser cookies are kept in memory only, for as long as the limits need
them, and never logged or stored.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import hmac
import secrets
import time
from collections import deque
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.handlers import KernelHandler
from tornado.web import HTTPError, RequestHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from beeldwijs.content.library import Library
from beeldwijs.content.model import Lesson
from beeldwijs.content.names import decode, renamed
from beeldwijs.errors import ContentError, SessionError, StoreUnavailable
from beeldwijs.serve import browsercookie
from beeldwijs.serve.browsercookie import BrowserCookie
from beeldwijs.serve.codepage import (
    CONTENT_SECURITY_POLICY,
    LANGUAGE_PARAMETER,
    closed_page,
    code_page,
    full_page,
)
from beeldwijs.serve.notebooks import MODERATION_NOTEBOOK
from beeldwijs.texts import student_language, t_in
from beeldwijs.ui.html import Markup
from beeldwijs.widgets.language import LANGUAGE_COOKIE

#: Name of the cookie holding a page's kernel secret (one per kernel path, HttpOnly).
PAGE_COOKIE = "beeldwijs-page"
#: Stopped kernels remembered, so the old pages' reconnects to them are refused at once.
GONE_MEMORY = 4096
#: Reason phrase of the 503 answer when a session or the server is full.
FULL_REASON = "Kernel cap reached"
SETTING = "beeldwijs_gate"
#: Seconds the page handler waits for the store before it says "try again in a moment".
STORE_TIMEOUT = 5.0
#: Seconds a kernel being stopped waits for a websocket of it that is still opening.
OPEN_GRACE = 5.0
#: Seconds an open code is taken as open without asking the store again: a class joining in one
#: burst asks once (35 lookups queued behind each other took longer than STORE_TIMEOUT).
OPEN_MEMORY = 5.0
#: Kernels a session may hold beyond its class size: at least this many, else a tenth.
MARGIN = 5
#: Seconds devices that opened a session's page are gathered in memory before one write adds
#: them up (a class in one burst is one write, not one write per page in the queue above).
OPENED_FLUSH = 1.0


@dataclass
class Ticket:
    """One admitted page: who asked (in memory only) and, once known, its kernel."""

    address: str
    code: str
    browser: str = ""  # keyed hash of the browser cookie
    page: str = ""  # the notebook's path
    kernel_id: str | None = None
    heard: float = field(default_factory=time.monotonic)


class Window:
    """At most ``limit`` events per key in the last ``seconds`` (0: no limit)."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self._events: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._events.get(key)
        if events is None:
            return deque()
        while events and events[0] <= now - self.seconds:
            events.popleft()
        if not events:
            del self._events[key]
        return events

    def full(self, key: str) -> bool:
        return bool(self.limit) and len(self._recent(key, time.monotonic())) >= self.limit

    def add(self, key: str) -> None:
        if self.limit:
            now = time.monotonic()
            self._events.setdefault(key, self._recent(key, now)).append(now)


class Bucket:
    """A burst of ``burst`` events per key, then ``per_minute`` (a token bucket; 0: no limit)."""

    def __init__(self, per_minute: float, burst: int) -> None:
        self.rate, self.burst = per_minute / 60.0, max(1, burst)
        self._level: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)

    def _tokens(self, key: str, now: float) -> float:
        tokens, then = self._level.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - then) * self.rate)

    def full(self, key: str) -> bool:
        return bool(self.rate) and self._tokens(key, time.monotonic()) < 1

    def add(self, key: str) -> None:
        if not self.rate:
            return
        now = time.monotonic()
        self._level[key] = (self._tokens(key, now) - 1, now)
        if len(self._level) > 4096:  # forget the keys that are full again
            self._level = {
                k: v for k, v in self._level.items() if self._tokens(k, now) < self.burst
            }


CURRENT: contextvars.ContextVar[Ticket | None] = contextvars.ContextVar(
    "beeldwijs_ticket", default=None
)


class Gate:
    """The admission state of one student server process (all in memory)."""

    def __init__(
        self,
        *,
        kernels_per_browser: int = 1,
        kernels_per_session: int = 40,
        code_tries: int = 30,
        browser_tries: int = 6,
        tries_window: float = 300.0,
        joins_per_minute: int = 30,
        join_burst: int = 60,
        silent_after: float = 300.0,
        store: Any = None,
    ) -> None:
        self.kernels_per_browser = kernels_per_browser
        self.kernels_per_session = kernels_per_session
        self.silent_after = silent_after
        self.tries = Window(code_tries, tries_window)
        self.browser_tries = Window(browser_tries, tries_window)
        self.joins = Bucket(joins_per_minute, join_burst)
        self.tickets: dict[str, Ticket] = {}
        self.waiting: dict[str, int] = {}  # session code -> admitted pages without a kernel yet
        self.sockets: dict[str, set[PageBoundWebsocketHandler]] = {}
        self.gone: dict[str, None] = {}  # stopped kernels, oldest first (at most GONE_MEMORY)
        self._key = secrets.token_bytes(32)
        self._store = store
        self._lookups: dict[str, asyncio.Future[bool]] = {}  # code -> the lookup under way
        self._open_until: dict[str, float] = {}  # code -> until when it is known to be open
        self._class_sizes: dict[str, int] = {}  # code -> its class size, as last looked up
        self._opened: dict[str, int] = {}  # code -> devices not yet added up in the store
        self._flushing: asyncio.Future[None] | None = None

    # -- the page secret and the browser --------------------------------------------------------
    def secret(self, kernel_id: str) -> str:
        return hmac.new(self._key, kernel_id.encode(), hashlib.sha256).hexdigest()

    def holds_secret(self, handler: RequestHandler, kernel_id: str) -> bool:
        sent = handler.get_cookie(PAGE_COOKIE) or ""
        return hmac.compare_digest(sent.encode(), self.secret(kernel_id).encode())

    def browser(self, cookie: str) -> str:
        """What the server keeps of a browser cookie: a hash under this process's key."""
        return hmac.new(self._key, b"browser:" + cookie.encode(), hashlib.sha256).hexdigest()[:32]

    # -- kernels of a browser and of a session --------------------------------------------------
    def bind(self, kernel_id: str) -> None:
        """The page being served got ``kernel_id`` (called by the kernel manager)."""
        ticket = CURRENT.get()
        if ticket is not None and ticket.kernel_id is None:
            ticket.kernel_id = kernel_id
            self.tickets[kernel_id] = ticket
            self.wait(ticket, -1)

    def wait(self, ticket: Ticket, step: int) -> None:
        """Count a page admitted to its session that does not have its kernel yet (±1)."""
        waiting = self.waiting.get(ticket.code, 0) + step
        if waiting > 0:
            self.waiting[ticket.code] = waiting
        else:
            self.waiting.pop(ticket.code, None)

    def forget(self, kernel_id: str) -> None:
        """The kernel is being stopped: forget its page. From here on the kernel is gone for
        its page: a reconnect is refused at once (:func:`_refused`), it does not wait for a
        kernel that never answers again, and no new websocket of it starts opening."""
        self.gone[kernel_id] = None
        while len(self.gone) > GONE_MEMORY:
            del self.gone[next(iter(self.gone))]
        self.tickets.pop(kernel_id, None)

    async def close_sockets(self, kernel_id: str, grace: float = OPEN_GRACE) -> None:
        """Close the websockets of a kernel being stopped (after :meth:`forget`), their ZeroMQ
        streams first: the kernel's own ZeroMQ context closes every socket still open in it,
        and a stream whose socket goes that way leaves its file descriptor number registered
        in the event loop, where the next page's kernel gets it and loses its messages
        (docs/decisions/reload-while-a-websocket-opens.md). A websocket still opening (Jupyter
        asks the kernel for its info, then nudges it) is waited for up to ``grace`` seconds,
        so it is closed between steps, not in the middle of one."""
        sockets = self.sockets.pop(kernel_id, set())
        opening = [socket.opened for socket in sockets if not socket.opened.done()]
        if opening:
            await asyncio.wait(opening, timeout=grace)
        for socket in sockets:
            socket.drop()

    def heard(self, kernel_id: str) -> None:
        ticket = self.tickets.get(kernel_id)
        if ticket is not None:
            ticket.heard = time.monotonic()

    def silent(self, kernel_id: str) -> bool:
        """True when the page of ``kernel_id`` sent nothing for ``silent_after`` seconds."""
        ticket = self.tickets.get(kernel_id)
        return ticket is not None and time.monotonic() - ticket.heard >= self.silent_after

    def of_browser(self, browser: str, page: str) -> list[str]:
        """Kernels of one browser's copies of one page, oldest first."""
        return [k for k, tk in self._oldest_first() if (tk.browser, tk.page) == (browser, page)]

    def of_session(self, code: str) -> list[str]:
        return [k for k, tk in self._oldest_first() if tk.code == code]

    def session_full(self, code: str) -> bool:
        """The session holds its quota, counting pages admitted that wait for their kernel."""
        quota = self.quota(code)
        return bool(quota) and len(self.of_session(code)) + self.waiting.get(code, 0) >= quota

    def _oldest_first(self) -> list[tuple[str, Ticket]]:
        return sorted(self.tickets.items(), key=lambda item: item[1].heard)

    def quota(self, code: str) -> int:
        """Kernels the session ``code`` may hold (0: any): the class size the mentor set plus a
        margin (a reload without cookies, a second device, the mentor trying the link), else
        ``kernels_per_session``."""
        size = self._class_sizes.get(code, 0)
        return size + max(MARGIN, -(-size // 10)) if size else self.kernels_per_session

    def make_way(self, code: str, address: str) -> str | None:
        """At the session's quota: the kernel that makes room for a page of ``address``, or
        None (the session is full for it). A silent page first; else the oldest kernel of the
        address holding most of the session's kernels, if that address holds more than
        ``address`` does (so a flood from one address cannot keep another one out)."""
        session = self.of_session(code)
        silent = [k for k in session if self.silent(k)]
        if silent:
            return silent[0]
        held: dict[str, list[str]] = {}
        for kernel_id in session:
            held.setdefault(self.tickets[kernel_id].address, []).append(kernel_id)
        most = max(held.values(), key=len, default=[])
        if len(most) > len(held.get(address, [])) + 1:
            return most[0]
        return None

    # -- the code -------------------------------------------------------------------------------
    def store(self) -> Any:
        if self._store is None:
            from beeldwijs.store import ResponseStore

            self._store = ResponseStore()
        return self._store

    async def is_open(self, code: str) -> bool:
        """Whether students may join ``code``: one store lookup for every page that asks at the
        same moment, and an open code is remembered for :data:`OPEN_MEMORY` seconds. Raises
        StoreUnavailable or TimeoutError (after :data:`STORE_TIMEOUT` s)."""
        now = time.monotonic()
        if self._open_until.get(code, 0.0) > now:
            return True
        lookup = self._lookups.get(code)
        if lookup is None:
            lookup = asyncio.ensure_future(asyncio.to_thread(self.code_is_open, code))
            self._lookups[code] = lookup
            lookup.add_done_callback(lambda _: self._lookups.pop(code, None))
        is_open = await asyncio.wait_for(asyncio.shield(lookup), STORE_TIMEOUT)
        if is_open:
            if len(self._open_until) > 1024:
                self._open_until = {c: u for c, u in self._open_until.items() if u > now}
            self._open_until[code] = time.monotonic() + OPEN_MEMORY
        return is_open

    def code_is_open(self, code: str) -> bool:
        """True for a session students may join; raises StoreUnavailable when the store is away."""
        try:
            session = self.store().open_session(code)
        except SessionError:
            self._class_sizes.pop(code, None)
            return False
        self._class_sizes[code] = session.class_size
        return True

    def closed_lesson(self, code: str) -> Lesson | None:
        """The lesson of closed session ``code`` with the session's names, or None (unknown,
        open, or a lesson that no longer loads); raises StoreUnavailable."""
        try:
            session = self.store().session(code)
        except SessionError:
            return None
        if session.is_open:
            return None
        try:
            return renamed(Library().lesson(session.lesson_id), decode(session.names))
        except ContentError:
            return None

    def count_device(self, code: str) -> None:
        """A device opened a page of session ``code`` for the first time (the dashboard's
        "can my students reach this?"): counted in memory, added up in the store within
        ``OPENED_FLUSH`` seconds; a store that is away only loses the count."""
        self._opened[code] = self._opened.get(code, 0) + 1
        if self._flushing is None:
            self._flushing = asyncio.ensure_future(self._flush_opened())

    async def _flush_opened(self) -> None:
        await asyncio.sleep(OPENED_FLUSH)
        counts, self._opened, self._flushing = self._opened, {}, None
        with suppress(StoreUnavailable, TimeoutError):
            await asyncio.wait_for(asyncio.to_thread(self._add_opened, counts), STORE_TIMEOUT)

    def _add_opened(self, counts: dict[str, int]) -> None:
        for code, n in counts.items():
            self.store().count_opened(code, n)


def gate_of(handler: RequestHandler) -> Gate:
    gate: Gate = handler.settings[SETTING]
    return gate


def page_language(handler: RequestHandler) -> str:
    """The student's language for a page the server writes: picked by a language link
    (``?taal=``, kept in the browser session's cookie for the pages after it) or chosen before
    (the cookie); Dutch otherwise. The cookie holds the code only and is never stored."""
    picked = handler.get_argument(LANGUAGE_PARAMETER, "")
    if picked:
        lang = student_language(picked)
        handler.set_cookie(LANGUAGE_COOKIE, lang, path="/", samesite="Lax")  # the app reads it
        return lang
    return student_language(handler.get_cookie(LANGUAGE_COOKIE))


def _own_page(handler: RequestHandler, page: Markup) -> None:
    """Finish with one of the student server's own pages (serve/codepage.py), at the status set
    before: not cached, under its page policy."""
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    handler.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    handler.finish(page)


def _code_page(handler: RequestHandler, status: int, key: str) -> None:
    """The code page with the message ``key``, in the student's language."""
    lang = page_language(handler)
    join = f"{handler.settings.get('base_url', '/')}voila/render/join.ipynb"
    handler.set_status(status)
    _own_page(handler, code_page(t_in(lang, key), join, lang))


class AdmittedPageHandler(TornadoVoilaHandler):
    """Voilà's page handler with the admission in front (see the module docstring)."""

    async def get(self, path: str | None = None) -> None:  # type: ignore[override]
        if not await self._is_page(path or ""):  # Voilà's own answer (a file, a 404)
            await super().get(path)
            return
        gate = gate_of(self)
        address = self.request.remote_ip or ""
        cookie = self._browser_cookie()
        browser = gate.browser(cookie.token)
        if gate.tries.full(address) or gate.browser_tries.full(browser):
            _code_page(self, 429, "admission.wait")
            return
        from beeldwijs.store import normalise_code

        code = normalise_code(self.get_argument("code", ""))[:12]
        if not code:
            _code_page(self, 200, "join.empty")
            return
        try:
            admitted = await gate.is_open(code)
        except (StoreUnavailable, TimeoutError):
            _code_page(self, 503, "join.store_down")
            return
        if not admitted:
            if cookie.counted(code) and await self._closed_lesson(gate, code):
                return
            gate.tries.add(address)
            gate.browser_tries.add(browser)
            _code_page(self, 200, "admission.refused")
            return
        if gate.joins.full(address):
            _code_page(self, 429, "admission.wait")
            return
        ticket = Ticket(address, code, browser, path or "")
        await self._make_room(gate, ticket)
        gate.joins.add(address)
        gate.wait(ticket, +1)
        current = CURRENT.set(ticket)
        try:
            if path != MODERATION_NOTEBOOK and not cookie.counted(code):
                self._set_browser_cookie(cookie.with_code(code))  # a device counted once
                gate.count_device(code)
            await super().get(path)
        finally:
            CURRENT.reset(current)
            if ticket.kernel_id is None:  # no kernel after all (the server was full)
                gate.wait(ticket, -1)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """No room for another kernel (the session's quota, the server's cap): "de klas is vol"
        in the student's language; any other error as Voilà writes it."""
        if status_code == 503 and self._reason == FULL_REASON:
            _own_page(self, full_page(page_language(self)))  # 503, FULL_REASON kept
            return
        super().write_error(status_code, **kwargs)

    async def _closed_lesson(self, gate: Gate, code: str) -> bool:
        """For a browser that was in session ``code``: once the session is closed, write its
        lesson's end screen (codepage.closed_page) and say True; False for an unknown code or a
        store that does not answer (the code page follows)."""
        try:
            lesson = await asyncio.wait_for(
                asyncio.to_thread(gate.closed_lesson, code), STORE_TIMEOUT
            )
        except (StoreUnavailable, TimeoutError):
            return False
        if lesson is None:
            return False
        _own_page(self, closed_page(lesson, page_language(self)))
        return True

    def _browser_cookie(self) -> BrowserCookie:
        """The browser's cookie; a new one (set on this response) if it sent none or a forged
        one. Its value never reaches a log or the store."""
        cookie = BrowserCookie.read(self.get_cookie(browsercookie.NAME))
        if cookie is None:
            cookie = BrowserCookie.new()
            self._set_browser_cookie(cookie)
        return cookie

    def _set_browser_cookie(self, cookie: BrowserCookie) -> None:
        """Set (or replace, on this response) the browser's one cookie (serve/browsercookie.py)."""
        self.set_cookie(
            browsercookie.NAME,
            cookie.value,
            path="/",
            expires_days=browsercookie.LIFETIME_DAYS,
            httponly=True,
            samesite="Lax",
        )

    async def _is_page(self, path: str) -> bool:
        """A notebook this server serves (everything else gets Voilà's answer: 404 or a file)."""
        if not path.endswith(".ipynb"):
            return False
        try:
            return bool(await ensure_async(self.contents_manager.file_exists(path)))
        except Exception:  # noqa: BLE001 - a path the contents manager refuses: Voilà's 404
            return False

    async def _make_room(self, gate: Gate, ticket: Ticket) -> None:
        """The browser's own oldest copy of the page goes at its quota (a reload, a second
        tab); a full session needs a kernel that makes way (:meth:`Gate.make_way`)."""
        manager = self.kernel_manager
        mine = gate.of_browser(ticket.browser, ticket.page)
        while gate.kernels_per_browser and len(mine) >= gate.kernels_per_browser:
            await _stop(manager, gate, mine.pop(0))
        if gate.session_full(ticket.code):
            room = gate.make_way(ticket.code, ticket.address)
            if room is None:
                raise HTTPError(503, reason=FULL_REASON)
            await _stop(manager, gate, room)

    def flush(self, *args: Any, **kwargs: Any) -> Any:
        """Before the first bytes go out: the page's kernel secret, for that kernel's paths."""
        ticket = CURRENT.get()
        if ticket is not None and ticket.kernel_id and not self._headers_written:
            secret = gate_of(self).secret(ticket.kernel_id)
            base = self.settings.get("base_url", "/")
            for path in (
                f"api/kernels/{ticket.kernel_id}",
                f"voila/api/shutdown/{ticket.kernel_id}",
            ):
                # one header each (set_cookie keeps one cookie per name)
                self.add_header(
                    "Set-Cookie",
                    f"{PAGE_COOKIE}={secret}; Path={base}{path}; HttpOnly; SameSite=Strict",
                )
        return super().flush(*args, **kwargs)


async def _stop(manager: Any, gate: Gate, kernel_id: str) -> None:
    gate.forget(kernel_id)
    if kernel_id in manager:
        try:
            await manager.shutdown_kernel(kernel_id, now=True)
        except Exception:  # noqa: BLE001 - already gone
            manager.log.debug("kernel already gone")


def _refused(handler: RequestHandler, kernel_id: str | None = None) -> bool:
    """Without the kernel's page secret: answer a bare 403 (no error page) and return True; for a
    kernel that was stopped a bare 404 at once. Jupyter's websocket handler would wait for a
    stopped kernel to come alive (``kernel_info_timeout``) before it answers, and while an old
    tab's reconnect waits so, Chromium holds back every other websocket of that browser to this
    server (one connecting websocket per host): a second tab or a reload never got its kernel."""
    kernel_id = kernel_id or handler.path_kwargs.get("kernel_id") or handler.path_args[0]
    gate = gate_of(handler)
    if not gate.holds_secret(handler, kernel_id):
        status = 403
    elif kernel_id in gate.gone:
        status = 404
    else:
        return False
    handler.clear()
    handler.set_status(status)
    handler.finish()
    return True


class PageBoundKernelHandler(KernelHandler):
    """``/api/kernels/<id>``: only for the page that holds the kernel's secret."""

    async def prepare(self) -> None:  # type: ignore[override]
        if not _refused(self):
            await super().prepare()


class PageBoundShutdownHandler(VoilaShutdownKernelHandler):
    """Voilà's "page closed" call: only the page itself may stop its kernel. The page's secret
    cookie is the proof (``SameSite=Strict``, sent only to this kernel's paths, so another site
    cannot make a browser send it); jupyter_server's ``_xsrf`` check is not asked for on top; the
    student server sets no ``_xsrf`` cookie, so that check refused every closed tab (403, voila#1458)
    and its kernel ran on until the culler or the cap stopped it."""

    async def prepare(self) -> None:  # type: ignore[override]
        if not _refused(self):
            await super().prepare()

    def check_xsrf_cookie(self) -> None:
        """Held to the page secret in :meth:`prepare` instead (class docstring)."""


class PageBoundWebsocketHandler(VoilaKernelWebsocketHandler):
    """The kernel's websocket: needs the page secret; notes when the page last sent something.
    Known to the gate from its first step (:meth:`Gate.close_sockets`): ``opened`` is done once
    it is open or has failed to open."""

    connection: Any
    opened: asyncio.Future[None]

    async def get(self, kernel_id: str) -> None:  # type: ignore[override]
        if _refused(self, kernel_id):
            return
        self.opened = asyncio.get_running_loop().create_future()
        sockets = gate_of(self).sockets
        sockets.setdefault(kernel_id, set()).add(self)
        try:
            await super().get(kernel_id)  # until the websocket closes, or fails to open
        finally:
            self._done_opening()
            sockets.get(kernel_id, set()).discard(self)

    async def open(self, kernel_id: str) -> None:  # type: ignore[override]
        try:
            if kernel_id in gate_of(self).gone:  # stopped while this websocket was opening
                self.drop()
                return
            await super().open(kernel_id)
        finally:
            self._done_opening()

    def _done_opening(self) -> None:
        if not self.opened.done():
            self.opened.set_result(None)

    def on_message(self, message: Any) -> Any:
        gate_of(self).heard(self.kernel_id)
        return super().on_message(message)

    def on_close(self) -> None:
        self._done_opening()
        gate_of(self).sockets.get(self.kernel_id, set()).discard(self)
        if self.connection is not None:  # not already dropped
            super().on_close()

    def drop(self) -> None:
        """Close now, its ZeroMQ streams first (see :meth:`Gate.close_sockets`)."""
        if self.connection is not None:
            self.connection.disconnect()
            self.connection = None
        self.close()


class CodePageHandler(RequestHandler):
    """The server's root, Voilà's folder listing and every unknown path: the code page."""

    def initialize(self, status: int = 200) -> None:
        self.status = status

    def get(self, *_args: Any, **_kwargs: Any) -> None:
        _code_page(self, self.status, "join.ask_code")

    def head(self, *_args: Any, **_kwargs: Any) -> None:
        self.get()

    def prepare(self) -> None:
        if self.request.method not in ("GET", "HEAD"):
            _code_page(self, 404, "join.ask_code")


def handler_root(handlers: list[Any]) -> str:
    """The server's root pattern without its slash (Voilà's tree handler at ``server_url``)."""
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    roots = [spec[0] for spec in handlers if spec[1] is TornadoVoilaTreeHandler]
    return min(roots, key=len).rstrip("/") if roots else ""


#: Voilà's handlers and what the student server puts in their place.
REPLACEMENTS: dict[type, type | None] = {
    TornadoVoilaHandler: AdmittedPageHandler,
    KernelHandler: PageBoundKernelHandler,
    VoilaKernelWebsocketHandler: PageBoundWebsocketHandler,
    VoilaShutdownKernelHandler: PageBoundShutdownHandler,
}


def admitted_handlers(handlers: list[Any]) -> list[Any]:
    """Voilà's handler list with ours in place; the folder listing and the contents API are
    replaced by the code page, the request-info socket (not used by our notebooks) removed."""
    from voila.request_info_handler import RequestInfoSocketHandler
    from voila.tornado.contentshandler import VoilaContentsHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    out = []
    for spec in handlers:
        pattern, handler, *rest = spec
        if handler is RequestInfoSocketHandler:
            continue
        if handler in (TornadoVoilaTreeHandler, VoilaContentsHandler):
            root = pattern.rstrip("/") == handler_root(handlers)
            out.append((pattern, CodePageHandler, {"status": 200 if root else 404}))
            continue
        out.append((pattern, REPLACEMENTS.get(handler) or handler, *rest))
    return out
