"""Help routes: one reviewed file with routes for students and, worded for them, for school staff."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import escape

from beeldwijs.content import Library
from beeldwijs.content.help import help_route_ids, help_routes, routes_for
from beeldwijs.errors import ContentError
from beeldwijs.store import ResponseStore
from beeldwijs.texts import t
from beeldwijs.widgets import LessonPlayer

STUDENT_ROUTE = """\
routes:
  - id: mentor
    name: "Je mentor"
    text: "Praat met je mentor."
    always: true
"""


def test_staff_get_the_routes_of_the_guide_s_chapter_2() -> None:
    staff = {r.id: r for r in routes_for(staff=True)}
    assert {"politie", "helpwanted", "stappenplansexting", "school-en-veiligheid"} <= staff.keys()
    assert "mentor" not in staff and "kindertelefoon" not in staff  # written for students
    assert "bewijs" in staff["politie"].text  # talk to the police before removing images
    assert "trusted flagger" in staff["helpwanted"].text
    students = {r.id: r for r in routes_for()}
    assert "mentor" in students and "zorgcoordinator" not in students
    assert students["politie"].phone == "112 of 0900-8844"  # worded for students, not the contact
    every = (*help_routes(), *help_routes(staff=True), *help_routes(parents=True))
    assert set(help_route_ids()) == {r.id for r in every}


def test_a_school_file_without_staff_routes_shows_staff_the_student_routes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "help.yaml"
    path.write_text(STUDENT_ROUTE, encoding="utf-8")
    monkeypatch.setenv("BEELDWIJS_HELP_FILE", str(path))
    assert [r.id for r in routes_for(staff=True)] == ["mentor"]


def test_a_broken_staff_route_names_file_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "help.yaml"
    path.write_text(
        STUDENT_ROUTE + 'staff_routes:\n  - id: politie\n    name: "Politie"\n    text: 112\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("BEELDWIJS_HELP_FILE", str(path))
    with pytest.raises(ContentError) as caught:
        routes_for(staff=True)
    assert str(path) in str(caught.value) and "/staff_routes/0/text" in str(caught.value)


@pytest.mark.parametrize("lesson_id", ["staf-tabletop-incidentprotocol", "staf-zelfscan-team"])
def test_a_staff_lesson_shows_the_staff_routes(lesson_id: str, store: ResponseStore) -> None:
    lesson = Library().lesson(lesson_id)
    assert lesson.staff_only
    player = LessonPlayer(lesson, store, store.create_session(lesson_id).code)
    player.browser_token.token = "a" * 32
    panel = player.help_panel.value
    assert escape(t("help.heading_staff")) in panel and "stappenplansexting.nl" in panel
    assert "Je mentor" not in panel and "Kindertelefoon" not in panel


def test_a_student_lesson_shows_the_student_routes(store: ResponseStore) -> None:
    lesson = Library().lesson("brugklas-1-online-identiteit")
    player = LessonPlayer(lesson, store, store.create_session(lesson.id).code)
    assert not lesson.staff_only
    assert escape(t("help.heading")) in player.help_panel.value
    assert "Kindertelefoon" in player.help_panel.value
