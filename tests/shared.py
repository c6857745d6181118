"""Helpers the tests and the benchmarks share (bench/ imports them too), so none is copied.

No pytest here: a benchmark runs as a plain script.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import nbformat


def no_proxy_opener(*handlers: urllib.request.BaseHandler) -> urllib.request.OpenerDirector:
    """An HTTP opener that ignores ``http_proxy`` (school networks often set one; ours are local)."""
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), *handlers)


NO_PROXY = no_proxy_opener()


def http_get(
    url: str, headers: dict[str, str] | None = None, timeout: float = 120
) -> tuple[int, str]:
    """Status and body of a GET through ``NO_PROXY``; for an HTTP error, its status and body."""
    try:
        with NO_PROXY.open(
            urllib.request.Request(url, headers=headers or {}), timeout=timeout
        ) as response:
            return int(response.status), response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode(errors="replace")


def answers(url: str) -> bool:
    """Whether a server answers HTTP at ``url`` now, with any status (not yet: refused)."""
    try:
        NO_PROXY.open(url, timeout=2).close()
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def free_ports(n: int, host: str = "127.0.0.1") -> list[int]:
    """``n`` different TCP ports nobody listens on now (held together while asked, so they
    differ; another process may still take one before the caller binds it)."""
    sockets = [socket.socket() for _ in range(n)]
    try:
        for sock in sockets:
            sock.bind((host, 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on now."""
    return free_ports(1, host)[0]


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children of all its threads, and theirs), from /proc."""
    found: list[int] = []
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            children = [
                int(child)
                for task in Path(f"/proc/{current}/task").iterdir()
                for child in (task / "children").read_text().split()
                if re.fullmatch(r"\d+", child)
            ]
        except OSError:
            continue
        found.extend(children)
        stack.extend(children)
    return found


def pss_mb(pid: int) -> float:
    """The process's proportional set size in MB (0 when it is gone)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


def stop_group(process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Stop a process started with ``start_new_session=True`` and everything it started:
    SIGTERM to its group, SIGKILL after ``timeout`` seconds."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def write_notebook(path: Path, source: str, title: str) -> None:
    """A notebook of one code cell at ``path``, titled ``title`` (Voilà's page title)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["title"] = title
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def start_lesson(mentor: Any, dashboard: str, lesson: Any, *, pace: str | None = None) -> str:
    """In the mentor's Playwright page: open the dashboard, pick ``lesson`` (and the ``pace``
    label), start the session; returns the join code shown."""
    mentor.goto(dashboard)
    mentor.locator(".bw-lesson-picker select").select_option(
        label=f"{lesson.title} ({lesson.minutes} min)"
    )
    if pace is not None:
        mentor.get_by_text(pace, exact=True).click()
    mentor.click(".bw-start-session")
    return str(mentor.locator(".bw-join-code").first.inner_text().strip())


def widget_tree(widget: Any) -> list[Any]:
    """``widget`` and every widget inside it, depth first, in the order the page shows them."""
    return [widget] + [w for child in getattr(widget, "children", ()) for w in widget_tree(child)]


def with_class(widget: Any, css: str) -> list[Any]:
    """The widgets in ``widget``'s tree (itself included) that carry the DOM class ``css``."""
    return [w for w in widget_tree(widget) if css in getattr(w, "_dom_classes", ())]


def html_text(widget: Any) -> str:
    """The markup of every HTML widget in ``widget``'s tree, in page order."""
    return "\n".join(w.value for w in widget_tree(widget) if type(w).__name__ == "HTML")


def picture_of(fragment: str) -> tuple[bytes, str]:
    """The SVG and the text alternative of the one picture in an HTML fragment (ui/image.py)."""
    import base64
    import html

    match = re.search(r'<img [^>]*src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)"', fragment)
    if match is None:
        raise AssertionError(f"no SVG picture in {fragment[:300]!r}")
    return base64.b64decode(match.group(1)), html.unescape(match.group(2))


def run_coroutine(coroutine: Any) -> Any:
    """``asyncio.run(coroutine)`` on a thread of its own: a test module's Chromium (Playwright's
    sync API) keeps an event loop running on the main thread until the session ends, and
    ``asyncio.run`` refuses to start beside it."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
