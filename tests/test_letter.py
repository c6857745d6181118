"""The parent letter: lessons, help routes and privacy from the real files; Markdown and PDF."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path
from string import Template

import pytest

from beeldwijs.cli import main
from beeldwijs.content import Library
from beeldwijs.content.help import routes_for
from beeldwijs.content.letters import letter_problems, letter_templates, strip_fact_marks
from beeldwijs.documents.letter import (
    letter_markdown,
    load_template,
    series_lessons,
    template_file,
    write_letter,
)
from beeldwijs.documents.textdoc import markdown_blocks, md_escape
from beeldwijs.errors import ContentError
from tests.pdftools import assert_language_and_sound, pdf_pages_as_text

SCHOOL = "Het $Lyceum$ <script>alert(1)</script>"


def test_series_is_the_brugklas_lessons_in_order(library: Library) -> None:
    ids = [lesson.id for lesson in series_lessons(library)]
    b1 = [le.id for le in library.lessons() if le.id.startswith("brugklas-") and le.level == "B1"]
    assert ids == sorted(b1)  # the A2 versions are for a class that chose them
    assert len(ids) >= 3
    chosen = series_lessons(library, ["brugklas-3-melden-is-geen-klikken", "beelden-en-jij"])
    assert [lesson.id for lesson in chosen] == [
        "brugklas-3-melden-is-geen-klikken",
        "beelden-en-jij",
    ]
    with pytest.raises(ValueError, match="is for staff"):
        series_lessons(library, ["staf-tabletop-incidentprotocol"])
    with pytest.raises(ContentError, match="dit lesbestand bestaat niet"):
        series_lessons(library, ["bestaat-niet"])


def test_letter_names_school_lessons_help_and_privacy(library: Library) -> None:
    lessons = series_lessons(library)
    md = letter_markdown(SCHOOL, "2 t/m 20 september", lessons, retention_days=21, date="1-9-2027")
    assert md_escape(SCHOOL) in md and "<script>" not in md and "\\$Lyceum\\$" in md
    assert "2 t/m 20 september" in md and "1-9-2027" in md
    for lesson in lessons:
        assert md_escape(lesson.title) in md and md_escape(lesson.summary) in md
        assert f"Ongeveer {lesson.minutes} minuten" in md
    assert "samen afspraken maken" in md  # themes in words parents know
    for route in routes_for():
        assert f"**{md_escape(route.name)}**" in md
    assert "Bel 0800-0432." in md and "www.helpwanted.nl" in md
    assert "Na 21 dagen" in md and "IP-adressen" in md and "anoniem" in md
    assert "Reageer niet zelf online" in md and "bangmakerij" in md
    assert "$" not in md.replace("\\$", "")  # every placeholder filled


def test_template_placeholders_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "brief.md"
    path.write_text("Beste ouder, $school $lessons $help_routes $schoolnaam", encoding="utf-8")
    with pytest.raises(ContentError, match=r"\$schoolnaam: unknown placeholder"):
        load_template(path)
    path.write_text("Beste ouder van $school. $help_routes", encoding="utf-8")
    with pytest.raises(ContentError, match=r"\$lessons: missing"):
        load_template(path)
    path.write_text("$school $lessons $help_routes kost 5 $ per stuk", encoding="utf-8")
    with pytest.raises(ContentError, match="lone"):
        load_template(path)
    assert isinstance(load_template(), Template)


def test_markdown_blocks_read_back_our_markdown() -> None:
    blocks = markdown_blocks(
        "# Titel \\$x\\$\n\nEen **vette**\nalinea.\n\n- punt een\n  gaat door\n"
        "- [ ] **Vraag?** (Nee)  \n  Advies: doe het.\n\n| A | B |\n|---|---|\n| x | 1 |\n"
    )
    assert blocks == [
        ("h1", "Titel $x$"),
        ("p", "Een vette alinea."),
        ("li", "• punt een gaat door"),
        ("li", "☐ Vraag? (Nee)"),
        ("sub", "Advies: doe het."),
        ("li", "• x: B 1"),
    ]


def test_letter_command_writes_markdown_and_a_pdf_that_renders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "brieven"
    code = main(["letter", "--school", SCHOOL, "--dates", "2 t/m 20 september", "--out", str(out)])
    assert code == 0
    md, pdf = sorted(out.iterdir())
    assert (md.suffix, pdf.suffix) == (".md", ".pdf")
    assert_language_and_sound(pdf)
    assert str(md) in capsys.readouterr().out
    pages = pdf_pages_as_text(pdf)
    whole = " ".join(" ".join(p.split()) for p in pages)
    assert SCHOOL in whole  # literally: no mathtext, no markup
    assert (
        "Brugklas 1" in whole and "Kindertelefoon" in whole and "Reageer niet zelf online" in whole
    )


def test_letter_command_refuses_a_staff_lesson(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["letter", "--school", "X", "--lessons", "staf-tabletop-incidentprotocol"]
    assert main([*args, "--out", str(tmp_path)]) == 1
    assert "is for staff" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("kind", "lang", "expected"),
    [
        ("onderbouw", "nl", ["sextortion", "Druk en delen", "niet betalen"]),
        ("bovenbouw", "nl", ["doxing", "Na de foto", "1 juli 2024"]),
        ("brugklas", "en", ["Dear parent", "open question", "Do not respond online"]),
    ],
)
def test_every_year_group_letter_is_honest_about_anonymity_and_names_privacy(
    kind: str, lang: str, expected: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["letter", "--school", "Het Lyceum", "--kind", kind, "--lang", lang]
    args += ["--privacy-contact", "mevrouw Jansen (FG), fg@lyceum.example", "--out", str(tmp_path)]
    assert main(args) == 0, capsys.readouterr().err
    (md,) = tmp_path.glob("*.md")
    text = md.read_text(encoding="utf-8")
    assert all(phrase in text for phrase in expected), text
    assert "mevrouw Jansen (FG), fg@lyceum.example" in text and "$" not in text
    assert "open vraag" in text or "open question" in text  # open answers can identify someone
    if kind != "brugklas":
        assert f"-{kind}-" in md.name and "Brugklas 1" not in text  # its own year group's lessons


def test_the_incident_letter_names_no_one_and_asks_for_no_online_reaction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["letter", "--school", SCHOOL, "--kind", "incident", "--out", str(tmp_path)]
    assert main(base) == 1 and "--incident" in capsys.readouterr().err  # says what is missing
    what = "Vorige week ging in een groepsapp een foto van een leerling rond."
    assert main([*base, "--incident", what]) == 0
    md, pdf = sorted(tmp_path.iterdir())
    text = md.read_text(encoding="utf-8")
    assert what in text and "Reageer niet online" in text and "zonder namen" in text
    assert "functionaris gegevensbescherming" in text  # no contact given: who to ask
    whole = " ".join(" ".join(p.split()) for p in pdf_pages_as_text(pdf))
    assert what in whole and SCHOOL in whole


# -- fact references in the letter templates ------------------------------------------------

LETTERS = Path(__file__).parent / "broken" / "letters"
#: broken letter template → the one message it must give
LETTER_EXPECTED = {
    "legal-without-fact": "regel 7: juridische woorden ('strafbaar') zonder feit: sluit de "
    "alinea af met <!-- feiten: id, … -->",
    "unknown-fact": "regel 7: 'smaad-bestaat-niet' is geen id van een feit",
    "secrecy-promise": "regel 7: belooft geheimhouding ('blijft het tussen ons')",
    "english-without-fact": "regel 7: juridische woorden ('criminal') zonder feit",
}


def test_every_broken_letter_is_covered() -> None:
    assert {p.stem for p in LETTERS.glob("*.md")} == set(LETTER_EXPECTED)


@pytest.mark.parametrize("name", sorted(LETTER_EXPECTED))
def test_broken_letter_gives_its_message(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = LETTERS / f"{name}.md"
    problems = [str(p) for p in letter_problems(path)]
    assert len(problems) == 1 and problems[0].startswith(f"{path}: {LETTER_EXPECTED[name]}")
    assert main(["check", str(path)]) == 1  # a school checks its own template the same way
    assert LETTER_EXPECTED[name] in capsys.readouterr().out


def test_every_shipped_letter_names_the_facts_of_its_legal_sentences(tmp_path: Path) -> None:
    templates = letter_templates()
    assert len(templates) == 5
    marked = [p for p in templates if "<!-- feiten:" in p.read_text(encoding="utf-8")]
    assert len(marked) == 5 and all(letter_problems(p) == [] for p in templates)
    # the check can fail: the same letter without its fact comments is refused
    bare = tmp_path / "ouderbrief.md"
    bare.write_text(strip_fact_marks(templates[-1].read_text(encoding="utf-8")), encoding="utf-8")
    assert any("zonder feit" in str(p) for p in letter_problems(bare))


def test_the_sent_letter_shows_no_fact_comments(tmp_path: Path, library: Library) -> None:
    for kind in ("brugklas", "onderbouw", "bovenbouw", "incident"):
        text = letter_markdown(
            SCHOOL, "2 t/m 20 september", series_lessons(library, audience="brugklas"),
            template=load_template(template_file(kind), kind), incident="Een foto ging rond.",
        )  # fmt: skip
        assert "<!--" not in text and "feiten:" not in text, kind


def test_the_english_letter_gives_english_titles_with_the_dutch_one_the_child_sees(
    library: Library, tmp_path: Path
) -> None:
    lessons = series_lessons(library)
    template = load_template(template_file("brugklas", "en"))
    md = letter_markdown("Het Lyceum", "", lessons, template=template, lang="en")
    for n, lesson in enumerate(lessons, start=1):
        assert lesson.title_en and lesson.summary_en
        assert f"### {n}. {md_escape(lesson.title_en)}" in md
        assert f"In Dutch: *{md_escape(lesson.title)}*" in md  # what the child will see
        assert md_escape(lesson.summary_en) in md and lesson.summary not in md
        assert f"About {lesson.minutes} minutes." in md
    assert "making agreements together" in md and "samen afspraken maken" not in md
    assert "the coming weeks" in md and "Ongeveer" not in md and "de komende weken" not in md
    routes = routes_for(tuple(r for le in lessons for s in le.scenarios for r in s.help_routes))
    for route in routes:  # the help the child sees, in English words
        assert (
            route.name_en
            and f"**{md_escape(route.name_en)}**: {md_escape(route.text_en or '')}" in md
        )
        assert md_escape(route.text) not in md
    assert "Call 113 or 0800-0113" in md and " of 0800" not in md
    pdf = write_letter(md, tmp_path, "Het Lyceum", "en", lang="en")[1]
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert "Letter to parents – Het Lyceum" in info.stdout  # the PDF's title, in English too
    assert_language_and_sound(pdf, "en-GB")
    # a lesson without an English title cannot go into the English letter: it says what to add
    untranslated = [replace(lessons[0], title_en="", summary_en="")]
    with pytest.raises(ValueError, match="zet title_en en summary_en in het lesbestand"):
        letter_markdown("Het Lyceum", "", untranslated, template=template, lang="en")
    assert lessons[0].title in letter_markdown("Het Lyceum", "", untranslated)  # Dutch: fine


def test_the_english_letter_has_the_parent_routes_and_says_which_help_in_english(
    library: Library,
) -> None:
    """Round-3 review: the routes for parents too, and 'also in English' from help.yaml only."""
    lessons = series_lessons(library)
    template = load_template(template_file("brugklas", "en"))
    md = letter_markdown("Het Lyceum", "", lessons, template=template, lang="en")
    parents = routes_for((), parents=True)
    for route in parents:
        assert route.name_en and f"**{md_escape(route.name_en)}**: " in md
    for line in md.splitlines():
        route = next(
            (r for r in parents if line.startswith(f"- **{md_escape(r.name_en or '')}**")), None
        )
        if route:
            assert line.endswith("(also in English)") == ("Engels" in (route.languages or "")), line
    assert "Kindertelefoon can also help in English" not in md
    assert md.count("(also in English)") >= 3  # HelpWanted, police, Slachtofferhulp at least


def test_the_incident_letter_puts_recording_before_deleting_and_names_no_crime(
    library: Library,
) -> None:
    """Round-3 review: one order (recorded, then delete), 'kan strafbaar zijn', parents' routes."""
    md = letter_markdown(
        "Het Lyceum", "", series_lessons(library),
        template=load_template(template_file("incident"), "incident"), incident="Een foto.",
    )  # fmt: skip
    text = " ".join(md.split())
    assert "bewaren is strafbaar" not in text and "in bezit hebben kan strafbaar zijn" in text
    assert text.index("vastgelegd waar het beeld stond") < text.index("Laat het nu verwijderen")
    assert "wie het stuurde; de school" not in text  # no instruction to name the sender
    assert "Veilig Thuis" in text and "als er beelden van je rondgaan" not in text  # u, not je


def test_no_letter_says_the_name_filter_catches_everything() -> None:
    for path in letter_templates():
        text = " ".join(path.read_text(encoding="utf-8").split())
        assert "automatisch onleesbaar" not in text and "masked automatically" not in text, path
        if "incident" not in path.name:  # the series letters explain open answers: honestly
            assert "mist er soms een" in text or "can miss some" in text, path
