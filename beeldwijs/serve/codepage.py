"""The student server's page that asks for the session code: plain HTML, no kernel.

Shown for a join link without a code, for an unknown or closed code (one and the same page, so
a guesser learns nothing from it and no lesson title is shown before joining), for too many
tries, at the server's root and for any unknown path. The form is a plain ``GET`` to the join
page, so the typed code ends up in the address bar (a reload keeps it) and no script runs.
"""

from __future__ import annotations

from beeldwijs.content.help import routes_for
from beeldwijs.texts import t
from beeldwijs.ui.html import Markup, html, style
from beeldwijs.widgets.help_panel import help_html

#: The page has no script and echoes nothing a visitor typed; the policy only keeps it out of
#: frames and its form on this server (no ``default-src``: the accessibility test injects axe).
CONTENT_SECURITY_POLICY = "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

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
input:focus, button:focus { outline: 3px solid #1b1b1b; outline-offset: 2px; }
.bw-join-message { color: #8a1c1c; }
.bw-help { margin-top: 2rem; overflow-wrap: anywhere; }
summary { font-weight: 600; cursor: pointer; }
"""


def code_page(message: str, join_url: str) -> Markup:
    """The whole page: heading, ``message``, a code field and its button (to ``join_url``)."""
    return html(
        """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{heading} – Beeldwijs</title>
{style}
</head>
<body>
<main class="bw-code-page">
<h1>{heading}</h1>
<p class="bw-join-message" role="alert">{message}</p>
<form method="get" action="{join_url}">
<label for="bw-code">{code_label}</label>
<input id="bw-code" class="bw-code-input" name="code" autocomplete="off" autocapitalize="characters"
 spellcheck="false" maxlength="12" required placeholder="ABC123">
<button type="submit" class="bw-join">{button}</button>
</form>
<div class="bw-help">{help}</div>
</main>
</body>
</html>
""",
        heading=t("join.heading"),
        style=style(_STYLE),
        message=message,
        join_url=join_url,
        code_label=t("join.code_label"),
        button=t("join.button"),
        help=help_html(routes_for()),
    )
