"""The Kennisnet guide the content draws on: its chapters and the terms of its chapter 3.

"Wat doet u als school met de online verspreiding van ongewenste beelden?" (vernieuwde leidraad
vo, Kennisnet, June 2021). Scenarios name the section they draw on (``guide_section``); the
content linter checks that it names a real chapter, and ``beeldwijs check`` shows how many
scenarios cover each chapter-3 term per audience.
"""

from __future__ import annotations

GUIDE_TITLE = (
    "Kennisnet, ‘Wat doet u als school met de online verspreiding van ongewenste beelden?’ "
    "(vernieuwde leidraad vo, juni 2021)"
)

#: The guide's chapters, as a ``guide_section`` names them ("2. Calamiteitenbeleid – Stap 1").
CHAPTERS = (
    "Inleiding",
    "1. Preventiebeleid",
    "2. Calamiteitenbeleid",
    "3. Termen en begrippen",
)

#: Chapter 3's terms that name a phenomenon, each with the scenario theme that covers it.
#: ("Sociale media", "Videoplatforms" and "Meme" are definitions the other terms build on.)
CHAPTER_3_TERMS: tuple[tuple[str, str], ...] = (
    ("Beeldpesten", "beeldpesten"),
    ("Sexting", "sexting"),
    ("Shame-sexting", "shame-sexting"),
    ("Slut-shaming", "slut-shaming"),
    ("Victim-blaming", "victim-blaming"),
    ("Exposing/expose-accounts", "exposing"),
    ("Cyberbaiting", "cyberbaiting"),
    ("Meme-account/hate-account", "meme-account"),
    ("Snitching", "snitching"),
    ("Ramptoerisme/slachtoffervideo's", "ramptoerisme"),
    ("Juridische procedures", "juridisch"),
)


def unknown_chapters(guide_section: str) -> list[str]:
    """The parts of a ``guide_section`` ("; "-separated) that do not start with a chapter."""
    parts = [p.strip() for p in guide_section.split(";")]
    return [p for p in parts if not any(p.startswith(c) for c in CHAPTERS)]
