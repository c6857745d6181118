"""Issue 16: a 200-character word stretched the projected list to 3,677 px and ran off the PDF's
word-cloud page. Rendered for real: Chromium for the dashboard's stylesheet, matplotlib's own
renderer for the word cloud."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from beeldwijs.facilitator.charts import plot_word_cloud
from beeldwijs.facilitator.dashboard import CSS

LONG = "ik" + "a" * 198  # one 200-character word, as a student could type it
WIDTH = 1000


def test_a_long_word_wraps_in_the_projected_list(browser) -> None:
    page = browser.new_page(viewport={"width": WIDTH, "height": 800})
    page.set_content(
        f"<style>{CSS}</style><div class='bw-dash'><div class='bw-result'>"
        f"<ul class='bw-approved'><li>ok {LONG} ok</li></ul></div></div>"
    )
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, "
        "document.querySelector('.bw-approved li').scrollWidth]"
    )
    page.close()
    assert max(widths) <= WIDTH, widths


def test_a_long_word_stays_inside_the_word_cloud() -> None:
    fig = Figure(figsize=(11.69, 8.27))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    drawn = plot_word_cloud(ax, [f"{LONG} delen", "niet delen", "melden"])
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    page = fig.bbox
    assert drawn
    for text in drawn:
        box = text.get_window_extent(renderer)
        assert page.x0 <= box.x0 and box.x1 <= page.x1, (text.get_text()[:30], box)
