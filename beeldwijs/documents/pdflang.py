"""The language of a PDF the app writes (EN 301 549 clause 10, WCAG 3.1.1 for documents).

Matplotlib's PDF backend (the only PDF writer here) writes the document catalog when the file is
opened, with no ``/Lang``, and draws text without marked content, so a *tagged* PDF (a structure
tree over the text) cannot be made with it: docs/decisions/pdf-accessibility.md. What can be done
afterwards is this: an incremental update (PDF 1.7 §7.5.6) that replaces the catalog by one with
``/Lang`` and ``/ViewerPreferences << /DisplayDocTitle true >>`` (readers show the title, not the
file name). The original bytes stay as they are; the update is appended.
"""

from __future__ import annotations

import re
from pathlib import Path

_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$", re.S)


def mark_language(path: Path, language: str = "nl-NL") -> Path:
    """Appends a catalog with ``/Lang (language)`` to the PDF at ``path``; returns ``path``."""
    if not re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", language):
        raise ValueError(f"not a language tag: {language!r}")
    data = path.read_bytes()
    trailer = _TRAILER.search(data[-2048:])
    if trailer is None:
        raise ValueError(f"{path}: no classic trailer at the end (not written by matplotlib?)")
    fields, previous_xref = trailer[1], int(trailer[2])
    root = re.search(rb"/Root\s+(\d+)\s+(\d+)\s+R", fields)
    size = re.search(rb"/Size\s+(\d+)", fields)
    info = re.search(rb"/Info\s+\d+\s+\d+\s+R", fields)
    if root is None or size is None:
        raise ValueError(f"{path}: trailer without /Root or /Size")
    number, generation = int(root[1]), int(root[2])
    catalog = re.search(rb"\n%d %d obj\s*<<(.*?)>>\s*endobj" % (number, generation), data, re.S)
    if catalog is None or b"/Lang" in catalog[1]:
        raise ValueError(f"{path}: no catalog object, or it has a language already")
    entries = catalog[1].strip()
    body = b"<< %s /Lang (%s) /ViewerPreferences << /DisplayDocTitle true >> >>" % (
        entries,
        language.encode(),
    )
    start = len(data) + 1
    update = b"\n%d %d obj\n%s\nendobj\n" % (number, generation, body)
    xref_at = start - 1 + len(update)
    xref = b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d %05d n \n" % (number, start, generation)
    tail = b"trailer\n<< /Size %s /Root %d %d R %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        size[1],
        number,
        generation,
        info[0] if info else b"",
        previous_xref,
        xref_at,
    )
    path.write_bytes(data + update + xref + tail)
    return path
