"""Pedagogical lint for content (docs/architecture.md, "Content and pedagogy"): distancing, variety, sources, fit.

The loader checks the shape of a file; the lint checks what a reviewer would: no questions about
the student's own experience (in questions *and* in the mentor's prompts), enough and varied
questions, a real section of the guide, legal facts with their sources, lessons whose scenarios
fit their audience and length. Problems have the same form as loading errors, so
``beeldwijs check`` reports both. The coverage matrix (guide term × audience) is here as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from beeldwijs.content.guide import CHAPTER_3_TERMS, CHAPTERS, unknown_chapters
from beeldwijs.content.level import lesson_level_problems, scenario_level_problems
from beeldwijs.content.model import AUDIENCES, THEMES, Lesson, Question, Scenario
from beeldwijs.content.names import characters
from beeldwijs.content.wording import legal_wording, safety_line, secrecy_promise
from beeldwijs.errors import ContentProblem
from beeldwijs.texts import t

#: Questions about the student's own experience break the distance a fictional story gives.
PERSONAL_EXPERIENCE = re.compile(
    r"\b(heb|hebt|ben|was|werd|deed|heeft|hebben|zijn|waren)\s+(jij|je|u|jullie)\s+(zelf\s+)?"
    r"(ooit|wel\s*eens|weleens|al\s+eens)\b"
    r"|\bken\s+(jij|je|u)\s+(zelf\s+)?iemand\b"
    r"|\bjouw\s+eigen\s+ervaring|\b(wie|iemand)\s+van\s+jullie\b|\bin\s+jouw\s+klas\b",
    re.IGNORECASE,
)
#: "Er is niet één goed antwoord" followed by the one good answer: the stock phrase where experts
#: do name a best first step (issue 12). A hint, like every word list; reviewers read the rest.
NO_ONE_ANSWER = re.compile(
    r"\bniet\s+één\s+(goed|goede|juist|juiste)\s+(antwoord|reactie|route|keuze)\b", re.I
)
BEST_STEP = re.compile(
    r"\bbeste\s+(eerste\s+)?(stap|keuze|antwoord)\b|\bin\s+elk\s+geval\b|\bis\s+(hier\s+)?duidelijk\b",
    re.I,
)
#: Themes where a student may tell that someone threatens with a picture of them now: the
#: lesson's disclosure script says what then happens, the same in every such lesson (review
#: round 3, item 30; docs/decisions/safety-lines-at-the-close.md).
THREAT_THEMES = frozenset({"sexting", "sextortion", "shame-sexting", "deepfake"})
#: What that script names (a hint of each, in words a reviewer finds): the parents unless home is
#: not safe (honour-related risk, a perpetrator at home), HelpWanted, the police's two numbers,
#: Veilig Thuis under the meldcode.
THREAT_SCRIPT = {
    "ouders (tenzij dat thuis niet veilig is)": re.compile(
        r"\bouders\s*\(tenzij\s+dat\s+thuis\s+niet\s+veilig\s+is\)", re.I
    ),
    "HelpWanted": re.compile(r"\bhelp\s*wanted\b", re.I),
    "112": re.compile(r"\b112\b"),
    "0900-8844": re.compile(r"\b0900-8844\b"),
    "Veilig Thuis": re.compile(r"\bveilig\s+thuis\b", re.I),
}
THREAT_FACTS = ("afpersing-sextortion", "meldcode")
MIN_QUESTIONS = 3
MIN_QUESTION_TYPES = 2
LESSON_MINUTES = (20, 50)
#: A team session (tabletop, self-scan) may take longer: staff discuss longer, not shorter.
LESSON_MINUTES_STAFF = (20, 90)


def _texts(scenario: Scenario) -> Iterator[tuple[str, str]]:
    yield "/story/text", scenario.story.text
    for i, q in enumerate(scenario.questions):
        yield f"/questions/{i}/prompt", q.prompt
        for j, option in enumerate(q.options if q.type in ("dilemma", "knowledge") else ()):
            yield f"/questions/{i}/options/{j}/text", option.text
    for i, prompt in enumerate(scenario.discussion_prompts):
        yield f"/discussion_prompts/{i}", prompt
    for i, trigger in enumerate(scenario.triggers):
        yield f"/triggers/{i}/prompt", trigger.prompt


def _every_text(scenario: Scenario) -> Iterator[tuple[str, str, Question | None]]:
    """Every text a reader meets, with the question it belongs to (None: the scenario's own)."""
    yield "/summary", scenario.summary, None
    if scenario.content_note:
        yield "/content_note", scenario.content_note, None
    yield "/story/text", scenario.story.text, None
    for i, message in enumerate(scenario.story.chat.messages if scenario.story.chat else ()):
        yield f"/story/chat/messages/{i}/text", message.text, None
    for i, q in enumerate(scenario.questions):
        yield f"/questions/{i}/prompt", q.prompt, q
        for j, option in enumerate(
            q.options if q.type in ("dilemma", "knowledge", "decision") else ()
        ):
            yield f"/questions/{i}/options/{j}/text", option.text, q
            if option.feedback:
                yield f"/questions/{i}/options/{j}/feedback", option.feedback, q
        for key in ("expert_view", "explanation"):
            if getattr(q, key):
                yield f"/questions/{i}/{key}", getattr(q, key), q
    for i, prompt in enumerate(scenario.discussion_prompts):
        yield f"/discussion_prompts/{i}", prompt, None
    for i, trigger in enumerate(scenario.triggers):
        yield f"/triggers/{i}/prompt", trigger.prompt, None


def wording_problems(file: str, texts: Iterable[tuple[str, str, bool]]) -> list[ContentProblem]:
    """Legal wording without a fact reference, and promises of secrecy, in (path, text, has_facts)."""
    problems = []
    for path, text, has_facts in texts:
        legal = legal_wording(text)
        if legal and not has_facts:
            problems.append(
                ContentProblem(file, path, t("lint.legal_without_fact", word=repr(legal)))
            )
        promise = secrecy_promise(text)
        if promise:
            problems.append(ContentProblem(file, path, t("lint.secrecy", words=repr(promise))))
    return problems


def lint_scenario(scenario: Scenario) -> list[ContentProblem]:
    problems = []

    def fail(path: str, message: str) -> None:
        problems.append(ContentProblem(scenario.source_file, path, message))

    for path, text in _texts(scenario):
        match = PERSONAL_EXPERIENCE.search(text)
        if match:
            fail(path, t("lint.own_experience", words=repr(match.group(0))))
    for i, q in enumerate(scenario.questions):
        view = q.expert_view or ""
        stock, best = NO_ONE_ANSWER.search(view), BEST_STEP.search(view)
        if stock and best:
            fail(
                f"/questions/{i}/expert_view",
                t("lint.no_one_answer", stock=repr(stock.group(0)), best=repr(best.group(0))),
            )
    if len(scenario.questions) < MIN_QUESTIONS:
        fail(
            "/questions",
            t("lint.too_few_questions", minimum=MIN_QUESTIONS, n=len(scenario.questions)),
        )
    types = sorted({q.type for q in scenario.questions})
    if scenario.questions and len(types) < MIN_QUESTION_TYPES:
        fail(
            "/questions",
            t("lint.too_few_types", minimum=MIN_QUESTION_TYPES, types=", ".join(types)),
        )
    unknown = unknown_chapters(scenario.guide_section)
    if unknown:
        fail(
            "/guide_section",
            t("lint.unknown_chapter", chapter=repr(unknown[0]), chapters=", ".join(CHAPTERS)),
        )
    if "juridisch" in scenario.themes and not (
        scenario.facts or any(q.facts for q in scenario.questions)
    ):
        fail("/facts", t("lint.legal_theme_without_facts"))
    problems.extend(
        wording_problems(
            scenario.source_file,
            (
                (path, text, bool(q.facts if q is not None else scenario.facts))
                for path, text, q in _every_text(scenario)
            ),
        )
    )
    problems.extend(scenario_level_problems(scenario))
    return problems


def lint_lesson(lesson: Lesson) -> list[ContentProblem]:
    problems = []
    low, high = LESSON_MINUTES_STAFF if lesson.staff_only else LESSON_MINUTES
    if not low <= lesson.minutes <= high:
        problems.append(
            ContentProblem(
                lesson.source_file,
                "/minutes",
                t("lint.lesson_minutes", low=low, high=high, minutes=lesson.minutes),
            )
        )
    for i, scenario in enumerate(lesson.scenarios):
        missing = [a for a in lesson.audience if a not in scenario.audience]
        if missing:
            problems.append(
                ContentProblem(
                    lesson.source_file,
                    f"/scenarios/{i}",
                    t(
                        "lint.not_for_audience",
                        id=repr(scenario.id),
                        missing=", ".join(missing),
                        audience=", ".join(scenario.audience),
                    ),
                )
            )
    problems.extend(lesson_level_problems(lesson))
    return problems + _guide_problems(lesson)


def _guide_problems(lesson: Lesson) -> list[ContentProblem]:
    """The mentor guide: present, its timing plan adds up and covers every scenario, and the
    content fits the minutes (``beeldwijs.content.timing``)."""
    from beeldwijs.content.timing import estimate_lesson

    problems: list[ContentProblem] = []

    def fail(path: str, message: str) -> None:
        problems.append(ContentProblem(lesson.source_file, path, message))

    guide = lesson.guide
    if guide is None:
        fail("/guide", t("lint.no_guide"))
        return problems
    planned = sum(p.minutes for p in guide.timing)
    if planned != lesson.minutes:
        fail(
            "/guide/timing",
            t("lint.timing_sum", planned=planned, minutes=lesson.minutes),
        )
    named = [p.scenario for p in guide.timing if p.scenario]
    for scenario in lesson.scenarios:
        if named.count(scenario.id) != 1:
            fail(
                "/guide/timing",
                t("lint.timing_part", id=repr(scenario.id), n=named.count(scenario.id)),
            )
    total, estimates = estimate_lesson(lesson)
    by_id = {e.scenario: e for e in estimates}
    for i, part in enumerate(guide.timing):
        estimate = by_id.get(part.scenario or "")
        if estimate is not None and round(estimate.minutes) > part.minutes:  # whole minutes
            fail(
                f"/guide/timing/{i}",
                t(
                    "lint.timing_estimate",
                    id=repr(part.scenario),
                    minutes=f"{estimate.minutes:.0f}",
                    reading=f"{estimate.reading:.0f}",
                    answering=f"{estimate.answering:.0f}",
                    results=f"{estimate.results:.0f}",
                    discussion=f"{estimate.discussion:.0f}",
                    planned=part.minutes,
                ),
            )
    problems.extend(_explain_problems(lesson))
    problems.extend(_threat_script_problems(lesson))
    if round(total) > lesson.minutes:
        fail("/minutes", t("lint.content_minutes", total=f"{total:.0f}", minutes=lesson.minutes))
    texts = [
        *((f"/guide/goals/{i}", t) for i, t in enumerate(guide.goals)),
        *((f"/guide/preparation/{i}", t) for i, t in enumerate(guide.preparation)),
        *((f"/guide/skip_when_short/{i}", t) for i, t in enumerate(guide.skip_when_short)),
        *((f"/guide/do_not_reveal/{i}", t) for i, t in enumerate(guide.do_not_reveal)),
        ("/guide/disclosure", guide.disclosure),
        *((f"/guide/follow_up/{i}", t) for i, t in enumerate(guide.follow_up)),
    ]
    problems.extend(
        wording_problems(lesson.source_file, ((p, t, bool(guide.facts)) for p, t in texts))
    )
    return problems


def _explain_problems(lesson: Lesson) -> list[ContentProblem]:
    """ "Toon uitleg verplicht": a question whose text after the discussion carries a safety line
    (a help route, what to do under a threat) is marked ``explain`` in its part of the timing plan
    of a lesson with students or parents, so the mentor shows it even when time runs short; a
    marked question has such a text and is not also skipped."""
    problems = []
    scenarios = {s.id: s for s in lesson.scenarios}
    for i, part in enumerate(lesson.guide.timing if lesson.guide else ()):
        scenario = scenarios.get(part.scenario or "")
        if scenario is None:
            continue
        for question in scenario.questions:
            line = safety_line(question.after_discussion)
            message = None
            if question.id in part.explain and question.id in part.skip:
                message = t("lint.explain_and_skip", id=repr(question.id))
            elif question.id in part.explain and not question.after_discussion:
                message = t("lint.explain_nothing", id=repr(question.id))
            elif line and question.id not in part.explain and not lesson.staff_only:
                message = t("lint.explain_needed", id=repr(question.id), line=repr(line))
            if message:
                problems.append(ContentProblem(lesson.source_file, f"/guide/timing/{i}", message))
    return problems


def _threat_script_problems(lesson: Lesson) -> list[ContentProblem]:
    """A lesson with students on sexting, sextortion or deepfakes: its disclosure script names
    what happens when someone threatens with a picture now (:data:`THREAT_SCRIPT`), and its
    guide cites the facts that script relies on."""
    guide = lesson.guide
    themes = {theme for s in lesson.scenarios for theme in s.themes}
    if guide is None or lesson.participants != "students" or not themes & THREAT_THEMES:
        return []
    problems = []
    missing = [name for name, found in THREAT_SCRIPT.items() if not found.search(guide.disclosure)]
    if missing:
        problems.append(ContentProblem(lesson.source_file, "/guide/disclosure", t(
            "lint.threat_script",
            themes=", ".join(sorted(themes & THREAT_THEMES)),
            missing=", ".join(repr(m) for m in missing),
        )))  # fmt: skip
    facts = [f for f in THREAT_FACTS if f not in guide.facts]
    if facts:
        problems.append(ContentProblem(
            lesson.source_file, "/guide/facts", t("lint.threat_facts", facts=", ".join(facts))
        ))  # fmt: skip
    return problems


def story_of(scenario_id: str) -> str:
    """The story a scenario tells: its id without the ``-a2`` of a simpler version and without
    the role of ``<theme>-<story>-<role>``, the pattern for one story told from several roles."""
    return scenario_id.removesuffix("-a2").rsplit("-", 1)[0]


def lint_series(lessons: Iterable[Lesson]) -> list[ContentProblem]:
    """One first name, one person: in the lessons a class meets (same audience and level), a
    name appears in one story only. Several roles of one story (same :func:`story_of`) share
    their characters; a name that returns in another story is a problem at its later lesson."""
    problems: dict[tuple[str, str, str], ContentProblem] = {}
    series: dict[tuple[str, str], list[Lesson]] = {}
    for lesson in sorted(lessons, key=lambda item: item.id):
        for audience in lesson.audience:
            series.setdefault((audience, lesson.level), []).append(lesson)
    for (audience, _level), members in series.items():
        first_seen: dict[str, tuple[str, str]] = {}  # name → (scenario id, lesson id)
        for lesson in members:
            for i, scenario in enumerate(lesson.scenarios):
                for name in characters(scenario):
                    seen = first_seen.setdefault(name, (scenario.id, lesson.id))
                    if story_of(seen[0]) == story_of(scenario.id):
                        continue
                    where = (lesson.source_file, f"/scenarios/{i}", name)
                    problems.setdefault(where, ContentProblem(
                        lesson.source_file, f"/scenarios/{i}",
                        t("lint.name_twice", name=repr(name), id=repr(scenario.id),
                          other=repr(seen[0]), lesson=repr(seen[1]), audience=audience),
                    ))  # fmt: skip
    return list(problems.values())


# -- coverage ---------------------------------------------------------------------------------

Coverage = dict[str, dict[str, int]]


def coverage(scenarios: Iterable[Scenario]) -> Coverage:
    """Number of scenarios per theme (rows: every theme) and audience (columns: every audience)."""
    matrix: Coverage = {theme: dict.fromkeys(AUDIENCES, 0) for theme in THEMES}
    for scenario in scenarios:
        for theme in scenario.themes:
            for audience in scenario.audience:
                matrix[theme][audience] += 1
    return matrix


def scenarios_per_theme(scenarios: Iterable[Scenario]) -> dict[str, int]:
    """Number of scenarios per theme (a scenario for two audiences counts once)."""
    totals = dict.fromkeys(THEMES, 0)
    for scenario in scenarios:
        for theme in scenario.themes:
            totals[theme] += 1
    return totals


def uncovered_terms(scenarios: Iterable[Scenario]) -> list[str]:
    """The chapter-3 terms of the guide that no scenario covers."""
    totals = scenarios_per_theme(scenarios)
    return [term for term, theme in CHAPTER_3_TERMS if not totals[theme]]


def format_coverage(scenarios: Iterable[Scenario]) -> str:
    """The coverage matrix as a plain-text table: guide term × audience → number of scenarios."""
    scenarios = list(scenarios)
    matrix, totals = coverage(scenarios), scenarios_per_theme(scenarios)
    chapter_3 = {theme: term for term, theme in CHAPTER_3_TERMS}
    rows = [(term, theme) for term, theme in CHAPTER_3_TERMS]
    rows += [(f"({theme})", theme) for theme in THEMES if theme not in chapter_3]
    width = max(len(name) for name, _ in rows)
    columns = (*AUDIENCES, t("check.coverage_total"))
    header = f"{t('check.coverage_term'):<{width}}  " + "  ".join(f"{c:>9}" for c in columns)
    lines = [t("check.coverage_heading"), header, "-" * len(header)]
    for name, theme in rows:
        cells = [matrix[theme][a] for a in AUDIENCES] + [totals[theme]]
        flag = (
            f"  {t('check.coverage_missing')}" if theme in chapter_3 and not totals[theme] else ""
        )
        lines.append(f"{name:<{width}}  " + "  ".join(f"{n:>9}" for n in cells) + flag)
    lines.append(t("check.coverage_note"))
    return "\n".join(lines)
