"""The end screen's recap: per question what experts say, as far as the student may read it.

At the mentor's pace a student who pressed "Volgende" before the mentor clicked **Toon uitleg**
never saw that question's expert view on the device (it waited for the discussion). The end
screen lists, per question, the expert view or the knowledge question's explanation (with the
right answer) that is released by then: at the mentor's pace only the questions the session's
view marks as explained, at the students' own pace every question (each one's feedback followed
its answer). The player updates it at each look at the session, so an explanation the mentor
shows later appears here too (docs/decisions/expert-view-after-the-discussion.md). When the
mentor closes the lesson every question is released: the safety lines in an expert view ("betaal
niets", HelpWanted, 113) reach every student, also when time ran out before "Toon uitleg"
(docs/decisions/safety-lines-at-the-close.md).

Decision steps of the staff tabletop are left out: their feedback belongs to the option chosen
and was shown at once. No answer of the student is repeated here (the screen may be seen by a
neighbour); a knowledge question names its right answer, not whether the student had it.
"""

from __future__ import annotations

from collections.abc import Callable

from beeldwijs.content.model import Lesson, Question
from beeldwijs.texts import t
from beeldwijs.ui.html import Markup, html, join
from beeldwijs.ui.labels import option_labels
from beeldwijs.ui.lang import content, content_block, translated
from beeldwijs.widgets.question import explained


def has_recap(question: Question) -> bool:
    """A question whose text for after the discussion can be repeated on the end screen."""
    return bool(question.after_discussion)


def _item(question: Question, number: int, total: int) -> Markup:
    if question.type == "knowledge":
        labels = dict(option_labels(question))
        right = Markup()
        if question.correct in labels:
            right = html(
                "<p><strong>{}</strong></p>",
                translated("end.recap_right", answer=content(labels[question.correct])),
            )
        body = html("{}{}", right, explained(question))
    else:
        body = explained(question)
    return html(
        '<li class="bw-recap-item"><p class="bw-progress">{}</p>{}{}</li>',
        t("question.progress", n=number, total=total),
        content_block(question.prompt, "h3"),
        body,
    )


def recap_html(
    lesson: Lesson, released: Callable[[Question], bool], *, closed: bool = False
) -> Markup:
    """The recap section ("" when the lesson has nothing to repeat): a heading, a status line
    (how many are there, and that the rest follows; ``closed``: that the mentor closed the
    lesson and all are there) and one item per released question."""
    questions = lesson.questions
    candidates = [q for q in questions if has_recap(q)]
    if not candidates:
        return Markup()
    shown = [q for q in candidates if released(q)]
    if closed:
        status = t("end.recap_closed")
    elif not shown:  # nothing below yet: say when it comes
        status = t("end.recap_none")
    else:
        status = t("end.recap_status", n=len(shown), total=len(candidates))
        if len(shown) < len(candidates):
            status = f"{status} {t('end.recap_pending')}"
    items = Markup()
    if shown:
        items = html(
            '<ul class="bw-recap-list">{}</ul>',
            join(_item(q, questions.index(q) + 1, len(questions)) for q in shown),
        )
    return html(
        '<section class="bw-recap" aria-labelledby="bw-recap-heading">'
        '<h2 id="bw-recap-heading">{}</h2><p class="bw-recap-status">{}</p>{}</section>',
        t("end.recap_heading"),
        status,
        items,
    )
