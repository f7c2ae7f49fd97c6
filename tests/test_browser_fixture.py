"""The shared headless Chromium opens a local page and reports its real layout width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser import browser, set_viewport

__all__ = ["browser"]


def test_a_page_wider_than_the_viewport_is_seen_as_scrolling(browser: Any, tmp_path: Path) -> None:
    page = tmp_path / "wide.html"
    page.write_text('<!doctype html><meta name="viewport" content="width=device-width">'
                    '<div style="width:800px">wide</div>', encoding="utf-8")
    set_viewport(browser, 390)
    browser.get(page.as_uri())
    assert browser.execute_script("return window.innerWidth") == 390
    assert browser.execute_script("return document.documentElement.scrollWidth") >= 800
