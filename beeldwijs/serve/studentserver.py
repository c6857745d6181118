"""The student Voilà server: Voilà plus a kernel cap and a warm pool that serves every lesson.

``beeldwijs start`` runs ``python -m beeldwijs.serve.studentserver <lessons> --Voila.… --StudentVoila.…``
instead of ``python -m voila``. :class:`StudentVoila` is Voilà's own application with three
additions (docs/server.md, "Kernel cap" and "Warm pool"):

- **Kernel cap** (``max_kernels``; Voilà has none, voila#617). Every page load starts a kernel
  (≈ 50–70 MB each). Beyond the cap a page request gets HTTP 503 with our Dutch page
  "de klas is vol, vraag je mentor" (``serve/codepage.py``, in the student's language) instead of
  a kernel. Before refusing, the server stops the longest-idle kernel that nobody has been connected to for ``evict_after``
  seconds (a closed tab or a reloaded page: Voilà cannot stop those itself, voila#1458).
- **Warm pool** for ``join.ipynb`` only (``pool_size``): one pool serves every lesson, because the
  join page finds its lesson from the session code after the request (beeldwijs.widgets.join).
  The pool refills ``pool_fill_delay`` seconds after a kernel is taken, one kernel every
  ``pool_fill_spacing`` seconds, so the refill does not compete with a class that is joining.
  A refill still waiting for its turn is never handed to a student (it would wait that long
  for it): without a started pooled kernel, a page gets a kernel of its own at once.
- **Dead pooled kernels** are dropped before a page would get one (docs/stack-facts.md: a pooled kernel
  that died was handed to a student whose page then stayed at "Running …"); "dead" is read from
  the process table too, not only from ``Popen.poll()`` (:func:`_process_gone`).

- **A light page** (serve/light.py, issue 13.1): the page template ``beeldwijs-student`` with our
  own front end (``frontend/``, one script and one stylesheet, in place of Voilà's JupyterLab
  front end), static files compressed (brotli or gzip) and cached for a year when their URL is
  versioned, the page gzipped, websocket messages deflated.

The cap is a mixin put in front of Voilà's kernel manager class. Voilà builds that class inside
``Voila.init_settings`` with ``voila.app.voila_kernel_manager_factory``; :class:`StudentVoila`
swaps that function for the duration of the call (there is no configuration hook for it).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import functools
import subprocess
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import voila.app as voila_app
from tornado.web import HTTPError
from traitlets import Float, Int, TraitError, Unicode, default
from voila.app import Voila

from beeldwijs.serve import admission, connections
from beeldwijs.serve.anonymous import AnonymousStudents
from beeldwijs.serve.healthz import HealthzMixin
from beeldwijs.serve.light import light_handlers, warm_up
from beeldwijs.texts import t

__all__ = ["CapacityMixin", "StudentVoila", "main"]

#: Reason phrase of the 503 answer (the page itself is serve/codepage.py's full_page).
FULL_REASON = admission.FULL_REASON


#: Set while a page's kernel starts: [True] until jupyter_client lists the kernel.
_UNLISTED: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar(
    "beeldwijs_unlisted", default=None
)


class CapacityMixin:
    """Kernel cap, eviction of abandoned kernels and pool hygiene for Voilà's kernel manager.

    Put in front of the class Voilà's factory makes (``VoilaKernelManager`` with a pool, else
    ``NormalKernelManager``); the class attributes are set by :func:`capped_kernel_manager`.
    """

    max_kernels: int = 0  # 0: no cap
    evict_after: float = 120.0  # seconds without a connection before a kernel may be evicted
    fill_spacing: float = 0.5  # seconds between two refills of the pool
    gate: admission.Gate | None = None  # who asked for which kernel (beeldwijs.serve.admission)

    _admitting = 0
    _stopping = False
    _last_refill_start = 0.0  # loop time the latest scheduled refill starts its kernel
    _restarted: set[str] = set()  # pooled kernels that died (and were restarted empty)

    # -- attributes of the jupyter_server/Voilà kernel managers this sits on ---------------------
    log: Any
    _kernels: dict[str, Any]
    _kernel_connections: dict[str, int]

    # -- counting -----------------------------------------------------------------------------
    def _pool_tasks(self) -> list[asyncio.Future[Any]]:
        pools: dict[str, list[asyncio.Future[Any]]] = getattr(self, "_pools", {})
        return [task for pool in pools.values() for task in pool]

    def _pooled_kernel_ids(self) -> set[str]:
        ids = set()
        for task in self._pool_tasks():
            if task.done() and not task.cancelled() and task.exception() is None:
                ids.add(task.result()["kernel_id"])
        return ids

    def kernel_count(self) -> int:
        """Kernels running or starting (jupyter_client lists a kernel once it has its id), plus
        page requests and pool refills not that far yet. Each kernel counts once: a page's
        kernel counted both as listed and as admitted made a class joining at once hit the cap
        early (under a burst of 35 pages)."""
        listed = set(self._kernels) | set(getattr(self, "_pending_kernels", {}))
        waiting_for_pool = sum(
            1 for task in self._pool_tasks() if not task.done() and not self._started(task)
        )
        return len(listed) + self._admitting + waiting_for_pool

    # -- the cap ------------------------------------------------------------------------------
    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        """Start a kernel for a page request, or raise HTTP 503 when the server is full."""
        full = bool(self.max_kernels) and self.kernel_count() >= self.max_kernels
        if full and not await self._evict_one():
            self.log.warning(
                "Kernel cap of %d reached: page request refused (503)", self.max_kernels
            )
            raise HTTPError(503, reason=FULL_REASON)
        self._admitting += 1
        unlisted = _UNLISTED.set([True])  # until pre_start_kernel lists it
        try:
            kernel_id: str = await super().start_kernel(*args, **kwargs)  # type: ignore[misc]
        finally:
            if _UNLISTED.get()[0]:  # type: ignore[index]
                self._admitting -= 1
            _UNLISTED.reset(unlisted)
        if self.gate is not None:
            self.gate.bind(kernel_id)
        return kernel_id

    def pre_start_kernel(self, *args: Any, **kwargs: Any) -> Any:
        """jupyter_client gives the kernel its id and lists it: an admitted start counts as
        listed from here on (pool refills come here too, without an admission)."""
        made = super().pre_start_kernel(*args, **kwargs)  # type: ignore[misc]
        unlisted = _UNLISTED.get()
        if unlisted is not None and unlisted[0]:
            unlisted[0] = False
            self._admitting -= 1
        return made

    def eviction_candidates(self, now: dt.datetime | None = None) -> list[str]:
        """Kernels nobody is connected to and that were idle ``evict_after`` s, oldest first;
        then kernels whose page sent nothing for the gate's ``silent_after`` s, even with an
        open websocket (held open by a script, or a phone put away)."""
        now = now or dt.datetime.now(dt.UTC)
        pooled = self._pooled_kernel_ids()
        found, silent = [], []
        for kernel_id, kernel in list(self._kernels.items()):
            last = _last_activity(kernel)
            if kernel_id in pooled or last is None:
                continue
            if self._kernel_connections.get(kernel_id, 0) > 0:
                if self.gate is not None and self.gate.silent(kernel_id):
                    silent.append((last, kernel_id))
                continue
            if (now - last).total_seconds() >= self.evict_after:
                found.append((last, kernel_id))
        return [kernel_id for _, kernel_id in [*sorted(found), *sorted(silent)]]

    async def _evict_one(self) -> bool:
        for kernel_id in self.eviction_candidates():
            self.log.info("Kernel cap reached: stopping abandoned kernel %s", kernel_id)
            with contextlib.suppress(Exception):  # already gone: try the next one
                await self.shutdown_kernel(kernel_id)  # type: ignore[attr-defined]
                return True
        return False

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """jupyter_server's culler, which skips a kernel still starting: it has no last activity
        yet, and the culler logged an error with a traceback for each such kernel (pool refills
        during a class: a dozen a minute)."""
        kernel = self._kernels.get(kernel_id)
        if kernel is not None and _last_activity(kernel) is None:
            return
        await super().cull_kernel_if_idle(kernel_id)  # type: ignore[misc]

    # -- the pool -----------------------------------------------------------------------------
    def fill_if_needed(self, delay: float | None = None, notebook_name: str | None = None,
                       **kwargs: Any) -> None:  # fmt: skip
        """Voilà's refill, skipped when the cap is reached and spread out in time."""
        if self._stopping:
            return
        if self.max_kernels and self.kernel_count() >= self.max_kernels:
            self.log.info("Kernel cap reached: pool of %s not refilled for now", notebook_name)
            return
        now = asyncio.get_event_loop().time()
        if delay is None:  # a refill after a page took a kernel (the start-up fill passes 0)
            base: float = getattr(self, "fill_delay", 1.0)
            # one by one, but not queued behind each other: students arriving one a second
            # (a year group) get refills `fill_delay` after each take, not ever later ones
            start = max(now + base, self._last_refill_start + self.fill_spacing)
            self._last_refill_start = start
            delay = start - now
        before = set(self._pool_tasks())
        unadmitted = admission.CURRENT.set(None)  # a refill is nobody's page
        try:
            super().fill_if_needed(delay=delay, notebook_name=notebook_name, **kwargs)  # type: ignore[misc]
        finally:
            admission.CURRENT.reset(unadmitted)
        for task in self._pool_tasks():
            if task not in before:
                self._starts_at[task] = now + delay
        self._watch_pool()

    @functools.cached_property
    def _starts_at(self) -> weakref.WeakKeyDictionary[asyncio.Future[Any], float]:
        """Pool task → loop time its kernel starts (Voilà's task sleeps the refill delay first)."""
        return weakref.WeakKeyDictionary()

    def _started(self, task: asyncio.Future[Any]) -> bool:
        return self._starts_at.get(task, 0.0) <= asyncio.get_event_loop().time()

    def _watch_pool(self) -> None:
        """Note when a pooled kernel dies or is restarted (jupyter_client restarts a dead kernel
        under the same id, but empty: it never ran the notebook, its page would hang)."""
        if not hasattr(self, "_watched"):
            self._watched: weakref.WeakSet[asyncio.Future[Any]] = weakref.WeakSet()
            self._restarted = set()
        for task in self._pool_tasks():
            if task not in self._watched:
                self._watched.add(task)
                task.add_done_callback(self._on_pooled)

    def _on_pooled(self, task: asyncio.Future[Any]) -> None:
        kernel_id = _kernel_id_of(task)
        kernel = self._kernels.get(kernel_id) if kernel_id else None
        if kernel_id is None or kernel is None:
            return
        for event in ("restart", "dead"):
            kernel.add_restart_callback(functools.partial(self._restarted.add, kernel_id), event)

    def get_pool_size(self, notebook_name: str) -> int:
        """Pooled kernels ready or starting, after dropping dead ones (the handler asks first;
        at 0 it starts a kernel of the page's own). Refills still sleeping their delay do not
        count: a student would wait for the delay."""
        pools: dict[str, list[asyncio.Future[Any]]] = getattr(self, "_pools", {})
        pool = pools.get(notebook_name, [])
        for task in list(pool):
            if self._is_dead(task):
                pool.remove(task)
                self.log.warning("Dropped a dead kernel from the pool of %s", notebook_name)
                kernel_id = _kernel_id_of(task)
                if kernel_id is not None and kernel_id in self._kernels:
                    asyncio.ensure_future(self._quiet_shutdown(kernel_id))
                self.fill_if_needed(notebook_name=notebook_name)
        return sum(1 for task in pool if self._started(task))

    async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any) -> Any:
        """Voilà hands out the pool's first kernel: put a ready one first, else a started one."""
        pool: list[asyncio.Future[Any]] = getattr(self, "_pools", {}).get(notebook_name, [])
        ready = [t for t in pool if t.done()] or [t for t in pool if self._started(t)]
        if ready and pool[0] is not ready[0]:
            pool.remove(ready[0])
            pool.insert(0, ready[0])
        rendered = await super().get_rendered_notebook(notebook_name, *args, **kwargs)  # type: ignore[misc]
        if self.gate is not None:
            self.gate.bind(rendered[2])  # (render task, rendered cells, kernel id)
        return rendered

    def _is_dead(self, task: asyncio.Future[Any]) -> bool:
        if not task.done():
            return False
        if task.cancelled() or task.exception() is not None:
            return True
        content = task.result()
        render: asyncio.Future[Any] = content["task"]
        if render.done() and (render.cancelled() or render.exception() is not None):
            return True
        kernel = self._kernels.get(content["kernel_id"])
        if kernel is None or content["kernel_id"] in getattr(self, "_restarted", ()):
            return True
        process = getattr(getattr(kernel, "provisioner", None), "process", None)
        return _process_gone(process)

    async def _quiet_shutdown(self, kernel_id: str) -> None:
        with contextlib.suppress(Exception):
            await self.shutdown_kernel(kernel_id, now=True)  # type: ignore[attr-defined]

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        """Stop a kernel, its websockets closed first (also one still opening); then top the
        pool up again if the cap had held it back."""
        if self.gate is not None:
            self.gate.forget(kernel_id)
            await self.gate.close_sockets(kernel_id)
        await super().shutdown_kernel(kernel_id, *args, **kwargs)  # type: ignore[misc]
        if not self._stopping:
            for notebook_name, pool in getattr(self, "_pools", {}).items():
                if len(pool) < self._configured_pool_size(notebook_name):
                    self.fill_if_needed(notebook_name=notebook_name)

    def _configured_pool_size(self, notebook_name: str) -> int:
        config: dict[str, Any] = getattr(self, "kernel_pools_config", {})
        default = config.get("default", {})
        return int(config.get(notebook_name, default).get("pool_size", 0))

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
        self._stopping = True
        await super().shutdown_all(*args, **kwargs)  # type: ignore[misc]


def _process_gone(process: subprocess.Popen[bytes] | None) -> bool:
    """The kernel process exited. ``Popen.poll()`` alone is not enough: just after a SIGKILL it
    still answered None for a kernel that /proc already showed as a zombie (a multi-threaded
    process can be waited for only when all its threads are gone), and that kernel was handed to
    a student whose page stayed at "Bezig met starten…" (tests/test_capacity.py, under load).
    On Linux a zombie or a missing /proc entry counts as gone."""
    if process is None or process.poll() is not None:
        return True
    proc = Path(f"/proc/{process.pid}/stat")
    if not Path("/proc/self/stat").exists():
        return False  # no procfs (macOS, Windows): poll() is all there is
    try:
        state = proc.read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def _last_activity(kernel: Any) -> dt.datetime | None:
    """When the kernel was last active; None while it is still starting (the trait is unset
    then, and reading it raises TraitError rather than AttributeError)."""
    try:
        last: dt.datetime | None = kernel.last_activity
    except (AttributeError, TraitError):
        return None
    return last


def _kernel_id_of(task: asyncio.Future[Any]) -> str | None:
    if task.cancelled() or task.exception() is not None:
        return None
    kernel_id: str = task.result()["kernel_id"]
    return kernel_id


def capped_kernel_manager(
    factory: Callable[..., type],
    *,
    max_kernels: int,
    evict_after: float,
    fill_spacing: float,
    gate: admission.Gate | None = None,
) -> Callable[..., type]:
    """Wrap Voilà's ``voila_kernel_manager_factory`` so its class gets :class:`CapacityMixin`."""

    def make(*args: Any, **kwargs: Any) -> type:
        base = factory(*args, **kwargs)
        attributes = {
            "max_kernels": max_kernels,
            "evict_after": evict_after,
            "fill_spacing": fill_spacing,
            "gate": gate,
        }
        return type(f"Capped{base.__name__}", (CapacityMixin, base), attributes)

    return make


@contextlib.contextmanager
def _swapped_factory(replacement: Callable[..., type]) -> Iterator[None]:
    original = voila_app.voila_kernel_manager_factory
    voila_app.voila_kernel_manager_factory = replacement
    try:
        yield
    finally:
        voila_app.voila_kernel_manager_factory = original


#: The student page's front end (built from frontend/ by `make frontend`): the only static files
#: a student page loads, so the only ones compressed ahead of the first class.
FRONT_END = Path(__file__).parent / "share/jupyter/voila/templates/beeldwijs-student/static"


def page_texts(previous: Any = None) -> Any:
    """A Voilà ``page_config_hook`` that gives the front end its words (texts.py), in the page's
    ``jupyter-config-data``."""

    def hook(page_config: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        if previous is not None:
            page_config = previous(page_config, **kwargs)
        page_config["beeldwijsTexts"] = {
            "loading": t("server.widget_loading"),
            "failed": t("server.widget_failed"),
        }
        return page_config

    return hook


class StudentVoila(HealthzMixin, Voila):
    """Voilà for the student side: kernel cap, eviction, one warm pool for the join page,
    ``/healthz`` (beeldwijs.serve.healthz)."""

    max_kernels = Int(0, config=True, help="Most kernels at once (pool included); 0 means no cap.")
    evict_after = Float(
        120.0,
        config=True,
        help="At the cap, a kernel without a connection for this many seconds is stopped first.",
    )
    pool_size = Int(0, config=True, help="Preheated kernels kept ready for pool_notebook.")
    pool_notebook = Unicode(
        "join.ipynb", config=True, help="The one notebook that gets a pool (relative to root)."
    )
    pool_fill_delay = Float(
        20.0, config=True, help="Seconds after a kernel is taken before the pool refills."
    )
    pool_fill_spacing = Float(
        0.5, config=True, help="Seconds between two refills (a burst refills one by one)."
    )
    # admission before a kernel and flood bounds (beeldwijs.serve.admission, beeldwijs.serve.connections)
    kernels_per_browser = Int(
        1, config=True, help="Kernels one browser may hold of a page; 0: any."
    )
    kernels_per_session = Int(40, config=True, help="Kernels one session may hold; 0: any.")
    code_tries = Int(30, config=True, help="Wrong codes per client address per 5 min; 0: any.")
    browser_tries = Int(6, config=True, help="Wrong codes per browser per 5 min; 0: any.")
    joins_per_minute = Int(30, config=True, help="New kernels per client address a minute; 0: any.")
    join_burst = Int(60, config=True, help="New kernels one client address may open at once.")
    silent_after = Float(
        300.0, config=True, help="A page silent this long may lose its kernel at the cap."
    )
    max_message_bytes = Int(
        131072, config=True, help="Largest websocket message a page may send (bytes)."
    )
    header_timeout = Float(
        10.0, config=True, help="Seconds a connection has to send a request's headers."
    )
    connections_per_client = Int(
        256, config=True, help="Open connections per client address; 0: any."
    )
    trusted_proxy = Unicode(
        "",
        config=True,
        help="The proxy in front (address or name): its X-Real-IP is the client's address.",
    )

    @default("identity_provider_class")
    def _anonymous_students(self) -> type:
        return AnonymousStudents  # no 30-day "username-…" cookie (serve/anonymous.py)

    def init_settings(self) -> dict[str, Any]:
        if self.pool_size > 0:
            self.voila_configuration.preheat_kernel = True
            self.config.VoilaKernelManager.kernel_pools_config = {
                "default": {"pool_size": 0},
                self.pool_notebook: {"pool_size": self.pool_size},
            }
            self.config.VoilaKernelManager.fill_delay = self.pool_fill_delay
        gate = admission.Gate(
            kernels_per_browser=self.kernels_per_browser,
            kernels_per_session=self.kernels_per_session,
            code_tries=self.code_tries,
            browser_tries=self.browser_tries,
            joins_per_minute=self.joins_per_minute,
            join_burst=self.join_burst,
            silent_after=self.silent_after,
        )
        factory = capped_kernel_manager(
            voila_app.voila_kernel_manager_factory,
            max_kernels=self.max_kernels,
            evict_after=self.evict_after,
            fill_spacing=self.pool_fill_spacing,
            gate=gate,
        )
        self.voila_configuration.page_config_hook = page_texts(
            self.voila_configuration.page_config_hook
        )
        with _swapped_factory(factory):
            settings: dict[str, Any] = super().init_settings()
        # the page and other dynamic responses gzipped (static files: serve/light.py), and the
        # kernel websocket's messages deflated (permessage-deflate, which browsers offer)
        settings["compress_response"] = True
        settings["websocket_compression_options"] = {"compression_level": 6, "mem_level": 5}
        settings[admission.SETTING] = gate
        settings["websocket_max_message_size"] = self.max_message_bytes
        settings["default_handler_class"] = admission.CodePageHandler
        settings["default_handler_args"] = {"status": 404}
        return settings

    def init_handlers(self) -> list[Any]:
        """Voilà's handlers with compressed, well-cached static files (serve/light.py) and the
        admission before a kernel in front of its pages and kernels (serve/admission.py)."""
        return admission.admitted_handlers(light_handlers(super().init_handlers()))

    def start(self) -> None:
        warm_up([FRONT_END])
        super().start()

    def listen(self) -> None:
        """Voilà's listen, with our bounded HTTP server in place of ``Application.listen``'s."""

        def bounded_listen(port: int, address: str = "", **_kwargs: Any) -> Any:
            server = connections.BoundedHTTPServer(
                self.app,
                idle_connection_timeout=self.header_timeout,
                per_client=self.connections_per_client,
                proxy=connections.TrustedProxy(self.trusted_proxy) if self.trusted_proxy else None,
            )
            server.listen(port, address)
            return server

        self.app.listen = bounded_listen  # type: ignore[method-assign]
        super().listen()


def main() -> None:
    connections.raise_open_files_limit()
    StudentVoila.launch_instance()


if __name__ == "__main__":
    main()
