"""The join page (beeldwijs.widgets.join) driven from Python, and the shared lesson cache.

``set_state`` mimics the browser: PageAddress reports the page's query string and the token it
keeps for that code, in one message (what a pooled kernel receives after the request).
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import re
from pathlib import Path

import pytest

from beeldwijs.content import Lesson, Library
from beeldwijs.content import help as help_module
from beeldwijs.content.cache import ENV, cached_lesson, write_cache
from beeldwijs.content.help import HelpRoutes, help_file, help_routes_of
from beeldwijs.serve.kernels import compile_package
from beeldwijs.store import ResponseStore
from beeldwijs.widgets.help_panel import HelpPanel
from beeldwijs.widgets.join import POLL_SECONDS, JoinApp

LESSON = "beelden-en-jij"
TOKEN = "ab" * 16


def _classes(app: JoinApp) -> set[str]:
    """DOM classes of every widget shown, and the classes inside HTML widgets' markup."""
    found: set[str] = set()
    todo = list(app.children)
    while todo:
        widget = todo.pop()
        found.update(getattr(widget, "_dom_classes", ()))
        value = getattr(widget, "value", "")
        if isinstance(value, str):
            for css in re.findall(r'class="([^"]*)"', value):
                found.update(css.split())
        todo.extend(getattr(widget, "children", ()))
    return found


def test_pooled_kernel_joins_with_the_address_and_token_from_the_browser(
    library: Library, store: ResponseStore
) -> None:
    code = store.create_session(LESSON).code
    app = JoinApp(library, store)  # a pooled kernel: no query yet
    assert app.player is None
    assert "bw-help" in _classes(app)  # help is one tap away while it waits, too
    app.address.set_state({"query": f"code={code.lower()}&x=1", "token": TOKEN})
    assert app.player is not None and app.player.lesson.id == LESSON
    assert app.player.participant == TOKEN  # joined in the same message
    assert "bw-start" in _classes(app)
    assert store.participant_count(code) == 1


def test_the_notice_is_read_while_joining_and_an_early_begin_is_kept(
    library: Library, store: ResponseStore
) -> None:
    """The pooled page already shows the anonymity notice and "Begin"; a click that arrives
    before the join is done starts the lesson once it is (a fast reader loses nothing)."""
    code = store.create_session(LESSON).code
    app = JoinApp(library, store)
    assert {"bw-anonymity", "bw-start", "bw-help"} <= _classes(app)
    assert app.player is None
    app.intro.start.click()  # before the browser's address: nothing to start yet
    assert app.player is None and store.participant_count(code) == 0
    app.address.set_state({"query": f"code={code}", "token": TOKEN})
    assert app.player is not None and app.player.participant == TOKEN
    assert "bw-question" in _classes(app)  # the kept click went on to the first question
    lesson = library.lesson(LESSON)
    assert lesson.title in app.intro.text.value  # the notice got the lesson's title


def test_a_wrong_code_replaces_the_notice_with_the_form(
    library: Library, store: ResponseStore
) -> None:
    app = JoinApp(library, store)
    app.intro.start.click()
    app.address.set_state({"query": "code=QQQQQQ", "token": TOKEN})
    assert app.player is None
    assert "bw-start" not in _classes(app) and "bw-join-message" in _classes(app)


def test_joining_and_begin_send_new_widgets_whole(
    library: Library, store: ResponseStore, widget_updates: list[tuple[str, str]]
) -> None:
    """Each update message is relayed by the server to one student while the whole class joins:
    widgets made during the join and "Begin" carry their classes, children and token from the
    start instead of an update right after (docs/decisions.md, "Performance and scale")."""
    code = store.create_session(LESSON).code
    app = JoinApp(library, store)
    sent = widget_updates
    app.address.set_state({"query": f"code={code}", "token": TOKEN})
    app.intro.start.click()
    assert "bw-question" in _classes(app)
    assert [s for s in sent if s[1] in ("_dom_classes", "token", "storage_key")] == []
    assert ("LessonPlayer", "children") not in sent and ("QuestionView", "children") not in sent
    assert ("Button", "disabled") not in sent  # "Begin" is not held: its screen is replaced
    assert app.player is not None
    screen = app.player.screen.children
    app.intro.start.click()  # the second click of a double click
    assert app.player.screen.children == screen  # begun once: the same question, not a new one


def test_query_from_voila_is_used_at_once(library: Library, store: ResponseStore) -> None:
    code = store.create_session(LESSON).code
    app = JoinApp(library, store, f"code={code}")
    assert app.player is not None and app.player.code == code
    app.address.set_state({"query": "code=QQQQQQ", "token": TOKEN})  # ignored: already there
    assert app.player.code == code


def test_unknown_code_shows_the_form_and_a_typed_code_joins(
    library: Library, store: ResponseStore
) -> None:
    app = JoinApp(library, store)
    app.address.set_state({"query": "code=QQQQQQ"})
    assert app.player is None
    assert {"bw-join-message", "bw-code-input", "bw-join", "bw-help"} <= _classes(app)
    code = store.create_session(LESSON).code
    form = app.children[-1]  # after the address and the page-language widget
    field = next(c for c in form.children if "bw-code-input" in c._dom_classes)
    button = next(c for c in form.children if "bw-join" in c._dom_classes)
    field.value = code
    button.click()
    assert app.player is not None and app.player.code == code


def test_closed_session_and_missing_code(library: Library, store: ResponseStore) -> None:
    code = store.create_session(LESSON).code
    store.close_session(code)
    closed = JoinApp(library, store, f"code={code}")
    assert closed.player is None and "bw-join-message" in _classes(closed)
    empty = JoinApp(library, store, "")
    assert empty.player is None and "bw-code-input" in _classes(empty)


def test_lesson_cache_is_used_while_the_files_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "root"
    source = Library()
    for folder in ("scenarios", "lessons"):
        (root / folder).mkdir(parents=True)
        for path in (source.root / folder).glob("*.yaml"):
            (root / folder / path.name).write_bytes(path.read_bytes())
    library = Library(root)
    cache = write_cache(library, tmp_path / "cache" / "lessons.pickle")
    assert cache.stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv(ENV, str(cache))
    stamp, lessons, routes = pickle.loads(cache.read_bytes())  # noqa: S301 - written just above
    assert stamp and str(help_file()) in routes
    parsed: list[str] = []

    class Counting(Library):
        def lesson(self, lesson_id: str) -> Lesson:
            parsed.append(lesson_id)
            return super().lesson(lesson_id)

    counting = Counting(root)
    assert cached_lesson(counting, LESSON) == lessons[LESSON]
    assert parsed == []  # from the cache file, not from YAML
    # an edited file: the cache is stale, the lesson is parsed again
    lesson_file = root / "lessons" / f"{LESSON}.yaml"
    os.utime(lesson_file, ns=(1, 1))
    cached_lesson(counting, LESSON)
    assert parsed == [LESSON]


def test_help_routes_come_from_the_cache_while_the_help_file_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A student kernel shows the help routes without parsing YAML (or importing PyYAML)."""
    helps = tmp_path / "help.yaml"
    helps.write_bytes(help_file().read_bytes())
    monkeypatch.setenv("BEELDWIJS_HELP_FILE", str(helps))
    cache = write_cache(Library(), tmp_path / "cache" / "lessons.pickle")
    monkeypatch.setenv(ENV, str(cache))
    parsed: list[Path] = []

    def parse(path: Path) -> HelpRoutes:
        parsed.append(path)
        return help_routes_of(path)

    monkeypatch.setattr(help_module, "help_routes_of", parse)
    help_module._load.cache_clear()
    try:
        assert "Kindertelefoon" in HelpPanel().value
        assert parsed == []  # from the cache file
        os.utime(helps, ns=(1, 1))  # the school edited its help file
        help_module._load.cache_clear()
        assert "Kindertelefoon" in HelpPanel().value
        assert parsed == [helps]
    finally:
        help_module._load.cache_clear()


def test_the_package_bytecode_is_written_once_at_start(tmp_path: Path) -> None:
    """Kernels read bytecode even under PYTHONDONTWRITEBYTECODE; they cannot write it."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "mod.py").write_text("VALUE = 1\n")
    assert compile_package(package)
    assert Path(importlib.util.cache_from_source(str(package / "mod.py"))).is_file()
    (package / "broken.py").write_text("def (:\n")
    assert not compile_package(package)  # a file that does not compile: reported, no crash


def test_join_page_follows_the_mentors_pace_like_a_lesson_page(
    store: ResponseStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = store.create_session(LESSON, pace="presenter").code
    monkeypatch.setenv("BEELDWIJS_DB", str(db_path))
    monkeypatch.setenv("QUERY_STRING", f"code={code}")
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    app = JoinApp.for_page()
    try:
        assert app.player is not None and app.player.pace == "presenter"
        assert app.player._poll_seconds == POLL_SECONDS  # as for_lesson
    finally:
        if app.player is not None:
            app.player._stop.set()  # end its poll thread


def test_a_group_lesson_explains_the_group_answer_in_the_notice(
    library: Library, store: ResponseStore
) -> None:
    for mode, expected in (("groups", True), ("devices", False)):
        code = store.create_session(LESSON, mode=mode).code
        app = JoinApp(library, store)
        app.address.set_state({"query": f"code={code}", "token": TOKEN})
        assert ("bw-groups-notice" in app.intro.text.value) is expected
        assert ("als groepje" in app.intro.text.value) is expected
