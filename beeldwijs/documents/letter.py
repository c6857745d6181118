"""The parent letters, as Markdown and PDF: before a lesson series (brugklas, onderbouw,
bovenbouw; the brugklas letter also in English) and after an incident (to the class's parents).

The text is a template in ``beeldwijs/data/`` (a school may pass its own) with ``$placeholders``:
``$school``, ``$date``, ``$dates``, ``$lessons``, ``$help_routes``, ``$parent_routes``,
``$retention``, ``$privacy_contact`` (who parents ask about privacy) and, in the incident letter,
``$incident`` (what happened, in general terms, as the school writes it). The lessons come from the
lesson files (title, minutes, summary, themes), the help routes from the configured help file, so
the letter says what the students will actually see. In English a route whose ``languages`` name
Engels is marked "also in English".
What the school types (its name, the dates) is escaped for Markdown; the PDF never parses math.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from string import Template

from beeldwijs.content import Library
from beeldwijs.content.help import HelpRoute, routes_for
from beeldwijs.content.letters import strip_fact_marks
from beeldwijs.content.model import Lesson
from beeldwijs.documents.textdoc import markdown_blocks, md_escape, write_pdf
from beeldwijs.errors import ContentError, ContentProblem
from beeldwijs.texts import t, t_in

DATA = Path(__file__).parent.parent / "data"
DEFAULT_TEMPLATE = DATA / "ouderbrief.md"
PLACEHOLDERS = (
    "school", "date", "dates", "lessons", "help_routes", "parent_routes", "retention",
    "privacy_contact", "incident",
)  # fmt: skip
REQUIRED_PLACEHOLDERS = ("school", "lessons", "help_routes")
#: the letters Beeldwijs writes: kind → (template, the placeholders it needs)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "brugklas": ("ouderbrief.md", REQUIRED_PLACEHOLDERS),
    "onderbouw": ("ouderbrief-onderbouw.md", REQUIRED_PLACEHOLDERS),
    "bovenbouw": ("ouderbrief-bovenbouw.md", REQUIRED_PLACEHOLDERS),
    "incident": ("ouderbrief-incident.md", ("school", "parent_routes", "incident")),
}
LANGUAGES = ("nl", "en")  # English: the brugklas letter (ouderbrief-en.md)


def template_file(kind: str = "brugklas", lang: str = "nl") -> Path:
    """The template of a kind of letter (English exists for the brugklas letter)."""
    if lang == "en":
        if kind != "brugklas":
            raise ValueError("the English letter is the brugklas letter: use --kind brugklas")
        return DATA / "ouderbrief-en.md"
    return DATA / KINDS[kind][0]


def load_template(path: Path | None = None, kind: str = "brugklas") -> Template:
    """The letter template; unknown or missing placeholders are a ContentError naming the file."""
    path = path or DEFAULT_TEMPLATE
    required = KINDS[kind][1]
    template = Template(strip_fact_marks(path.read_text(encoding="utf-8")))
    found = set(template.get_identifiers())
    problems = [
        ContentProblem(
            str(path), f"${name}", f"unknown placeholder; allowed: {', '.join(PLACEHOLDERS)}"
        )
        for name in sorted(found - set(PLACEHOLDERS))
    ]
    problems += [
        ContentProblem(str(path), f"${name}", "missing: the letter needs this placeholder")
        for name in required
        if name not in found
    ]
    if not template.is_valid():
        problems.append(ContentProblem(str(path), "", "a lone $: write $$ for a dollar sign"))
    if problems:
        raise ContentError(problems)
    return template


def series_lessons(
    library: Library, lesson_ids: Sequence[str] = (), audience: str = "brugklas"
) -> list[Lesson]:
    """The lessons named (in that order), or else every B1 lesson for ``audience`` in id order.

    A lesson for staff only cannot go into a letter to parents (ValueError).
    """
    ids = list(lesson_ids) or [
        lesson.id
        for lesson in library.lessons()
        if audience in lesson.audience and lesson.level == "B1" and not lesson.staff_only
    ]
    if not ids:
        raise ValueError("no lessons for the letter: name them with --lessons")
    lessons = [library.lesson(i) for i in ids]
    for lesson in lessons:
        if lesson.staff_only:
            raise ValueError(f"lesson {lesson.id!r} is for staff, not for students")
    return lessons


def lessons_markdown(lessons: Sequence[Lesson], lang: str = "nl") -> str:
    """The lessons as numbered sections; in English with each lesson's ``title_en`` and
    ``summary_en`` and its Dutch title (what the child sees); ValueError when one has none."""
    parts = []
    for n, lesson in enumerate(lessons, start=1):
        themes = ", ".join(t_in(lang, f"theme.{theme}") for theme in lesson.themes)
        meta = md_escape(t_in(lang, "letter.lesson_meta", minutes=lesson.minutes, themes=themes))
        if lang == "nl":
            parts.append(
                f"### {n}. {md_escape(lesson.title)}\n\n{md_escape(lesson.summary)}\n\n{meta}"
            )
            continue
        if not lesson.title_en:
            raise ValueError(t("letter.no_english_title", lesson=lesson.id))
        dutch = t_in(lang, "letter.lesson_dutch_title", title=md_escape(lesson.title))
        parts.append(
            f"### {n}. {md_escape(lesson.title_en)}\n\n{dutch}\n\n"
            f"{md_escape(lesson.summary_en)}\n\n{meta}"
        )
    return "\n\n".join(parts)


def help_routes_markdown(routes: Sequence[HelpRoute], lang: str = "nl") -> str:
    """The routes as a list; in English with each route's ``name_en``/``text_en`` where the help
    file has them (a school's own copy without them keeps its Dutch words)."""
    lines = []
    for route in routes:
        name, text, phone = route.name, route.text, route.phone
        if lang == "en":
            name, text = route.name_en or name, route.text_en or text
            phone = phone and phone.replace(" of ", " or ")  # "113 of 0800-0113"
        line = f"- **{md_escape(name)}**: {md_escape(text)}"
        if phone:
            line += f" {md_escape(t_in(lang, 'letter.phone', phone=phone))}"
        if route.url:
            line += f" {md_escape(re.sub(r'^https?://', '', route.url))}"
        if lang == "en" and "Engels" in (route.languages or ""):
            line += " (also in English)"
        lines.append(line)
    return "\n".join(lines)


def letter_markdown(
    school: str,
    dates: str,
    lessons: Sequence[Lesson],
    *,
    retention_days: int = 30,
    date: str = "",
    template: Template | None = None,
    privacy_contact: str = "",
    incident: str = "",
    lang: str = "nl",
) -> str:
    """The filled-in letter as Markdown (``lang="en"``: the English letter's own words)."""
    if not school.strip():
        raise ValueError("the letter needs the school's name")
    route_ids = tuple(r for lesson in lessons for s in lesson.scenarios for r in s.help_routes)
    audience = tuple(dict.fromkeys(a for lesson in lessons for a in lesson.audience))
    values = {
        "school": md_escape(school),
        "date": md_escape(date or dt.date.today().strftime("%d-%m-%Y")),
        "dates": md_escape(dates) if dates.strip() else md_escape(t_in(lang, "letter.no_dates")),
        "lessons": lessons_markdown(lessons, lang),
        "help_routes": help_routes_markdown(routes_for(route_ids, audience=audience), lang),
        "parent_routes": help_routes_markdown(routes_for(route_ids, parents=True), lang),
        "retention": str(retention_days),
        "privacy_contact": md_escape(
            privacy_contact or t_in(lang, "letter.privacy_contact_unknown")
        ),
        "incident": md_escape(incident),
    }
    return (template or load_template()).substitute(values)


def letter_stem(school: str, variant: str = "") -> str:
    """``ouderbrief-<school>``, or ``ouderbrief-<variant>-<school>`` for another letter."""
    slug = re.sub(r"[^a-z0-9]+", "-", school.lower()).strip("-")[:40] or "school"
    return f"ouderbrief-{variant}-{slug}" if variant else f"ouderbrief-{slug}"


def write_letter(
    markdown: str, out_dir: Path, school: str, variant: str = "", lang: str = "nl"
) -> tuple[Path, Path]:
    """Write the letter as ``ouderbrief-[<variant>-]<school>.md`` and ``.pdf`` in ``out_dir``;
    the PDF declares its language (``lang``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / f"{letter_stem(school, variant)}.md"
    md.write_text(markdown, encoding="utf-8")
    pdf = write_pdf(
        md.with_suffix(".pdf"),
        markdown_blocks(markdown),
        title=t_in(lang, "letter.title", school=school),
        language="en-GB" if lang == "en" else "nl-NL",
    )
    return md, pdf
