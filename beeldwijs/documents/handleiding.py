"""The docentenhandleiding of a lesson (``beeldwijs handleiding LESSON``): Markdown and PDF.

Everything a mentor needs on paper, from the lesson file and the files it rests on: the lesson's
goals and timing plan, the shared steps of every guide (preparation, opening, when not to show a
result, the disclosure script, closing, follow-up), each scenario with its story, questions, expert
views and discussion prompts, the legal facts behind them with source and check date, and the help
routes the students see. Content text is escaped for Markdown; the PDF never parses math.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from beeldwijs.content.facts import Fact, facts_for
from beeldwijs.content.help import routes_for
from beeldwijs.content.mentorguide import common_guide, part_questions
from beeldwijs.content.model import Lesson, MentorGuide, Question, Scenario
from beeldwijs.documents.textdoc import markdown_blocks, md_escape, write_pdf
from beeldwijs.texts import t


def lesson_fact_ids(lesson: Lesson) -> tuple[str, ...]:
    """Every fact the lesson's texts rely on, in order of first use (guide, scenarios, questions)."""
    ids: list[str] = []
    if lesson.guide is not None:
        ids += [*lesson.guide.facts, *common_guide(lesson.staff_only).facts]
    for scenario in lesson.scenarios:
        ids += [*scenario.facts, *(f for q in scenario.questions for f in q.facts)]
    return tuple(dict.fromkeys(ids))


def _bullets(items: Iterable[str]) -> list[str]:
    return [f"- {md_escape(item)}" for item in items]


def _section(title: str, lines: list[str]) -> list[str]:
    return [f"## {md_escape(title)}", "", *lines, ""] if lines else []


def _timing(guide: MentorGuide, lesson: Lesson) -> list[str]:
    titles = {s.id: s.title for s in lesson.scenarios}
    lines = []
    for part in guide.timing:
        name = titles.get(part.scenario or "", part.title or "")
        line = f"- **{part.minutes} min** — {md_escape(name)}"
        scenario = next((s for s in lesson.scenarios if s.id == part.scenario), None)
        for key, ids in part_questions(part):
            if scenario is not None and ids:
                asked = "; ".join(scenario.question(q).prompt for q in ids)
                line += f"\n  {md_escape(t(key, questions=asked))}"
        lines.append(line)
    return lines


def _question(n: int, question: Question) -> Iterator[str]:
    yield f"**{md_escape(t('guide.question', n=n))}** {md_escape(question.prompt)}"
    yield ""
    for option in question.options if question.type in ("dilemma", "knowledge", "decision") else ():
        mark = " ✓" if option.id == question.correct or option.verdict == "volgens-protocol" else ""
        yield f"- {md_escape(option.text)}{mark}"
        if option.feedback:
            yield f"  {md_escape(option.feedback)}"
    view = question.expert_view or question.explanation
    if view:
        yield ""
        yield f"{md_escape(t('guide.expert_view'))}: {md_escape(view)}"
    yield ""


def _scenario(scenario: Scenario) -> list[str]:
    lines = [f"### {md_escape(scenario.title)}", "", md_escape(scenario.summary), ""]
    if scenario.content_note:
        lines += [md_escape(t("story.content_note", note=scenario.content_note)), ""]
    lines += [md_escape(paragraph) for paragraph in scenario.story.text.split("\n\n")]
    lines.append("")
    if scenario.story.chat:
        lines += [
            f"- {md_escape(m.sender)}: {md_escape(m.text)}" for m in scenario.story.chat.messages
        ]
        lines.append("")
    for n, question in enumerate(scenario.questions, start=1):
        lines += list(_question(n, question))
    lines += [
        f"**{md_escape(t('guide.prompts'))}**",
        "",
        *_bullets(scenario.discussion_prompts),
        "",
    ]
    return lines


def _fact(fact: Fact) -> list[str]:
    lines = [f"- **{md_escape(fact.id)}**: {md_escape(fact.statement)}"]
    lines.append("  " + md_escape(t("guide.fact_meta", source=fact.source, url=fact.url,
                                      valid_from=fact.valid_from, checked=fact.checked)))  # fmt: skip
    if fact.note:
        lines.append(f"  {md_escape(t('facts.note'))}: {md_escape(fact.note)}")
    return lines


def handleiding_markdown(lesson: Lesson) -> str:
    """The docentenhandleiding of ``lesson`` as Markdown (the lesson must have a guide)."""
    guide = lesson.guide
    if guide is None:
        raise ValueError(f"lesson {lesson.id!r} has no mentor guide")
    shared = common_guide(lesson.staff_only)
    audience = ", ".join(t(f"audience.{a}") for a in lesson.audience)
    lines = [
        f"# {md_escape(t('guide.title', title=lesson.title))}",
        "",
        md_escape(lesson.summary),
        "",
        md_escape(t("guide.meta", audience=audience, minutes=lesson.minutes)),
        "",
    ]
    lines += _section(t("guide.goals"), _bullets(guide.goals))
    lines += _section(t("guide.preparation"), _bullets((*shared.preparation, *guide.preparation)))
    lines += _section(t("guide.timing"), _timing(guide, lesson))
    lines += _section(t("guide.opening"), _bullets(shared.opening))
    lines += _section(t("guide.skip_when_short"), _bullets(guide.skip_when_short))
    lines += _section(
        t("guide.do_not_reveal"), _bullets((*shared.do_not_reveal, *guide.do_not_reveal))
    )
    lines += _section(t("guide.disclosure"), _bullets((*shared.disclosure, guide.disclosure)))
    lines += _section(t("guide.closing"), _bullets(shared.closing))
    lines += _section(t("guide.follow_up"), _bullets((*shared.follow_up, *guide.follow_up)))
    lines += [f"## {md_escape(t('guide.scenarios'))}", ""]
    for scenario in lesson.scenarios:
        lines += _scenario(scenario)
    facts = [line for fact in facts_for(lesson_fact_ids(lesson)) for line in _fact(fact)]
    lines += _section(t("guide.facts"), facts)
    route_ids = tuple(r for s in lesson.scenarios for r in s.help_routes)
    routes = routes_for(route_ids, staff=lesson.staff_only, audience=lesson.audience)
    help_lines = []
    for route in routes:
        line = f"- **{md_escape(route.name)}**: {md_escape(route.text)}"
        if route.phone:
            line += f" {md_escape(t('help.phone', phone=route.phone))}"
        if route.url:
            line += f" {md_escape(re.sub(r'^https?://', '', route.url))}"
        help_lines.append(line)
    lines += _section(t("guide.help"), help_lines)
    return "\n".join(lines).rstrip() + "\n"


def write_handleiding(lesson: Lesson, out_dir: Path) -> tuple[Path, Path]:
    """``docentenhandleiding-<lesson>.md`` and ``.pdf`` in ``out_dir``."""
    markdown = handleiding_markdown(lesson)
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / f"docentenhandleiding-{lesson.id}.md"
    md.write_text(markdown, encoding="utf-8")
    pdf = write_pdf(
        md.with_suffix(".pdf"),
        markdown_blocks(markdown),
        title=t("guide.title", title=lesson.title),
    )
    return md, pdf
