"""Take the screenshots in docs/screenshots/ from the real app (``python tools/screenshots.py``).

The first screen and the presenting view (``dashboard-first-screen.png``, ``present-*.png``) are
taken by their browser test at the projector's 1280×800:
``BEELDWIJS_SCREENSHOTS=docs/screenshots pytest tests/test_e2e_present.py``.

Starts `beeldwijs start --local` on free ports with a temporary database, lets a mentor start a
session in Chromium, fills in answers of a class of 24 (through the store, as the student app
writes them), reveals results and saves what the mentor and a student see.
"""

from __future__ import annotations

import random
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from beeldwijs.content import Library  # noqa: E402
from beeldwijs.store import ResponseStore, Submission  # noqa: E402
from tests.e2e_support import LESSON, chromium, running_app  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lesson = Library().lesson(LESSON)
    rng = random.Random(7)
    with running_app(Path(tempfile.mkdtemp()), k=5) as app, chromium() as browser:
        mentor = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        mentor.set_default_timeout(90_000)
        mentor.goto(app["dashboard"])
        mentor.locator(".bw-lesson-picker select").select_option(
            label=f"{lesson.title} ({lesson.minutes} min)"
        )
        mentor.screenshot(path=OUT / "dashboard-start.png")
        mentor.click(".bw-start-session")
        code = mentor.locator(".bw-join-code").first.inner_text().strip()
        student = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        student.goto(f"{app['student']}/voila/render/{LESSON}.ipynb?code={code}")
        student.click(".bw-start")
        student.screenshot(path=OUT / "student-welcome.png", full_page=True)
        student.locator(".bw-question").wait_for()
        store = ResponseStore(app["db"])
        for who in range(24):
            for q in lesson.questions[:3]:
                ids = q.option_ids()
                weights = [5, 3, 2, 1, 1][: len(ids) - 1] + [1]
                value = rng.choices(ids, weights=weights)[0]
                store.submit(Submission(code, f"{who:032x}", q.key, value, uuid.uuid4().hex))
        mentor.locator(".bw-participants", has_text="25 deelnemers").wait_for()
        mentor.screenshot(path=OUT / "dashboard-join.png")
        for n in range(3):
            mentor.locator(".bw-result").nth(n).locator(".bw-reveal").click()
        mentor.locator(".bw-result").nth(2).locator(".bw-chart").wait_for()
        mentor.locator(".bw-result").nth(0).scroll_into_view_if_needed()
        results = mentor.locator(".bw-result").nth(0)
        results.screenshot(path=OUT / "dashboard-result-choice.png")
        mentor.locator(".bw-result").nth(1).screenshot(path=OUT / "dashboard-result-scale.png")
        student.locator(".bw-option").first.click()
        student.click(".bw-submit")
        student.locator(".bw-saved").wait_for()
        student.screenshot(path=OUT / "student-question.png", full_page=True)
    print(f"written to {OUT}")


if __name__ == "__main__":
    main()
