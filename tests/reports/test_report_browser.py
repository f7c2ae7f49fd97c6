"""The HTML report in a real Chromium: at a phone's 390 px nothing scrolls sideways, the
header card's text stays inside its border and the chart's labels are readable; on a
desktop the page looks as before (the wide chart, tables with their headings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _reports_support import cli

from tests.browser import browser, set_viewport

__all__ = ["browser"]

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "middle-of-the-road.yaml"
CASES = {
    # every section a report can have: ruled out first, reasons against, cost, the trace
    "example": [str(EXAMPLE)],
    "ruled-out-with-cost": ["--defaults", "--set", "budget=large", "--set", "support=dedicated",
                            "--set", "expertise=none", "--set", "transparency=unimportant",
                            "--set", "monthly_tokens=5000"],
    "on-premises": ["--defaults", "--set", "data=on_premises", "--set", "expertise=strong"],
    "unsure": ["--defaults", "--set", "budget=unsure", "--set", "expertise=unsure"],
}

# the right edge of every element drawn, against the viewport and the verdict card
OVERFLOW = """
const vw = document.documentElement.clientWidth, out = [];
for (const el of document.querySelectorAll('body *')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.right > vw + 0.5) out.push(el.tagName + '.' + el.className);
}
return out;
"""
OUTSIDE_CARD = """
const card = document.querySelector('.verdict').getBoundingClientRect(), out = [];
for (const el of document.querySelectorAll('.verdict *')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && (r.right > card.right - 1 || r.left < card.left)) out.push(el.tagName);
}
return out;
"""
# the height of each chart label as drawn, of the chart that is shown
LABELS = """
return [...document.querySelectorAll('svg.chart text')]
  .filter(t => t.getBoundingClientRect().height > 0)
  .map(t => [t.textContent, t.getBoundingClientRect().height,
             parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a]);
"""


def _page(tmp_path: Path, name: str) -> str:
    target = tmp_path / f"{name}.html"
    result = cli("recommend", *CASES[name], "--explain", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    return target.as_uri()


@pytest.mark.parametrize("name", sorted(CASES))
def test_at_390_px_nothing_scrolls_sideways_and_the_text_is_readable(
        browser: Any, tmp_path: Path, name: str) -> None:
    set_viewport(browser, 390)
    browser.get(_page(tmp_path, name))
    assert browser.execute_script("return window.innerWidth") == 390
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    assert browser.execute_script(OVERFLOW) == []
    assert browser.execute_script(OUTSIDE_CARD) == []
    labels = browser.execute_script(LABELS)
    assert len(labels) >= 3
    # drawn at least 13 px tall (the page's text is 16 px; the wide chart shrank them to 8)
    assert [t for t, _, size in labels if size < 13] == []
    # the reasons' table headings are hidden; each row says its points itself
    assert browser.execute_script(
        "return getComputedStyle(document.querySelector('#why thead')).display") == "none"


@pytest.mark.parametrize("name", ["example", "ruled-out-with-cost"])
def test_on_a_desktop_the_wide_chart_and_the_tables_show(browser: Any, tmp_path: Path,
                                                         name: str) -> None:
    set_viewport(browser, 1000)
    browser.get(_page(tmp_path, name))
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 1000
    assert browser.execute_script(OVERFLOW) == []
    shown = browser.execute_script(
        "return [...document.querySelectorAll('svg.chart')]"
        ".filter(s => s.getBoundingClientRect().width > 0).map(s => s.getAttribute('class'))")
    assert shown == ["chart chart-wide"]
    assert browser.execute_script(
        "return getComputedStyle(document.querySelector('#why thead')).display") != "none"
