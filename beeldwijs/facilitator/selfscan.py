"""The self-scan form for a schoolleider or staff trainer: answer the checklist, save the report.

A thin widget over ``beeldwijs.content.checklist`` and ``beeldwijs.documents.selfscan``: per item an accessible ``ChoiceGroup`` (ja, deels,
nee, weet ik niet), a field for the school's name and one button that writes the report as
Markdown and PDF into a folder on this computer (by default the user's data folder from
platformdirs, never a folder a Voilà server serves) and shows the report, escaped. Nothing is
uploaded and nothing is offered for download: the path is shown so it can be opened or mailed.
It runs in the facilitator's kernel (``facilitator/zelfscan.ipynb``), not in a student's.
"""

from __future__ import annotations

import logging
from pathlib import Path

import ipywidgets as w
import platformdirs
import traitlets

from beeldwijs.content import default_root
from beeldwijs.content.checklist import ANSWERS, Checklist, load_checklist
from beeldwijs.documents.selfscan import report_html, report_markdown, report_pdf, report_stem
from beeldwijs.texts import t
from beeldwijs.ui.choice import ChoiceGroup
from beeldwijs.ui.html import html
from beeldwijs.ui.safe import guarded, show_status
from beeldwijs.ui.style import stylesheet

log = logging.getLogger("beeldwijs")

#: Folders a Voilà server of Beeldwijs serves (below the content root); reports never go there.
SERVED_FOLDERS = ("lessons", "facilitator")


def default_report_folder() -> Path:
    return platformdirs.user_data_path("beeldwijs") / "zelfscan"


def check_report_folder(folder: Path, root: Path | None = None) -> Path:
    """``folder`` resolved; ValueError when it lies inside a folder that a server serves."""
    resolved = folder.expanduser().resolve()
    base = (root or default_root()).resolve()
    for name in SERVED_FOLDERS:
        if resolved.is_relative_to(base / name):
            raise ValueError(f"reports may not be written inside the served folder {base / name}")
    return resolved


class SelfScan(w.VBox):
    """The checklist as a form; ``value`` holds the answers given (item id → answer)."""

    value = traitlets.Dict(help="the answers given so far: item id → ja/deels/nee/weet-niet")

    def __init__(self, folder: Path | None = None, checklist: Checklist | None = None) -> None:
        super().__init__()
        self.add_class("bw-app")
        self.add_class("bw-selfscan")
        self.checklist = checklist or load_checklist()
        self.folder = check_report_folder(folder or default_report_folder())
        self.school = w.Text(
            description=t("selfscan.school_label"), placeholder=t("selfscan.school_placeholder")
        )
        self.school.add_class("bw-selfscan-school")
        labels = [(a, t(f"selfscan.answer.{a}")) for a in ANSWERS]
        self.choices: dict[str, ChoiceGroup] = {}
        parts: list[w.Widget] = [
            stylesheet(),
            w.HTML(html("<h2>{}</h2><p>{}</p>", t("selfscan.heading"), t("selfscan.intro"))),
            self.school,
        ]
        for section in self.checklist.sections:
            parts.append(
                w.HTML(
                    html(
                        '<h3>{}</h3><p class="bw-progress">{}</p>',
                        section.title,
                        section.guide_section,
                    )
                )
            )
            for item in section.items:
                group = ChoiceGroup(legend=item.question, options=labels)
                group.add_class("bw-selfscan-item")
                group.observe(self._on_answer, names="value")
                self.choices[item.id] = group
                parts.append(group)
        self.status = w.HTML()
        self.report_button = w.Button(description=t("selfscan.make_report"), button_style="primary")
        self.report_button.add_class("bw-selfscan-report")
        self.report_button.on_click(guarded(self.status, button=self.report_button)(self._report))
        self.saved = w.HTML()
        self.saved.add_class("bw-selfscan-saved")
        self.report = w.HTML()
        self.report.add_class("bw-selfscan-preview")
        parts += [
            w.HTML(html("<p>{}</p>", t("selfscan.folder", folder=str(self.folder)))),
            self.report_button,
            self.status,
            self.saved,
            self.report,
        ]
        self.children = parts

    def _on_answer(self, _change: object = None) -> None:
        # The browser can send anything: keep only real answers.
        self.value = {i: g.value for i, g in self.choices.items() if g.value in ANSWERS}

    def _report(self, _button: object = None) -> None:
        show_status(self.status, t("selfscan.busy"), "bw-progress")
        answers, school = dict(self.value), self.school.value.strip()
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = self.folder / report_stem(school)
        md = stem.with_suffix(".md")
        md.write_text(report_markdown(answers, school, checklist=self.checklist), encoding="utf-8")
        pdf = report_pdf(answers, school, stem.with_suffix(".pdf"), checklist=self.checklist)
        log.info("self-scan report written to %s", self.folder)
        show_status(self.status, "")
        self.saved.value = html(
            '<p class="bw-saved">{}</p>', t("selfscan.saved", md=str(md), pdf=str(pdf))
        )
        self.report.value = report_html(answers, school, checklist=self.checklist)
