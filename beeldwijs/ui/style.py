"""The student app's stylesheet: large type, WCAG AA contrast, phone first.

Sides are logical (``border-inline-start``, ``padding-inline-start``, ``text-align: start``), never
left or right: on a right-to-left page (the chrome in Arabic) notices, lists and labels mirror,
and flex rows (buttons, an option's radio and its label) follow the direction by themselves.
"""

from __future__ import annotations

import ipywidgets as w

from beeldwijs.ui import lean
from beeldwijs.ui.html import style

CSS = """
.bw-hidden { display: none !important; }
.bw-app { max-width: 40rem; margin: 0 auto; font-size: 1.1rem; line-height: 1.5; color: #1a1a1a; }
.bw-app .widget-html-content { font-size: 1.05rem; line-height: 1.5; }
.bw-app h2 { font-size: 1.4rem; margin: 0.6rem 0; }
.bw-app p { margin: 0.4rem 0; }
.bw-notice { background: #eef4fb; border-inline-start: 4px solid #1f5fa8; padding: 0.6rem 0.8rem; }
.bw-warning { background: #fff4e5; border-inline-start: 4px solid #a35200; padding: 0.6rem 0.8rem; }
.bw-error { color: #8a1111; font-weight: 600; }
.bw-progress { color: #404040; font-size: 0.95rem; }
.bw-choice { border: none; margin: 0; padding: 0; }
.bw-choice legend { font-weight: 600; font-size: 1.15rem; margin-bottom: 0.5rem; }
.bw-option { display: flex; gap: 0.6rem; align-items: flex-start; padding: 0.6rem 0.7rem;
  margin: 0.35rem 0; border: 2px solid #6b6b6b; border-radius: 0.5rem; cursor: pointer; }
.bw-option input { width: 1.3rem; height: 1.3rem; margin-top: 0.15rem; flex: none; }
.bw-option:has(input:checked) { border-color: #1f5fa8; background: #eef4fb; }
.bw-option:focus-within { outline: 3px solid #1f5fa8; outline-offset: 2px; }
.bw-option-skip { border-style: dashed; color: #333; }
.bw-saved { color: #11632a; font-weight: 600; }
.bw-chat { background: #ece5dd; border: 10px solid #222; border-radius: 1.6rem; padding: 0.6rem;
  max-width: 24rem; margin: 0.6rem auto; }
.bw-chat-title { background: #075e54; color: #fff; border-radius: 0.8rem 0.8rem 0 0;
  padding: 0.4rem 0.7rem; font-weight: 600; margin: -0.6rem -0.6rem 0.5rem; }
.bw-chat-snapchat .bw-chat-title { background: #5c4b00; }
.bw-chat-instagram .bw-chat-title { background: #8a1f5a; }
.bw-chat-tiktok .bw-chat-title { background: #111; }
.bw-chat-teams .bw-chat-title { background: #464775; }
.bw-msg { background: #fff; border-radius: 0.6rem; padding: 0.35rem 0.6rem; margin: 0.3rem 2.5rem 0.3rem 0; }
.bw-msg-me { background: #dcf8c6; margin: 0.3rem 0 0.3rem 2.5rem; }
.bw-msg-from { font-size: 0.8rem; font-weight: 700; color: #1d4f7a; display: block; }
.bw-media { display: block; background: #c9c9c9; color: #1a1a1a; border-radius: 0.4rem;
  padding: 1.2rem 0.5rem; text-align: center; font-style: italic; }
.bw-recap { border-top: 2px solid #1f5fa8; margin-top: 1rem; }
.bw-recap-list { list-style: none; padding: 0; margin: 0; }
.bw-recap-item { margin: 0 0 1.2rem; }
.bw-recap h3 { font-size: 1.1rem; margin: 0.2rem 0 0.4rem; }
.bw-help { border-top: 2px solid #1f5fa8; margin-top: 1rem; padding-top: 0.4rem; }
.bw-help summary { font-weight: 700; cursor: pointer; padding: 0.4rem 0; color: #1f5fa8; }
.bw-help ul { padding-inline-start: 1.1rem; margin: 0.3rem 0; }
.bw-help a { color: #1f5fa8; text-decoration: underline; }  /* not by colour alone (1.4.1) */
.bw-app .widget-button, .bw-app button { font-size: 1.05rem; min-height: 2.75rem; }
.bw-app button.jupyter-button { width: auto; padding: 0 1.2rem; }
.bw-app textarea { font-size: 1.05rem; }
.bw-clock { display: inline-block; background: #f2f2f2; border-radius: 0.4rem; padding: 0.3rem 0.6rem;
  font-size: 1.15rem; font-variant-numeric: tabular-nums; }
.bw-verdict-volgens-protocol { border-inline-start-color: #11632a; background: #eaf6ee; }
.bw-verdict-deels { border-inline-start-color: #a35200; background: #fff4e5; }
.bw-verdict-niet-volgens-protocol { border-inline-start-color: #8a1111; background: #fbeeee; }
/* reflow: usable at 320 CSS px (= 400 % zoom of 1280 px) without sideways scrolling */
.bw-app, .bw-app * { min-width: 0; box-sizing: border-box; }
.bw-app { overflow-wrap: anywhere; }
.bw-app .widget-box, .bw-app .widget-inline-hbox, .bw-app .widget-html,
.bw-app .widget-html-content { max-width: 100%; }
.bw-app .widget-html-content { white-space: normal; }
.bw-actions { flex-wrap: wrap; gap: 0.5rem; }
/* the answer's own box is no scroll container: a sub-pixel overflow made it one, which a
   keyboard cannot reach (axe: scrollable-region-focusable) */
.bw-question > .widget-box { overflow: visible; }
.bw-app .bw-actions button.jupyter-button { margin: 0; }
.bw-app .widget-textarea, .bw-app .widget-text { width: 100%; flex-wrap: wrap; }
.bw-app .widget-textarea .widget-label, .bw-app .widget-text .widget-label {
  width: 100%; max-width: none; text-align: start; white-space: normal; overflow: visible; }
.bw-app .widget-textarea textarea, .bw-app .widget-text input { width: 100%; flex: 1 1 100%; }
/* iOS zooms into a field under 16 px */
.bw-app input, .bw-app textarea, .bw-app select, input.bw-code-input {
  font-size: max(16px, 1rem) !important; }
/* visible focus, 3 px at 6.4:1 on white (WCAG 1.4.11), on every control */
.bw-app button:focus-visible, .bw-app a:focus-visible, .bw-app summary:focus-visible,
.bw-app textarea:focus-visible, .bw-app input:focus-visible, .bw-app [tabindex="-1"]:focus {
  outline: 3px solid #1f5fa8 !important; outline-offset: 2px; }
.bw-app [tabindex="-1"]:focus:not(:focus-visible) { outline-color: transparent !important; }
.bw-sr-only { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }
.bw-read { font-size: 0.95rem; min-height: 2.75rem; padding: 0 0.9rem; margin: 0.3rem 0;
  border: 2px solid #1f5fa8; border-radius: 0.4rem; background: #fff; color: #1f5fa8;
  cursor: pointer; }
.bw-read[aria-pressed="true"] { background: #1f5fa8; color: #fff; }
"""


def stylesheet() -> w.HTML:
    """Our own static CSS (no student text), as a widget placed once in the app."""
    # hidden: a <style> applies to the page from inside a hidden element too
    return lean.HTML(style(CSS), _dom_classes=(lean.HIDDEN,))
