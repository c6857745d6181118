"""Printable materials for a lesson without devices: scenario cards and A–D answer cards (PDF).

Scenario cards: per scenario its story (and chat, as lines), then each question with its options
lettered A, B, C… as the projector shows them, so a group can read along on paper. Answer cards:
one A4 page with the letters in four quarters to cut apart, one page per student; the letters
are large and each has its own fill pattern, so they read from the back of the room and without
colour vision.
"""

from __future__ import annotations

from pathlib import Path
from string import ascii_uppercase

from beeldwijs.content.model import Lesson
from beeldwijs.documents.textdoc import A4, Block, write_pdf
from beeldwijs.texts import t

#: Answer-card letters: enough for the longest question of any lesson (four quarters per page).
CARD_LETTERS = ascii_uppercase[:4]
#: A fill pattern per card, so two cards differ without colour.
CARD_PATTERNS = ("//", "..", "xx", "\\\\")


def scenario_blocks(lesson: Lesson) -> list[Block]:
    """The lesson's scenarios and questions as text blocks (lettered like the projector)."""
    from beeldwijs.ui.labels import option_labels  # the labels the students see

    blocks: list[Block] = [("h1", lesson.title), ("p", t("cards.intro"))]
    number = 0
    for scenario in lesson.scenarios:
        blocks.append(("h2", scenario.title))
        if scenario.content_note:
            blocks.append(("p", t("story.content_note", note=scenario.content_note)))
        blocks += [("p", line.strip()) for line in scenario.story.text.splitlines() if line.strip()]
        if scenario.story.chat is not None:
            blocks.append(("h3", scenario.story.chat.title))  # emoji: write_pdf leaves them out
            chat = scenario.story.chat.messages
            blocks += [("li", f"{m.sender}: {m.text}") for m in chat]
        for question in scenario.questions:
            number += 1
            blocks.append(("h3", t("cards.question", n=number, prompt=question.prompt)))
            if question.is_open:
                blocks.append(("p", t("cards.open")))
                continue
            labels = option_labels(question)[:-1]  # "sla over" needs no card
            blocks += [
                ("li", f"{ascii_uppercase[i]}  {label}") for i, (_, label) in enumerate(labels)
            ]
    return blocks


def answer_card_figure():  # a matplotlib Figure, imported only here
    """One A4 page: A, B, C, D in four quarters with cutting lines."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    fig = Figure(figsize=A4)
    for n, letter in enumerate(CARD_LETTERS):
        ax = fig.add_axes((0.5 * (n % 2), 0.5 * (1 - n // 2), 0.5, 0.5))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.add_patch(
            Rectangle(
                (0.08, 0.08), 0.84, 0.84, fill=False, hatch=CARD_PATTERNS[n],
                edgecolor="#767676", linewidth=0,
            )
        )  # fmt: skip
        ax.text(
            0.5, 0.5, letter, fontsize=200, fontweight="bold", ha="center", va="center",
            color="#000000", backgroundcolor="#FFFFFF", parse_math=False,
        )  # fmt: skip
        for spine in ax.spines.values():
            spine.set_linestyle((0, (6, 6)))  # dashed: cut here
            spine.set_color("#404040")
    return fig


def write_cards(lesson: Lesson, folder: Path) -> tuple[Path, Path]:
    """``beeldwijs-kaarten-<lesson>.pdf`` (scenario cards) and ``beeldwijs-antwoordkaarten.pdf``
    (one page of A–D cards) in ``folder``; returns both paths."""
    scenarios = write_pdf(
        folder / f"beeldwijs-kaarten-{lesson.id}.pdf",
        scenario_blocks(lesson),
        title=t("cards.title", lesson=lesson.title),
    )
    answers = write_pdf(
        folder / "beeldwijs-antwoordkaarten.pdf",
        [("h1", t("cards.answer_title")), ("p", t("cards.answer_intro"))],
        title=t("cards.answer_title"),
        figures=[answer_card_figure()],
    )
    return scenarios, answers
