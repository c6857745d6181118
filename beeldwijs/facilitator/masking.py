"""Mask what could identify someone in an open answer: names, phone numbers, e-mail, @handles.

A filter is a hint, not a guarantee (a word list misses lower-case and unusual names; see
docs/stack-facts.md), so the mentor still approves every answer before it is projected.
Masking runs on plain text; escaping for HTML happens afterwards, where the text is shown.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from beeldwijs.content.names import name_list

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
HANDLE = re.compile(r"(?<![\w@])@[\w.]{2,30}")
PHONE = re.compile(r"(?<!\d)(\+31|0031|0)[\s-]?[1-9](?:[\s-]?\d){7,8}(?!\d)")
WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)

#: Capitalised words that are not names (platforms, school words); extend as needed.
NOT_NAMES = frozenset((
    "ik", "je", "jij", "hij", "zij", "we", "wij", "jullie", "ze", "het", "de", "een", "dat", "dit",
    "die", "wat", "waarom", "hoe", "als", "maar", "en", "of", "snapchat", "instagram", "whatsapp",
    "tiktok", "youtube", "facebook", "twitter", "teams", "google", "meldknop", "helpwanted",
    "nederland", "nederlands", "mentor", "meester", "juf", "meneer", "mevrouw", "school", "klas",
))  # fmt: skip


@cache
def first_names() -> frozenset[str]:
    return frozenset(name_list())


def _sentence_starts(text: str) -> set[int]:
    starts = {m.end() for m in re.finditer(r"(^|[.!?…]\s+|\n)\W*", text)}
    return starts | {0}


def plain_text(text: str) -> str:
    """``text`` as the masks must see it: NFKC (full-width digits and letters become plain
    ones) and without invisible format characters (zero-width spaces and joiners, bidi
    controls, soft hyphens), which could split a name or a number unseen."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def mask_text(text: str) -> str:
    """``text`` with e-mail, phone numbers, @handles and likely names replaced by markers
    (after :func:`plain_text`)."""
    text = plain_text(text)
    text = EMAIL.sub("[e-mail]", text)
    text = PHONE.sub("[telefoon]", text)
    text = HANDLE.sub("[account]", text)
    starts = _sentence_starts(text)
    names = first_names()

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        if lower in names:
            return "[naam]"
        capitalised_mid_sentence = word[0].isupper() and match.start() not in starts
        if capitalised_mid_sentence and lower not in NOT_NAMES and not word.isupper():
            return "[naam]"
        return word

    return WORD.sub(replace, text)
