"""A student's browser without the browser: a Voilà page's kernel driven over its websocket.

What a forger can do with a few lines of script: load the page, read the kernel id from it,
open the kernel's websocket and send the same ``comm_msg`` messages the widget front end sends
(``method: update`` for a changed value, ``method: custom`` for a button click), to any widget,
also one the page shows disabled or no longer shows at all.

The client mirrors the kernel's widgets: it asks for every widget model (``comm_info_request``
and ``request_state``, as ipywidgets' front end does), then follows ``comm_open`` and ``update``
messages. Every frame received is kept (``frames``) so tests can search them for tracebacks.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import socket
import struct
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import websocket

from tests.shared import NO_PROXY

WIDGET_TARGET = "jupyter.widget"
#: How long a page may take to arrive whole (a class of kernels starting on a loaded machine).
PAGE_SECONDS = 300.0
#: The widget a page displays: a widget removed from the page is no longer inside one of these.
ROOT_CLASSES = ("bw-join-app", "bw-app", "bw-dash", "bw-moderation")


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """Status and body of a GET (no proxy)."""
    status, body, _ = get_page(url, headers)
    return status, body


def get_page(
    url: str, headers: dict[str, str] | None = None, source: str | None = None
) -> tuple[int, str, str]:
    """Status, body and the page's kernel secret (cookie ``beeldwijs-page``, "" if none);
    from the loopback address ``source`` when given (another client, e.g. 127.0.0.2)."""
    status, body, cookies = get_response(url, headers, source)
    return status, body, cookies.get("beeldwijs-page", "")


def get_response(
    url: str, headers: dict[str, str] | None = None, source: str | None = None
) -> tuple[int, str, dict[str, str]]:
    """Status, body and the cookies the response sets (name → value; no proxy)."""
    if source is not None:
        parts = urllib.parse.urlsplit(url)
        conn = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=120, source_address=(source, 0)
        )
        try:
            conn.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path,
                         headers=headers or {})  # fmt: skip
            response = conn.getresponse()
            body = read_whole(response, url).decode(errors="replace")
            return int(response.status), body, set_cookies(response.headers)
        finally:
            conn.close()
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with NO_PROXY.open(request, timeout=120) as response:
            body = read_whole(response, url).decode(errors="replace")
            return int(response.status), body, set_cookies(response.headers)
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode(errors="replace"), {}


def read_whole(response: Any, url: str, seconds: float = PAGE_SECONDS) -> bytes:
    """The whole body within ``seconds``: a Voilà page streams while its kernel runs the
    notebook, so a page that never finishes (bytes trickling in) fails here instead of hanging."""
    deadline = time.monotonic() + seconds
    parts = []
    while chunk := response.read1(65536):
        parts.append(chunk)
        if time.monotonic() > deadline:
            raise AssertionError(f"GET {url}: the page did not finish in {seconds:.0f} s")
    return b"".join(parts)


def set_cookies(headers: Any) -> dict[str, str]:
    """The cookies a response sets: name → value (beeldwijs-page: the page's kernel secret,
    beeldwijs-browser: the browser's own cookie; beeldwijs.serve.admission)."""
    found = {}
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def connect_from(base_url: str, source: str) -> socket.socket:
    """A TCP connection to ``base_url``'s host and port from the local address ``source``."""
    parts = urllib.parse.urlsplit(base_url)
    return socket.create_connection(
        (parts.hostname or "127.0.0.1", parts.port or 80), timeout=30, source_address=(source, 0)
    )


def kernel_id_of(html: str) -> str:
    match = re.search(r'"kernelId": "([0-9a-f-]+)"', html)
    if match is None:
        raise AssertionError(f"no kernelId in page:\n{html[:2000]}")
    return match.group(1)


def decode_frame(frame: str | bytes) -> tuple[dict[str, Any], str]:
    """(message, its text) of a frame: JSON text, or jupyter_server's binary framing."""
    if isinstance(frame, str):
        return json.loads(frame), frame
    (count,) = struct.unpack("!I", frame[:4])
    offsets = struct.unpack(f"!{count}I", frame[4 : 4 + 4 * count])
    ends = [*offsets[1:], len(frame)]
    text = frame[offsets[0] : ends[0]].decode()
    buffers = " ".join(
        frame[a:b].decode(errors="replace") for a, b in zip(offsets[1:], ends[1:], strict=True)
    )
    return json.loads(text), f"{text} {buffers}"


class KernelClient:
    """One page load: its kernel's websocket and a mirror of the kernel's widgets."""

    def __init__(
        self,
        base_url: str,
        path: str,
        *,
        origin: bool = True,
        source: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        status, self.html, self.cookies = get_response(
            f"{self.base_url}/{path.lstrip('/')}", headers, source
        )
        self.secret = self.cookies.get("beeldwijs-page", "")
        if status != 200:
            raise AssertionError(f"GET {path}: {status}\n{self.html[:2000]}")
        self.kernel_id = kernel_id_of(self.html)
        self.session = uuid.uuid4().hex
        ws_url = self.base_url.replace("http", "ws", 1)
        self.ws = websocket.create_connection(
            f"{ws_url}/api/kernels/{self.kernel_id}/channels?session_id={self.session}",
            timeout=5,
            origin=self.base_url if origin else None,
            http_proxy_host=None,
            cookie=f"beeldwijs-page={self.secret}" if self.secret else None,
            socket=connect_from(self.base_url, source) if source else None,
        )
        self.frames: list[str] = []  # every frame received, as text
        self.models: dict[str, dict[str, Any]] = {}  # comm id -> widget state
        self.closed: set[str] = set()
        self.replies: dict[str, dict[str, Any]] = {}  # parent msg id -> shell reply
        self.idle: set[str] = set()  # msg ids the kernel has finished handling
        self.sent = 0

    def close(self) -> None:
        self.ws.close()

    # -- the wire -----------------------------------------------------------------------------
    def send(self, msg_type: str, content: dict[str, Any], channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        message = {
            "header": {
                "msg_id": msg_id,
                "username": "student",
                "session": self.session,
                "date": dt.datetime.now(dt.UTC).isoformat(),
                "msg_type": msg_type,
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": channel,
            "buffers": [],
        }
        self.ws.send(json.dumps(message))
        self.sent += 1
        return msg_id

    def _receive_one(self, timeout: float) -> bool:
        self.ws.settimeout(timeout)
        try:
            frame = self.ws.recv()
        except websocket.WebSocketTimeoutException:
            return False
        message, text = decode_frame(frame)
        self.frames.append(text)
        self._apply(message)
        return True

    def _apply(self, message: dict[str, Any]) -> None:
        kind = message["header"]["msg_type"]
        content = message.get("content", {})
        parent = message.get("parent_header", {}).get("msg_id", "")
        if message.get("channel") == "shell":
            self.replies[parent] = message
        if kind == "status" and content.get("execution_state") == "idle":
            self.idle.add(parent)
        if kind == "comm_open" and content.get("target_name") == WIDGET_TARGET:
            self.models[content["comm_id"]] = dict(content["data"]["state"])
        elif kind == "comm_msg":
            data = content.get("data", {})
            if data.get("method") in ("update", "echo_update"):
                self.models.setdefault(content["comm_id"], {}).update(data.get("state", {}))
        elif kind == "comm_close":
            self.closed.add(content["comm_id"])

    def pump(self, until: Callable[[], bool], timeout: float = 60, what: str = "") -> None:
        """Read messages until ``until()`` holds; AssertionError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not until():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what or until}")
            self._receive_one(min(1.0, max(0.05, deadline - time.monotonic())))

    def drain(self, quiet: float = 1.0, limit: float = 60) -> None:
        """Read until the kernel has been quiet for ``quiet`` seconds."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and self._receive_one(quiet):
            pass

    def wait_handled(self, msg_ids: list[str], timeout: float = 300) -> None:
        """Until the kernel has handled every message in ``msg_ids`` (its status went idle)."""
        pending = set(msg_ids)
        self.pump(lambda: pending <= self.idle, timeout, f"{len(pending - self.idle)} messages")

    def request(
        self, msg_type: str, content: dict[str, Any], timeout: float = 60
    ) -> dict[str, Any]:
        msg_id = self.send(msg_type, content)
        self.pump(lambda: msg_id in self.replies, timeout, f"reply to {msg_type}")
        return self.replies[msg_id]

    # -- widgets ------------------------------------------------------------------------------
    def fetch_widgets(self) -> None:
        """Ask for every widget and its state, as ipywidgets' front end does on page load."""
        reply = self.request("comm_info_request", {"target_name": WIDGET_TARGET})
        ids = list(reply["content"]["comms"])
        for comm_id in ids:
            self.comm_msg(comm_id, {"method": "request_state"})
        self.pump(
            lambda: all("_model_name" in self.models.get(i, {}) for i in ids),
            what="the state of every widget",
        )

    def comm_msg(self, comm_id: str, data: dict[str, Any]) -> str:
        return self.send("comm_msg", {"comm_id": comm_id, "data": data})

    def set_state(self, comm_id: str, **state: Any) -> str:
        """What the front end sends when the student changes a value (``model.save_changes``)."""
        self.models.setdefault(comm_id, {}).update(state)
        return self.comm_msg(comm_id, {"method": "update", "state": state, "buffer_paths": []})

    def click(self, comm_id: str) -> str:
        """What a Button's view sends on a click, whether or not the page shows it."""
        return self.comm_msg(comm_id, {"method": "custom", "content": {"event": "click"}})

    def children(self, comm_id: str) -> list[str]:
        return [c.removeprefix("IPY_MODEL_") for c in self.models[comm_id].get("children", [])]

    def shown(self) -> Iterator[str]:
        """Comm ids of widgets reachable from a root of the page (what the page shows)."""
        children = {c for i in self.models for c in self.children(i)}
        roots = [
            i
            for i, state in self.models.items()
            if i not in children
            and i not in self.closed
            and set(state.get("_dom_classes", [])) & set(ROOT_CLASSES)
        ]
        seen: set[str] = set()
        stack = list(roots)
        while stack:
            comm_id = stack.pop()
            if comm_id in seen or comm_id not in self.models or comm_id in self.closed:
                continue
            seen.add(comm_id)
            yield comm_id
            stack.extend(self.children(comm_id))

    def with_class(self, css: str, *, shown: bool = True) -> list[str]:
        pool = list(self.shown()) if shown else list(self.models)
        return [i for i in pool if css in self.models[i].get("_dom_classes", [])]

    def one(self, css: str) -> str:
        found = self.with_class(css)
        if len(found) != 1:
            raise AssertionError(f"{len(found)} shown widgets with class {css!r}")
        return found[0]

    def wait_for_class(self, css: str, timeout: float = 60) -> str:
        self.pump(lambda: bool(self.with_class(css)), timeout, f"a widget with class {css!r}")
        return self.with_class(css)[0]

    def with_trait(self, trait: str) -> list[str]:
        return [i for i in self.shown() if trait in self.models[i]]

    def text(self) -> str:
        """Every HTML/Label value and description shown, as one string."""
        parts = []
        for comm_id in self.shown():
            state = self.models[comm_id]
            for key in ("value", "description", "legend"):
                if isinstance(state.get(key), str):
                    parts.append(state[key])
        return "\n".join(parts)


class Student(KernelClient):
    """A forger with the student app's page: join, then reach questions the normal way."""

    def join(self, code: str, token: str) -> None:
        """Do what the page's scripts do: report the address, then the browser token."""
        self.fetch_widgets()
        for comm_id in self.with_trait("query"):
            if not self.models[comm_id]["query"]:
                self.set_state(comm_id, query=f"code={code}")  # the join page's PageAddress
        self.pump(
            lambda: any(self.models[i].get("storage_key") for i in self.with_trait("token")),
            what="the browser-token widget",
        )
        (token_widget,) = [i for i in self.with_trait("token") if self.models[i].get("storage_key")]
        self.set_state(token_widget, token=token)
        self.wait_for_class("bw-start")

    def start(self) -> None:
        self.click(self.one("bw-start"))
        self.pump(lambda: bool(self.with_class("bw-scenario") or self.with_class("bw-question")))

    def question(self) -> dict[str, str]:
        """The question on screen (below its scenario's story): its widgets' comm ids."""
        question = self.wait_for_class("bw-question")
        self.pump(lambda: len(self.children(question)) >= 3, what="the question's widgets")
        inside = self._inside(question)
        found = {"view": question, "status": self.children(question)[2]}
        found["submit"] = next(i for i in self.with_class("bw-submit") if i in inside)
        for comm_id in inside:
            state = self.models[comm_id]
            if "options" in state and "legend" in state:
                found["choice"] = comm_id
            if "bw-text-answer" in state.get("_dom_classes", []):
                found["text"] = comm_id
        progress = re.search(r"Vraag (\d+) van", self.text())
        found["number"] = progress.group(1) if progress else ""
        return found

    def _inside(self, root: str) -> set[str]:
        seen: set[str] = set()
        stack = [root]
        while stack:
            comm_id = stack.pop()
            if comm_id not in seen and comm_id in self.models:
                seen.add(comm_id)
                stack.extend(self.children(comm_id))
        return seen

    def answer(self, q: dict[str, str], value: str) -> None:
        """Choose or type ``value`` and press send once; wait for the kernel to handle it."""
        field = q.get("choice") or q["text"]
        sent = [self.set_state(field, value=value), self.click(q["submit"])]
        self.wait_handled(sent)

    def status(self, q: dict[str, str]) -> str:
        return str(self.models[q["status"]].get("value", ""))

    def saved(self, q: dict[str, str]) -> bool:
        return any(
            "bw-saved" in str(self.models[i].get("value", "")) for i in self._inside(q["view"])
        )

    def next(self, q: dict[str, str]) -> None:
        """Press "Volgende" after a saved answer and wait for the next screen."""
        (button,) = [i for i in self.with_class("bw-next") if i in self._inside(q["view"])]
        self.click(button)
        self.pump(
            lambda: q["view"] not in set(self.shown()),
            what="the next screen",
        )

    def click_many(self, button: str, times: int, batch: int = 200) -> None:
        """Click ``times`` times, in batches the kernel has handled before the next one is sent.

        A burst of 2,000 messages at once is not all delivered: beyond about a thousand in
        flight, ZeroMQ's high-water mark between the server and the kernel drops the rest
        (measured: 867 of 2,001 handled). Batches make sure every click reaches the kernel.
        """
        for start in range(0, times, batch):
            self.wait_handled([self.click(button) for _ in range(min(batch, times - start))])
