"""Render a PDF the app made, as a reader would: pdftoppm (pages) and pdftotext (Debian's poppler-utils)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def pdf_pages_as_text(path: Path) -> list[str]:
    """Render every page to PNG with pdftoppm and return the text of each page (pdftotext)."""
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.fail(
            "pdftoppm/pdftotext missing: run tools/system-deps.sh (Debian package poppler-utils)"
        )
    out = path.parent / f"{path.stem}-page"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(out)], check=True)
    pages = sorted(path.parent.glob(f"{path.stem}-page*.png"))
    assert pages and all(p.stat().st_size > 1000 for p in pages)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[: len(pages)]


def assert_language_and_sound(path: Path, language: str = "nl-NL") -> None:
    """The PDF declares ``language`` (its last catalog has /Lang) and poppler reads its
    cross-reference table without a complaint."""
    data = path.read_bytes()
    update = data[data.rindex(b"startxref") :].split()[1]
    xref = data[int(update) :]
    offset = int(xref.split(b"\n")[4].split()[0])  # its one entry: the new catalog
    catalog = data[offset:].split(b"endobj")[0]
    assert catalog.count(b"/Lang (%s)" % language.encode()) == 1, catalog
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert info.stderr == "", info.stderr
