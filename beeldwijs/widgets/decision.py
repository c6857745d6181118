"""Staff decision steps (tabletop exercise): the incident clock and the feedback per decision.

``QuestionView`` shows these for questions of type ``decision``. The verdict is said in words
and marked with a symbol (hidden from screen readers, which read the words); the colour of the
box only repeats it (docs/architecture.md: nothing by colour alone). All content text is escaped.
"""

from __future__ import annotations

from html import escape

from beeldwijs.content.model import SKIP, Option, Question
from beeldwijs.texts import t

#: A symbol per verdict, next to its words: ✓ volgens, ◐ deels, ✗ niet volgens het protocol.
VERDICT_SYMBOLS = {"volgens-protocol": "✓", "deels": "◐", "niet-volgens-protocol": "✗"}


def decision_clock_html(question: Question) -> str:
    """The incident clock and the role that decides, shown above the choices."""
    parts = [f"<strong>{escape(t('decision.time', time=question.time or ''))}</strong>"]
    if question.role:
        parts.append(escape(t("decision.role", role=t(f"role.{question.role}"))))
    return '<p class="bw-clock"><span aria-hidden="true">🕘 </span>' + " · ".join(parts) + "</p>"


def _option_feedback(option: Option) -> str:
    verdict = option.verdict or ""
    symbol = VERDICT_SYMBOLS.get(verdict, "")
    step = t(f"protocol_step.{option.protocol_step}") if option.protocol_step else ""
    return (
        f'<div class="bw-notice bw-verdict bw-verdict-{escape(verdict)}">'
        f'<p><strong><span aria-hidden="true">{symbol} </span>'
        f"{escape(t(f'verdict.{verdict}'))}</strong>"
        + (f" · {escape(step)}" if step else "")
        + f"</p><p>{escape(option.feedback or '')}</p></div>"
    )


def decision_feedback_html(question: Question, value: str) -> str:
    """Feedback after a decision: the verdict and feedback of the chosen option.

    After a skip, the options that follow the protocol are shown with their feedback instead,
    so that nobody leaves the step without hearing what the guide advises.
    """
    chosen = question.option(value)
    if chosen is not None:
        return _option_feedback(chosen)
    if value != SKIP:
        return ""
    routes = [o for o in question.options if o.verdict == "volgens-protocol"]
    return "".join(
        f"<p><strong>{escape(t('decision.protocol_route'))}:</strong> {escape(o.text)}</p>"
        + _option_feedback(o)
        for o in routes
    )
