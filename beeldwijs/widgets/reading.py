"""Reading order and "Lees voor" on the student's screen, done in the browser.

When the kernel replaces a screen, the browser's focus falls to ``<body>`` and nothing is said
(WCAG 2.4.3, 4.1.3), and a phone keeps its old scroll position. :class:`ReadingAid` is one
invisible anywidget in the student app whose script watches the app's own elements (the CSS
classes of docs/testing.md) and, once a change has settled:

- **a new scenario**: scrolls its story to the top and focuses the story's heading;
- **a next question** of the same scenario: scrolls to the question and focuses it;
- **after "Verstuur"**: scrolls so the confirmation and "Volgende" are in view and focuses the
  confirmation (a screen reader reads on into the feedback, one Tab reaches "Volgende");
- a polite live region (``role="status"``) announces a new question ("Vraag 2 van 8: …", the
  question marked with its own ``lang`` when the chrome is in another language), a
  re-vote and a waiting state, with the texts that are on the screen, and on the end screen the
  recap's status line when the mentor's "Toon uitleg" adds a question to it (widgets/recap.py);
- **"Lees voor"**: a button after the heading of every story, question and feedback reads that
  part aloud with the browser's own speech synthesis (``speechSynthesis``, a Dutch voice when the
  device has one; nothing leaves the device). A second press stops it. Without speech synthesis
  in the browser there is no button. The buttons are real ``<button>`` elements in reading
  order, named "Lees voor: verhaal" and so on (the visible text is in the name, WCAG 2.5.3).

Nothing of this costs the kernel a message: the script follows the screen the kernel already
sends; its labels come from beeldwijs.texts at construction (one model per student).
"""

from __future__ import annotations

import anywidget
import ipywidgets
import traitlets

from beeldwijs.texts import t
from beeldwijs.ui import lean

_ESM = r"""
const SETTLE_MS = 120;

function textOf(container, skip) {
  // what a reader sees in container, without our own buttons
  return Array.from(container.childNodes)
    .filter((n) => n !== skip && !(n.classList && n.classList.contains("bw-read")))
    .map((n) => (n.innerText !== undefined ? n.innerText : n.textContent) || "")
    .map((s) => s.trim()).filter(Boolean).join("\n");
}

function render({ model, el }) {
  el.classList.add("bw-sr-only");
  const live = document.createElement("div");
  live.className = "bw-live";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  el.appendChild(live);
  const labels = () => model.get("labels");
  const root = () => el.closest(".bw-app") || document;
  const one = (sel) => root().querySelector(sel);
  const text = (sel) => ((one(sel) || {}).textContent || "").trim();

  // -- announcements -------------------------------------------------------------------------
  let clearing = null;
  // parts: texts, or [text, element] for a text read in that element's language (a Dutch
  // question inside English chrome gets a Dutch voice, WCAG 3.1.2); one space between parts
  function announce(...parts) {
    const said = parts.filter((part) => (Array.isArray(part) ? part[0] : part));
    if (!said.length) return;
    live.textContent = "";  // the same text twice is announced twice
    clearTimeout(clearing);
    clearing = setTimeout(() => {
      live.replaceChildren(...said.map((part, i) => {
        const [words, from] = Array.isArray(part) ? part : [part, null];
        const span = document.createElement("span");
        span.textContent = (i ? " " : "") + words;
        const marked = from && from.closest("[lang]");
        if (marked && marked.lang !== document.documentElement.lang) span.lang = marked.lang;
        return span;
      }));
    }, 60);
  }

  let refocus = null;  // finds the element we focused again, should a widget redraw it
  function focus(target) {
    if (!target.matches("button, a, input, textarea, select, summary")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus({ preventScroll: true });
  }
  function focusOn(target, block, selector) {
    if (!target) return;
    target.scrollIntoView({ block: block || "start" });
    focus(target);
    refocus = selector ? () => one(selector) : null;
  }
  function keepFocus() {
    // a widget that redraws its HTML drops the focused element: focus its successor
    const lost = !document.activeElement || document.activeElement === document.body;
    const again = lost && refocus ? refocus() : null;
    if (again) focus(again);
  }

  // -- reading order -------------------------------------------------------------------------
  const done = { question: "", saved: "", waiting: "", end: "", title: "", recap: "" };

  const promptOf = () => one(".bw-question legend") || one(".bw-question .bw-prompt [lang]")
    || one(".bw-question .bw-prompt");
  function questionParts() {  // "Vraag 2 van 8:" and the question, each in its own language
    const prompt = promptOf();
    const progress = text(".bw-question .bw-progress");
    const words = prompt ? prompt.textContent.trim() : "";
    return [progress && words ? progress + ":" : progress, [words, prompt]];
  }
  const questionText = () => questionParts().map((p) => (Array.isArray(p) ? p[0] : p))
    .filter(Boolean).join(" ");

  function follow() {
    const title = text(".bw-scenario h2");
    const revote = text(".bw-revote");
    // a question is there once its prompt is: on a slow phone its progress line and button can
    // settle before the answers' legend, and the legend arriving then made the screen's own
    // question look like the next one (focus and scroll left the new scenario's story)
    const prompted = one(".bw-question legend") || one(".bw-question .bw-prompt");
    const question = prompted ? revote + "|" + questionText() : "";
    const saved = one(".bw-question .bw-saved") ? question : "";
    const waiting = one(".bw-waiting") ? title + "|" + text(".bw-waiting") : "";
    const end = text(".bw-end h2");
    const recap = text(".bw-recap-status");
    if (end && end !== done.end) {
      focusOn(one(".bw-end h2"), "start", ".bw-end h2");
    } else if (saved && saved !== done.saved) {
      const next = one(".bw-question .bw-next");
      if (next) next.scrollIntoView({ block: "end" });
      const confirmation = one(".bw-question .bw-saved");
      if (confirmation.getBoundingClientRect().top < 0) confirmation.scrollIntoView({ block: "start" });
      focus(confirmation);
      refocus = () => one(".bw-question .bw-saved");
    } else if (question && question !== done.question && one(".bw-question .bw-submit")) {
      if (title && title !== done.title && !revote) {
        focusOn(one(".bw-scenario h2"), "start", ".bw-scenario h2");  // a new scenario: its story
      } else {
        const prompt = ".bw-question legend, .bw-question .bw-prompt";
        focusOn(one(prompt), "start", prompt);
        one(".bw-question").scrollIntoView({ block: "start" });
      }
      announce(revote, ...questionParts());
      done.title = title;
    } else if (waiting && waiting !== done.waiting) {
      if (title !== done.title) focusOn(one(".bw-scenario h2"), "start", ".bw-scenario h2");
      announce(text(".bw-waiting"));
      done.title = title;
    }
    if (recap && done.recap && recap !== done.recap) announce(recap);  // more explained
    Object.assign(done, { end, waiting, recap, question: question || done.question });
    if (saved) done.saved = saved;
  }

  // -- Lees voor ------------------------------------------------------------------------------
  const synth = window.speechSynthesis;
  const canSpeak = !!synth && typeof window.SpeechSynthesisUtterance === "function";
  let speaking = null;

  function idle() {
    if (!speaking) return;
    speaking.setAttribute("aria-pressed", "false");
    speaking.textContent = labels().read;
    speaking = null;
  }

  function speak(button, container) {
    if (speaking === button) { synth.cancel(); idle(); return; }
    synth.cancel();
    idle();
    const utterance = new window.SpeechSynthesisUtterance(textOf(container, button));
    utterance.lang = "nl-NL";
    const voices = (synth.getVoices && synth.getVoices()) || [];
    const dutch = voices.find((v) => /^nl([-_]|$)/i.test(v.lang || ""));
    if (dutch) utterance.voice = dutch;
    utterance.onend = utterance.onerror = () => { if (speaking === button) idle(); };
    speaking = button;
    button.setAttribute("aria-pressed", "true");
    button.textContent = labels().stop;
    synth.speak(utterance);
  }

  function addButton(anchor, container, what) {
    if (!anchor || !container) return;
    const next = anchor.nextElementSibling;
    if (next && next.classList.contains("bw-read")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "bw-read";
    button.textContent = labels().read;
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-label", labels().read + ": " + labels()[what]);
    button.addEventListener("click", () => speak(button, container));
    anchor.after(button);
  }

  function buttons() {
    if (!canSpeak) return;
    for (const story of root().querySelectorAll(".bw-scenario .widget-html-content")) {
      addButton(story.querySelector("h2"), story, "story");
    }
    for (const fieldset of root().querySelectorAll(".bw-question fieldset")) {
      addButton(fieldset.querySelector("legend"), fieldset, "question");
    }
    for (const prompt of root().querySelectorAll(".bw-question .bw-prompt")) {
      addButton(prompt, prompt.parentNode, "question");
    }
    for (const saved of root().querySelectorAll(".bw-question .bw-saved")) {
      addButton(saved, saved.parentNode, "feedback");
    }
  }

  let timer = null;
  const observer = new MutationObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(() => { buttons(); follow(); keepFocus(); }, SETTLE_MS);
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  timer = setTimeout(() => {  // the screen at first render is where the student already is
    buttons();
    Object.assign(done, {
      title: text(".bw-scenario h2"), end: text(".bw-end h2"), recap: text(".bw-recap-status"),
    });
  }, SETTLE_MS);
  return () => { observer.disconnect(); if (canSpeak) synth.cancel(); };
}
export default { render };
"""


def reading_labels() -> dict[str, str]:
    """The button's texts: "Lees voor", "Stop voorlezen" and what each button reads."""
    return {
        "read": t("read.button"),
        "stop": t("read.stop"),
        "story": t("read.story"),
        "question": t("read.question"),
        "feedback": t("read.feedback"),
    }


class ReadingAid(anywidget.AnyWidget):
    """Invisible: focus, scrolling and announcements on screen changes, and "Lees voor"."""

    _esm = _ESM
    layout = lean.no_model(ipywidgets.Layout)
    labels = traitlets.Dict(help="button texts (beeldwijs.texts 'read.*')").tag(sync=True)

    def __init__(self) -> None:
        super().__init__(labels=reading_labels())
