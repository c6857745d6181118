"""The docentenhandleiding: one for every lesson, with the story, questions, expert views, facts
and help routes, written as Markdown and as a PDF that renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from beeldwijs.cli import main
from beeldwijs.content import Library
from beeldwijs.content.facts import facts_for
from beeldwijs.documents.handleiding import (
    handleiding_markdown,
    lesson_fact_ids,
    write_handleiding,
)
from beeldwijs.documents.textdoc import drawable, md_escape
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


def test_emoji_the_pdf_font_cannot_draw_are_left_out_not_printed_as_boxes(
    library: Library, tmp_path: Path
) -> None:
    """The stories' chats have emoji; matplotlib's DejaVu Sans draws few of them (measured: 20
    in the shipped guides and cards it cannot), so the PDF printed empty boxes and matplotlib
    warned (an error in the tests). write_pdf now leaves them out; the Markdown keeps them."""
    lesson = library.lesson("brugklas-1-online-identiteit")
    assert all(emoji in handleiding_markdown(lesson) for emoji in "🔥🤡🎉")
    _, pdf = write_handleiding(lesson, tmp_path)  # a missing glyph warns: an error here
    whole = " ".join(" ".join(page.split()) for page in pdf_pages_as_text(pdf))
    assert not any(emoji in whole for emoji in "🔥🤡🎉") and "Docentenhandleiding" in whole
    assert drawable("Sanne: haha 😂 🔥🔥 💀 echt") == "Sanne: haha 😂 echt"  # 😂 has a glyph
    assert drawable("A  label") == "A  label"  # untouched when nothing is left out


def test_every_text_a_chart_draws_has_its_glyphs(library: Library) -> None:
    """Prompts and option labels are drawn into charts (dashboard SVG, report PDF) outside
    write_pdf, where leaving an emoji out would change what the option says: none of the
    shipped ones may hold a character the font cannot draw."""
    from beeldwijs.ui.labels import option_labels

    texts = {
        text
        for lesson in library.lessons()
        for question in lesson.questions
        for text in (question.prompt, *(label for _, label in option_labels(question)))
    }
    assert len(texts) > 500
    assert [text for text in texts if drawable(text) != text] == []


def test_an_unknown_lesson_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["handleiding", "bestaat-niet", "--out", "/tmp/nergens"]) != 0
    assert "bestaat-niet" in capsys.readouterr().err
