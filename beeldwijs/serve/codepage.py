"""The student server's own pages, plain HTML without a kernel: the code page and "de klas is vol".

Shown for a join link without a code, for an unknown or closed code (one and the same page, so
a guesser learns nothing from it and no lesson title is shown before joining), for too many
tries, at the server's root and for any unknown path. The form is a plain ``GET`` to the join
page, so the typed code ends up in the address bar (a reload keeps it) and no script runs.

It speaks the student's language (docs/texts.md): the one chosen before in this browser session
(the cookie the student app leaves, widgets/language.py) or picked here, with the links at the
top (``?taal=en``: no script); help routes stay Dutch, marked so. :func:`full_page` is the 503
a student gets when the session or the server has no room for another kernel, in that language;
:func:`closed_page` what a browser that was in a lesson gets for it once the mentor closed it (a
phone that reloads the tab later): the end screen, every expert view and help.
"""

from __future__ import annotations

from beeldwijs.content.help import routes_for
from beeldwijs.content.model import Lesson
from beeldwijs.texts import STUDENT_LANGUAGES, direction, speaking, t_in
from beeldwijs.ui.html import Markup, html, join, style
from beeldwijs.widgets.help_panel import help_html
from beeldwijs.widgets.recap import recap_html

#: The page has no script and echoes nothing a visitor typed; the policy only keeps it out of
#: frames and its form on this server (no ``default-src``: the accessibility test injects axe).
CONTENT_SECURITY_POLICY = "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

#: The query parameter of the language links (``?taal=ar``).
LANGUAGE_PARAMETER = "taal"

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; padding: 1rem; color: #1b1b1b;
       background: #fff; line-height: 1.5; }
main { max-width: 32rem; margin: 2rem auto; }
h1 { font-size: 1.5rem; }
label { display: block; font-weight: 600; margin-top: 1rem; }
input { font-size: 1.25rem; padding: .5rem; width: 100%; max-width: 12rem;
        text-transform: uppercase; letter-spacing: .1em; border: 2px solid #505050; }
button { font-size: 1.1rem; padding: .6rem 1.2rem; margin-top: 1rem; color: #fff;
         background: #0b5cad; border: 0; border-radius: 4px; }
input:focus, button:focus, a:focus { outline: 3px solid #1b1b1b; outline-offset: 2px; }
.bw-join-message { color: #8a1c1c; }
.bw-help { margin-top: 2rem; overflow-wrap: anywhere; }
.bw-help ul { padding-inline-start: 1.1rem; }
a { color: #0b5cad; }
summary { font-weight: 600; cursor: pointer; }
.bw-languages ul { display: flex; flex-wrap: wrap; gap: .4rem 1rem; list-style: none;
                   margin: 0; padding: 0; }
.bw-languages a { display: inline-block; padding: .6rem .2rem; }
.bw-languages [aria-current] { font-weight: 700; color: #1b1b1b; }
.bw-recap-list { padding-inline-start: 1.1rem; overflow-wrap: anywhere; }
.bw-progress { margin-bottom: 0; color: #505050; }
"""


def _language_links(lang: str) -> Markup:
    """Each student language by its own name, as a link to this page in it."""
    links = [
        html(
            '<li><a href="?{param}={code}" lang="{code}" hreflang="{code}"{current}>{name}</a></li>',
            param=LANGUAGE_PARAMETER,
            code=code,
            name=name,
            current=Markup(' aria-current="true"') if code == lang else Markup(),
        )
        for code, name in STUDENT_LANGUAGES.items()
    ]
    return html(
        '<nav class="bw-languages" aria-label="{}"><ul>{}</ul></nav>',
        t_in(lang, "intro.language"),
        join(links),
    )


def _page(lang: str, css_class: str, heading: str, body: Markup) -> Markup:
    """A whole page in ``lang``: its heading and ``body``, then help."""
    return html(
        """<!DOCTYPE html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{heading} – Beeldwijs</title>
{style}
</head>
<body>
<main class="{css_class}">
{body}
<div class="bw-help">{help}</div>
</main>
</body>
</html>
""",
        lang=lang,
        dir=direction(lang),
        heading=heading,
        style=style(_STYLE),
        css_class=css_class,
        body=body,
        help=help_html(routes_for(), lang=lang),
    )


def code_page(message: str, join_url: str, lang: str = "nl") -> Markup:
    """The code page in ``lang``: the language links, heading, ``message``, a code field and
    its button (to ``join_url``), and help."""
    heading = t_in(lang, "join.heading")
    body = html(
        """{languages}
<h1>{heading}</h1>
<p class="bw-join-message" role="alert">{message}</p>
<form method="get" action="{join_url}">
<label for="bw-code">{code_label}</label>
<input id="bw-code" class="bw-code-input" name="code" autocomplete="off" autocapitalize="characters"
 spellcheck="false" maxlength="12" required placeholder="ABC123" dir="ltr">
<button type="submit" class="bw-join">{button}</button>
</form>""",
        languages=_language_links(lang),
        heading=heading,
        message=message,
        join_url=join_url,
        code_label=t_in(lang, "join.code_label"),
        button=t_in(lang, "join.button"),
    )
    return _page(lang, "bw-code-page", heading, body)


def full_page(lang: str = "nl") -> Markup:
    """The 503 when there is no room for another student's kernel, in ``lang``."""
    heading = t_in(lang, "full.heading")
    body = html(
        '<div role="alert"><h1>{}</h1><p>{}</p><p>{}</p></div>',
        heading,
        t_in(lang, "full.body"),
        t_in(lang, "full.ask"),
    )
    return _page(lang, "voila-error bw-full", heading, body)


def closed_page(lesson: Lesson, lang: str = "nl") -> Markup:
    """The lesson's end screen after the mentor closed it, in ``lang``: that it is closed, what
    experts say per question (all released at the close: widgets/recap.py), and help."""
    heading = t_in(lang, "end.heading")
    with speaking(lang):
        recap = recap_html(lesson, lambda _question: True, closed=True)
    body = html(
        '<h1>{}</h1><p role="status">{}</p><p>{}</p>{}',
        heading,
        t_in(lang, "end.body_closed"),
        t_in(lang, "end.help"),
        recap,
    )
    return _page(lang, "bw-closed-page", heading, body)
