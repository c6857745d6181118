"""Hostile text for the stored-XSS proofs: student answers and a scenario and lesson full of it.

Every HTML payload carries the attribute ``data-bw-xss``: if any page ever parses one into an
element, ``document.querySelector('[data-bw-xss]')`` finds it. Payloads that would load something
point at ``evil.example``, so an outbound request is easy to recognise.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from beeldwijs.content import Library
from beeldwijs.serve.notebooks import write_lesson_notebooks

REPO = Path(__file__).resolve().parents[1]
BASE_SCENARIO = "victim-blaming-foto-lina"
SCENARIO_ID = "xss-scenario"
LESSON_ID = "xss-les"
LESSON_TITLE = 'XSS-les <b data-bw-xss>vet</b> "quote"'

PAYLOADS = (
    '<img src=x data-bw-xss onerror="alert(1)">',
    "<svg data-bw-xss onload=alert(2)>",
    '<a data-bw-xss href="javascript:alert(3)">klik hier</a>',
    '<div data-bw-xss style="position:fixed;inset:0;z-index:9999;background:red">overlay</div>',
    "</script><script data-bw-xss>alert(4)</script>",
    "![x](http://evil.example/markdown.png)",
    r"$\undefined$ en $x^$ en $$\frac{1}{$$",
    '<iframe data-bw-xss src="http://evil.example/frame"></iframe>',
    "<style data-bw-xss>body{background:url(http://evil.example/css.png)}</style>",
    '"><img data-bw-xss src=http://evil.example/attr.png>',
    "{{7*7}} ${alert(5)} `alert(6)`",
    '=HYPERLINK("http://evil.example/csv","klik")',
)


def _p(n: int) -> str:
    return PAYLOADS[n % len(PAYLOADS)]


def evil_scenario() -> dict[str, Any]:
    """A real scenario with hostile text in every text field a page or an export shows."""
    data: dict[str, Any] = yaml.safe_load(
        (REPO / "scenarios" / f"{BASE_SCENARIO}.yaml").read_text(encoding="utf-8")
    )
    data["id"] = SCENARIO_ID
    data["title"] = f"Lina {_p(0)}"
    data["summary"] = _p(1)
    data["content_note"] = _p(2)
    data["story"]["text"] = "\n".join(PAYLOADS)
    chat = data["story"]["chat"]
    chat["title"] = _p(3)
    for n, message in enumerate(chat["messages"]):
        message["from"] = f"Tim {_p(n)}"[:60]
        message["text"] = _p(n + 4)
    for n, question in enumerate(data["questions"]):
        question["prompt"] = f"Vraag {n + 1}: {_p(n + 5)}"
        for m, option in enumerate(question.get("options", [])):
            option["text"] = _p(n + m)
        if "expert_view" in question:
            question["expert_view"] = _p(n + 7)
        if "explanation" in question:
            question["explanation"] = _p(n + 8)
    data["questions"][1]["options"][-1]["text"] = PAYLOADS[-1]  # a spreadsheet formula
    data["questions"][2]["prompt"] = f"@SUM(1+1) {_p(7)}"
    data["discussion_prompts"] = list(PAYLOADS)
    for trigger in data.get("triggers", []):
        trigger["prompt"] = _p(9)
        trigger["min_share"] = 0.1
    return data


def evil_root(folder: Path) -> Path:
    """A content root (lessons/, scenarios/, facilitator/) with one hostile lesson."""
    root = folder / "root"
    (root / "scenarios").mkdir(parents=True)
    (root / "lessons").mkdir()
    shutil.copytree(REPO / "facilitator", root / "facilitator")
    (root / "scenarios" / f"{SCENARIO_ID}.yaml").write_text(
        yaml.safe_dump(evil_scenario(), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    lesson = {
        "schema_version": 1,
        "id": LESSON_ID,
        "title": LESSON_TITLE,
        "summary": _p(9),
        "audience": ["onderbouw"],
        "minutes": 20,
        "scenarios": [SCENARIO_ID],
    }
    (root / "lessons" / f"{LESSON_ID}.yaml").write_text(
        yaml.safe_dump(lesson, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    write_lesson_notebooks(Library(root))
    return root
