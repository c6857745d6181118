"""The docentenhandleiding: one for every lesson, with the story, questions, expert views, facts
and help routes, written as Markdown and as a PDF that renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from beeldwijs.cli import main
from beeldwijs.content import Library
from beeldwijs.content.facts import facts_for
from beeldwijs.documents.handleiding import handleiding_markdown, lesson_fact_ids
from beeldwijs.documents.textdoc import md_escape
from beeldwijs.texts import t
from tests.pdftools import pdf_pages_as_text


def test_every_lesson_has_a_complete_guide(library: Library) -> None:
    for lesson in library.lessons():
        md = handleiding_markdown(lesson)
        assert md.startswith(f"# {md_escape(t('guide.title', title=lesson.title))}")
        for heading in ("guide.goals", "guide.timing", "guide.disclosure", "guide.do_not_reveal"):
            assert f"## {md_escape(t(heading))}" in md, (lesson.id, heading)
        for scenario in lesson.scenarios:
            assert f"### {md_escape(scenario.title)}" in md
            for question in scenario.questions:
                assert md_escape(question.prompt) in md
        for fact in facts_for(lesson_fact_ids(lesson)):
            assert f"**{md_escape(fact.id)}**" in md and fact.checked in md
        assert lesson.guide is not None and md_escape(lesson.guide.disclosure) in md


def test_the_guide_says_no_secrecy_and_shows_the_law_of_2024(library: Library) -> None:
    md = handleiding_markdown(library.lesson("mentorles-victim-blaming-shame-sexting"))
    assert "Beloof geen geheimhouding" in md
    assert "sexting-leeftijdsgenoten" in md and "2024-07-01" in md
    assert "kinderporno" not in md.lower()


def test_handleiding_command_writes_markdown_and_a_pdf_that_renders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "handleidingen"
    assert main(["handleiding", "staf-tabletop-incidentprotocol", "--out", str(out)]) == 0
    md, pdf = sorted(out.iterdir())
    assert (md.suffix, pdf.suffix) == (".md", ".pdf") and str(pdf) in capsys.readouterr().out
    pages = pdf_pages_as_text(pdf)
    whole = " ".join(" ".join(page.split()) for page in pages)
    assert len(pages) > 2
    assert "Docentenhandleiding: Teamoefening" in whole and "Tijdsplan" in whole
    assert "HelpWanted" in whole and "meldcode" in whole.lower()
    assert "$" not in whole.replace("$$", "")  # no mathtext, no markup left over


def test_an_unknown_lesson_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["handleiding", "bestaat-niet", "--out", "/tmp/nergens"]) != 0
    assert "bestaat-niet" in capsys.readouterr().err
