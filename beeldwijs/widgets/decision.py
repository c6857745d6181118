"""Staff decision steps (tabletop exercise): the incident clock and the feedback per decision.

``QuestionView`` shows these for questions of type ``decision``. The verdict is said in words
and marked with a symbol (hidden from screen readers, which read the words); the colour of the
box only repeats it (docs/architecture.md: nothing by colour alone). All content text is escaped.
"""

from __future__ import annotations

from beeldwijs.content.model import SKIP, Option, Question
from beeldwijs.texts import t
from beeldwijs.ui.html import Markup, html, join
from beeldwijs.ui.lang import content

#: A symbol per verdict, next to its words: ✓ volgens, ◐ deels, ✗ niet volgens het protocol.
VERDICT_SYMBOLS = {"volgens-protocol": "✓", "deels": "◐", "niet-volgens-protocol": "✗"}


def decision_clock_html(question: Question) -> Markup:
    """The incident clock and the role that decides, shown above the choices."""
    parts = [html("<strong>{}</strong>", t("decision.time", time=question.time or ""))]
    if question.role:
        parts.append(html("{}", t("decision.role", role=t(f"role.{question.role}"))))
    return html('<p class="bw-clock"><span aria-hidden="true">🕘 </span>{}</p>', join(parts, " · "))


def _option_feedback(option: Option) -> Markup:
    verdict = option.verdict or ""
    step = t(f"protocol_step.{option.protocol_step}") if option.protocol_step else ""
    return html(
        '<div class="bw-notice bw-verdict bw-verdict-{verdict}">'
        '<p><strong><span aria-hidden="true">{symbol} </span>{words}</strong>{step}</p>'
        "<p>{feedback}</p></div>",
        verdict=verdict,
        symbol=VERDICT_SYMBOLS.get(verdict, ""),
        words=t(f"verdict.{verdict}"),
        step=html(" · {}", step) if step else "",
        feedback=content(option.feedback or ""),
    )


def decision_feedback_html(question: Question, value: str) -> Markup:
    """Feedback after a decision: the verdict and feedback of the chosen option.

    After a skip, the options that follow the protocol are shown with their feedback instead,
    so that nobody leaves the step without hearing what the guide advises.
    """
    chosen = question.option(value)
    if chosen is not None:
        return _option_feedback(chosen)
    if value != SKIP:
        return Markup()
    routes = [o for o in question.options if o.verdict == "volgens-protocol"]
    return join(
        html(
            "<p><strong>{}:</strong> {}</p>{}",
            t("decision.protocol_route"),
            content(o.text),
            _option_feedback(o),
        )
        for o in routes
    )
