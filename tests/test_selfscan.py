"""The prevention self-scan: strict checklist, gaps, Markdown and PDF reports, the form widget."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.figure import Figure

from beeldwijs.content.checklist import ANSWERS, UNANSWERED, gaps, load_checklist, parse_checklist
from beeldwijs.documents.selfscan import plot_gaps, report_markdown, report_pdf
from beeldwijs.documents.textdoc import md_escape
from beeldwijs.errors import ContentError
from beeldwijs.facilitator.selfscan import SelfScan, check_report_folder
from tests.pdftools import pdf_pages_as_text

ROOT = Path(__file__).resolve().parents[1]
EVIL = "Het *Lyceum* <img src=x onerror=alert(1)> $x$"


def test_checklist_covers_chapter_1_and_readiness() -> None:
    checklist = load_checklist()
    assert [s.id for s in checklist.sections] == [
        "schoolveiligheidsplan",
        "richtlijnen",
        "functionaris",
        "snitching",
        "calamiteitenbeleid",
        "wettelijke-plichten",
    ]
    ids = {i.id for i in checklist.items()}
    assert {
        "sociale-media-risicos", "calamiteitenprocedure", "pest-en-socialemediaprotocol",
        "afstandsonderwijs", "politieafspraken-in-plan", "smaad-en-laster", "eigen-regels",
        "geen-bangmakerij", "ambassadeurs", "monitoren", "aanspreekpunt", "vertrouwelijk-melden",
        "klassengesprek-vooraf", "statements-klaar", "online-reageren", "politiecontact-bekend",
    } <= ids  # fmt: skip
    assert all(i.advice and i.question.endswith("?") for i in checklist.items())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: 3\n", "/title: hier hoort tekst, maar er staat 3 (een getal)"),
        ('colour: "x"\n', "/: onbekende sleutel colour"),
        (
            'sections:\n  - id: "a"\n    title: "A"\n    guide_section: "1."\n    items:\n'
            '      - {id: "x", question: "Q?", advice: "A."}\n'
            '      - {id: "x", question: "Q?", advice: no}\n',
            "/sections/0/items/1/advice: hier hoort tekst, maar er staat False",
        ),
    ],
)
def test_broken_checklist_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    base = {
        "schema_version": "schema_version: 1\n",
        "title": 'title: "Zelfscan"\n',
        "source": 'source: "Leidraad"\n',
        "checked": 'checked: "2026-11-24"\n',
        "sections": 'sections:\n  - id: "a"\n    title: "A"\n    guide_section: "1."\n'
        '    items:\n      - {id: "x", question: "Q?", advice: "A."}\n',
    }
    key = text.split(":")[0]
    body = "".join(v for k, v in base.items() if k != key) + text
    path = tmp_path / "zelfscan.yaml"
    with pytest.raises(ContentError) as info:
        parse_checklist(body, path)
    assert message in str(info.value) and str(path) in str(info.value)


def test_gaps_are_everything_but_ja() -> None:
    checklist = load_checklist()
    items = checklist.items()
    answers = {
        items[0].id: "ja",
        items[1].id: "deels",
        items[2].id: "nee",
        items[3].id: "weet-niet",
    }
    found = gaps(answers, checklist)
    assert len(found) == len(items) - 1
    assert [g.answer for g in found[:4]] == ["deels", "nee", "weet-niet", UNANSWERED]
    assert gaps({i.id: "ja" for i in items}, checklist) == []
    with pytest.raises(ValueError, match="no self-scan item"):
        gaps({"bestaat-niet": "ja"}, checklist)
    with pytest.raises(ValueError, match="is not one of"):
        gaps({items[0].id: "misschien"}, checklist)


def test_markdown_report_lists_gaps_with_advice_and_escapes() -> None:
    checklist = load_checklist()
    items = checklist.items()
    answers = {i.id: ANSWERS[n % 4] for n, i in enumerate(items)}
    md = report_markdown(answers, EVIL, checklist=checklist, date="2026-11-24")
    assert md.startswith("# Zelfscan preventiebeleid – Het \\*Lyceum\\* \\<img")
    assert md.count("<") == md.count("\\<") and "\\$x\\$" in md  # no HTML, no math
    assert "Ingevuld op 2026-11-24" in md
    assert "| Schoolveiligheidsplan |" in md
    nee = next(i for n, i in enumerate(items) if ANSWERS[n % 4] == "nee")
    assert f"- [ ] **{md_escape(nee.question)}** (Nee)" in md
    assert md_escape(nee.advice) in md
    ja = next(i for n, i in enumerate(items) if ANSWERS[n % 4] == "ja")
    assert f"- [x] {md_escape(ja.question)}" in md
    assert md_escape("a*b_c[d](e)") == "a\\*b\\_c\\[d\\](e)"


def test_pdf_report_renders_with_pdftoppm(tmp_path: Path) -> None:
    checklist = load_checklist()
    answers = {i.id: "nee" for i in checklist.items()[:10]}
    path = report_pdf(answers, EVIL, tmp_path / "scan.pdf", checklist=checklist, date="2026-11-24")
    pages = pdf_pages_as_text(path)
    assert len(pages) >= 3  # text pages and the chart
    whole = " ".join(" ".join(p.split()) for p in pages)
    assert "Het *Lyceum* <img src=x onerror=alert(1)> $x$" in whole  # literal, never mathtext
    assert "Te doen: 38 punten" in whole and "Advies:" in whole
    assert "Bron: Wet sociale veiligheid op school" in whole  # the duties name their source
    assert "Te doen per onderdeel" in pages[-1]


def test_gap_chart_counts_per_section() -> None:
    checklist = load_checklist()
    first = checklist.sections[0]
    answers = {first.items[0].id: "nee", first.items[1].id: "deels", first.items[2].id: "ja"}
    containers = plot_gaps(Figure().add_subplot(), answers, checklist)
    assert [c.get_label() for c in containers] == ["Nee", "Deels", "Weet ik niet", "Niet ingevuld"]
    assert [c[0].get_width() for c in containers] == [1, 1, 0, len(first.items) - 3]


def test_widget_writes_both_reports_outside_served_folders(tmp_path: Path) -> None:
    scan = SelfScan(folder=tmp_path / "verslagen")
    items = scan.checklist.items()
    scan.school.value = EVIL
    scan.choices[items[0].id].value = "ja"
    scan.choices[items[1].id].value = "nee"
    scan.choices[items[2].id].value = "<script>"  # forged by the browser: ignored
    assert scan.value == {items[0].id: "ja", items[1].id: "nee"}
    scan.report_button.click()
    md, pdf = sorted((tmp_path / "verslagen").iterdir())
    assert md.suffix == ".md" and pdf.suffix == ".pdf"
    assert md.name.startswith("zelfscan-het-lyceum-img-src-x")
    assert str(md) in scan.saved.value and str(pdf) in scan.saved.value
    assert "<img" not in scan.report.value and "&lt;img" in scan.report.value
    assert "Te doen" in scan.report.value and items[1].advice[:20] in scan.report.value
    assert "Er ging iets mis" not in scan.status.value
    assert not scan.report_button.disabled


def test_widget_shows_a_friendly_line_when_the_folder_cannot_be_written(tmp_path: Path) -> None:
    blocked = tmp_path / "bestand"
    blocked.write_text("geen map")
    scan = SelfScan(folder=blocked / "zelfscan")
    scan.report_button.click()
    assert "Er ging iets mis" in scan.status.value and "Traceback" not in scan.status.value


def test_reports_never_go_into_a_served_folder() -> None:
    with pytest.raises(ValueError, match="served folder"):
        check_report_folder(ROOT / "facilitator" / "verslagen", ROOT)
    with pytest.raises(ValueError, match="served folder"):
        SelfScan(folder=ROOT / "lessons")
    assert check_report_folder(ROOT / "docs", ROOT) == ROOT / "docs"
