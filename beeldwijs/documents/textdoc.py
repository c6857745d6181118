"""Plain documents (the self-scan report, the parent letter) as Markdown and as PDF.

Markdown is what a school edits and mails; the PDF is what it prints. Both come from the same
text: ``md_escape`` makes any text safe inside a Markdown line, ``markdown_blocks`` reads the small
Markdown subset our documents use (headings, paragraphs, bullets, bold) back into styled blocks,
and ``write_pdf`` lays blocks out on A4 pages with matplotlib (imported only then). Every text goes
through ``parse_math=False``, so a ``$`` in a school name stays a dollar sign, and through
``drawable``, so a character the PDF's font has no glyph for (emoji in a story's chat, in a
student's approved answer) is left out instead of printed as an empty box
(docs/decisions/no-emoji-in-pdfs.md).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from beeldwijs.documents.pdflang import mark_language

if TYPE_CHECKING:
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

#: (style, text); styles: h1, h2, h3, p (paragraph), li (bullet), sub (indented line under a bullet)
Block = tuple[str, str]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!$])")
_MD_ESCAPED = re.compile(r"\\([\\`*_\[\]<>#|~!$])")

A4 = (8.27, 11.69)
MARGIN = 0.08
LINE = 0.0185
#: style → (font size, weight, characters per line, line height factor, indent)
STYLES = {
    "h1": (17, "bold", 48, 1.5, 0.0),
    "h2": (13, "bold", 64, 1.35, 0.0),
    "h3": (11.5, "bold", 76, 1.3, 0.0),
    "p": (10, "normal", 95, 1.0, 0.0),
    "li": (10, "normal", 90, 1.0, 0.02),
    "sub": (10, "normal", 86, 1.0, 0.045),
}


@cache
def _glyphs() -> frozenset[int]:
    """The code points the PDF's font draws in both its weights (matplotlib's own DejaVu Sans,
    the same on every machine)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    faces = [font_manager.FontProperties(weight=w) for w in ("normal", "bold")]
    maps = [FT2Font(font_manager.findfont(face)).get_charmap() for face in faces]
    return frozenset(maps[0]).intersection(*maps[1:])


def drawable(text: str) -> str:
    """``text`` without the characters the PDF's font cannot draw (emoji and their variation
    selectors), spaces tidied where something was left out."""
    glyphs = _glyphs()
    kept = "".join(ch for ch in text if ord(ch) in glyphs or ch in "\n\t")
    return text if kept == text else " ".join(kept.split())


def md_escape(text: str) -> str:
    """Text safe inside a Markdown line: no emphasis, links, HTML, headings or $math$ from it."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def md_unescape(text: str) -> str:
    return _MD_ESCAPED.sub(r"\1", text)


def _plain(text: str) -> str:
    """Inline Markdown to plain text: bold/italic markers and escapes removed."""
    text = re.sub(r"(?<!\\)\*\*(.+?)(?<!\\)\*\*", r"\1", text)
    text = re.sub(r"(?<![\\*])\*(?!\*)(.+?)(?<!\\)\*", r"\1", text)
    return md_unescape(text)


def markdown_blocks(markdown: str) -> list[Block]:
    """Our Markdown subset as blocks: ``#``–``###`` headings, ``- `` bullets (task boxes kept as
    ☐/☑), indented continuation lines, blank-line separated paragraphs, and simple tables (each
    row becomes a bullet "first cell: header value · header value …")."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    header: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(("p", _plain(" ".join(paragraph))))
            paragraph.clear()

    previous = ""
    for raw in markdown.splitlines():
        line = raw.rstrip()
        heading = re.match(r"^(#{1,3}) (.*)$", line)
        if line.startswith("|"):
            flush()
            cells = [_plain(c.strip()) for c in line.strip("|").split("|")]
            if not header:
                header = cells
            elif not set(line) <= set("|-: "):
                pairs = " · ".join(f"{h} {v}" for h, v in zip(header[1:], cells[1:], strict=False))
                blocks.append(("li", f"• {cells[0]}: {pairs}"))
        elif not line.strip():
            header = []
            flush()
        elif heading:
            flush()
            blocks.append((f"h{len(heading[1])}", _plain(heading[2])))
        elif line.startswith("- "):
            flush()
            item = line[2:].replace("[ ] ", "☐ ", 1).replace("[x] ", "☑ ", 1)
            blocks.append(("li", _plain(item if item[0] in "☐☑" else f"• {item}")))
        elif line.startswith("  ") and blocks and blocks[-1][0] in ("li", "sub") and not paragraph:
            if previous.endswith("  "):  # a hard line break: its own indented line
                blocks.append(("sub", _plain(line.strip())))
            else:  # the list item goes on
                style, text = blocks[-1]
                blocks[-1] = (style, f"{text} {_plain(line.strip())}")
        else:
            paragraph.append(line.strip())
        previous = raw
    flush()
    return blocks


def _lines(blocks: Iterable[Block]) -> list[Block]:
    """Blocks wrapped to lines, with an empty line above headings and between paragraphs."""
    lines: list[Block] = []
    previous = ""
    for style, text in blocks:
        if lines and (style.startswith("h") or style == "p" or (style == "li" and previous == "p")):
            lines.append(("p", ""))
        width, hang = STYLES[style][2], "  " if style in ("li", "sub") else ""
        lines += [(style, w) for w in (textwrap.wrap(text, width, subsequent_indent=hang) or [""])]
        previous = style
    return lines


def text_pages(pdf: PdfPages, blocks: Iterable[Block]) -> None:
    """Lay ``blocks`` out on new A4 pages of ``pdf``: wrapped, styled, drawable."""
    from matplotlib.figure import Figure

    lines = _lines((style, drawable(text)) for style, text in blocks)
    index = 0
    while index < len(lines):
        fig = Figure(figsize=A4)
        y = 1 - MARGIN
        while index < len(lines) and y > MARGIN:
            style, text = lines[index]
            size, weight, _, factor, indent = STYLES[style]
            fig.text(
                MARGIN + indent, y, text, fontsize=size, fontweight=weight, va="top",
                parse_math=False,
            )  # fmt: skip
            y -= LINE * factor
            index += 1
        pdf.savefig(fig)


def write_pdf(
    path: Path,
    blocks: Sequence[Block],
    *,
    title: str,
    figures: Sequence[Figure] = (),
    language: str = "nl-NL",
) -> Path:
    """Lay ``blocks`` out on A4 pages, then add ``figures`` (each a page); returns ``path``, which
    declares ``language`` (pdflang.py)."""
    from matplotlib.backends.backend_pdf import PdfPages

    path.parent.mkdir(parents=True, exist_ok=True)
    with PdfPages(path, metadata={"Title": title, "Creator": "Beeldwijs"}) as pdf:
        text_pages(pdf, blocks)
        for figure in figures:
            pdf.savefig(figure)
    return mark_language(path, language)
