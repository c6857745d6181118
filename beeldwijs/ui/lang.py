"""Which language each part of a student screen is in, in its markup (WCAG 3.1.1 and 3.1.2).

The page says the language of the student chrome (``<html lang dir>``, set by the student's
language choice); what the content authors wrote (stories, questions, options, feedback, help
routes) stays Dutch and is marked so wherever it sits inside the chrome, so a screen reader and
"Lees voor" read it with a Dutch voice and a right-to-left page keeps it left to right. Mark
the text itself, not a box that also holds our own words (a "Lees voor" button is put next to
a heading inside the story's box and must be read in the page's language).
"""

from __future__ import annotations

from beeldwijs.texts import CONTENT_LANGUAGE, direction, language, t_in
from beeldwijs.ui.html import Markup, escape, html


def content(text: object) -> Markup:
    """``text`` (escaped, or a fragment) marked as content: Dutch, left to right."""
    return html(
        '<span lang="{lang}" dir="{dir}">{text}</span>',
        lang=CONTENT_LANGUAGE,
        dir=direction(CONTENT_LANGUAGE),
        text=text,
    )


def content_block(fragment: object, tag: str = "div") -> Markup:
    """A block of content (paragraphs; a heading with ``tag="h2"``) marked as Dutch, left to
    right: it lines up on the left on a right-to-left page too, as the text does."""
    if tag not in ("div", "h2", "h3"):
        raise ValueError(f"not a block for content: {tag}")
    return html(
        '<{tag} lang="{lang}" dir="{dir}">{fragment}</{tag}>',
        tag=tag,
        lang=CONTENT_LANGUAGE,
        dir=direction(CONTENT_LANGUAGE),
        fragment=fragment,
    )


def ours(text: object, lang: str | None = None) -> Markup:
    """Our own words inside content (a chat's "Foto"): marked in ``lang`` (default: the
    language in use)."""
    lang = lang or language()
    return html(
        '<span lang="{lang}" dir="{dir}">{text}</span>', lang=lang, dir=direction(lang), text=text
    )


def translated(key: str, /, **values: object) -> Markup:
    """``t(key)`` as markup, its ``{placeholders}`` filled with escaped text or with fragments as
    they are (a link, a phone number, a content text marked by :func:`content`)."""
    return translated_in(language(), key, **values)


def translated_in(lang: str, key: str, /, **values: object) -> Markup:
    """:func:`translated` in ``lang`` whatever the language in use (a page the server writes)."""
    return escape(t_in(lang, key)).format(**values)
