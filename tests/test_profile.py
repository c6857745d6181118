"""Help routes per audience with hours, ages, languages and a check date; the school profile feeds
the help panel, the parent letter and the mentor guide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from markupsafe import escape

from beeldwijs.cli import main
from beeldwijs.content import Library
from beeldwijs.content.check import check_help_file
from beeldwijs.content.help import help_file, help_routes, help_routes_of, routes_for
from beeldwijs.content.profile import EXAMPLE_FILE, read_profile
from beeldwijs.documents.letter import letter_markdown
from beeldwijs.widgets.help_panel import HelpPanel

ROUTE = """\
routes:
  - id: kindertelefoon
    name: "De Kindertelefoon"
    text: "Gratis en anoniem praten."
    phone: "0800-0432"
    ages: "8 tot 18 jaar"
    languages: "Nederlands"
    checked: "{checked}"
    always: true
"""


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    from beeldwijs.content import help as help_module
    from beeldwijs.content import profile

    help_module._load.cache_clear()
    profile._profile.cache_clear()
    yield
    help_module._load.cache_clear()
    profile._profile.cache_clear()


def test_every_route_outside_school_says_when_for_whom_and_when_checked() -> None:
    for staff, parents in ((False, False), (True, False), (False, True)):
        routes = help_routes(staff, parents)
        assert routes
        for route in routes:
            if route.external:
                assert route.hours and route.ages and route.languages and route.checked, route.id
    ids = {r.id for r in help_routes()}
    assert {"politie", "meld-misdaad-anoniem", "slachtofferhulp", "centrum-seksueel-geweld"} <= ids
    staff = {r.id for r in help_routes(staff=True)}
    assert {"veilig-thuis", "vertrouwensinspecteur", "meldpunt-kinderporno"} <= staff
    parents = {r.id: r for r in help_routes(parents=True)}
    assert "kindertelefoon" not in parents and "privacy" in parents
    assert problems_of(check_help_file()) == []


def problems_of(found: tuple[list, list]) -> list[str]:
    return [str(p) for p in found[0]]


def test_a_route_without_hours_fails_and_an_old_check_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "help.yaml"
    path.write_text(ROUTE.format(checked="2024-01-10"), encoding="utf-8")
    monkeypatch.setenv("BEELDWIJS_HELP_FILE", str(path))
    problems, warnings = check_help_file()
    assert [str(p) for p in problems] == [
        f"{path}: /routes/0: hulplijn 'kindertelefoon' buiten school heeft nog nodig: hours"
    ]
    assert any("nagekeken op 2024-01-10" in str(w) for w in warnings)


def test_the_bovenbouw_route_shows_only_in_a_bovenbouw_lesson(library: Library) -> None:
    upper = library.lesson("mentorles-victim-blaming-shame-sexting")
    first = library.lesson("brugklas-1-online-identiteit")
    assert "Centrum Seksueel Geweld" in HelpPanel(audience=upper.audience).value
    assert "Centrum Seksueel Geweld" not in HelpPanel(audience=first.audience).value
    assert "(dag en nacht, iedereen)" in HelpPanel(audience=first.audience).value


def test_the_school_profile_names_its_people_everywhere(
    monkeypatch: pytest.MonkeyPatch, library: Library, tmp_path: Path
) -> None:
    monkeypatch.setenv("BEELDWIJS_SCHOOL_PROFILE", str(EXAMPLE_FILE))
    profile = read_profile(EXAMPLE_FILE)
    assert profile.vertrouwenspersoon is not None and profile.functionaris_gegevensbescherming
    routes = {r.id: r for r in help_routes_of(help_file()).students}
    assert profile.vertrouwenspersoon.naam in routes["vertrouwenspersoon"].text
    assert escape(profile.vertrouwenspersoon.naam) in HelpPanel().value
    parents = {r.id: r for r in routes_for(parents=True)}
    assert profile.functionaris_gegevensbescherming.bereikbaar in parents["privacy"].text
    out = tmp_path / "brief"
    assert main(["letter", "--dates", "2 t/m 20 september", "--out", str(out)]) == 0
    md = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert profile.school in md and "fg@voorbeeldstichting" in md
    assert problems_of(check_help_file()) == []
    lessons = [library.lesson("brugklas-1-online-identiteit")]
    assert profile.vertrouwenspersoon.naam in letter_markdown("X", "", lessons)


def test_a_broken_profile_names_file_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "profiel.yaml"
    path.write_text('school: "X"\nvertrouwenspersoon:\n  naam: "mevrouw Y"\n', encoding="utf-8")
    monkeypatch.setenv("BEELDWIJS_SCHOOL_PROFILE", str(path))
    problems, _ = check_help_file()
    assert [str(p) for p in problems] == [
        f"{path}:3: /vertrouwenspersoon/bereikbaar: ontbreekt (verplicht)"
    ]


def test_without_a_profile_the_check_warns(
    capsys: pytest.CaptureFixture[str], library: Library
) -> None:
    assert main(["check", str(library.scenario_dir / "brugklaskamp-foto.yaml")]) == 0
    assert "geen schoolprofiel" in capsys.readouterr().out
