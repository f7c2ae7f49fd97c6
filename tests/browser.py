"""A real headless Chromium for tests of HTML pages (reports, the answer form).

Tests take the ``browser`` fixture (``from tests.browser import browser`` in the test module, or
through ``tests/conftest.py``). It drives Debian's ``chromium`` through ``chromedriver`` with
selenium. When any of the three is missing the test is skipped with a message that says how to
install it; ``.ci/run`` installs them where it can, and says so loudly where it cannot.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

HOW_TO_INSTALL = ("apt-get install -y chromium chromium-driver"
                  " (and pip install -e '.[test]' for selenium)")


def _binary(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session; each test sets its own window size and page."""
    chromium = _binary("chromium", "chromium-browser")
    driver_path = _binary("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip(f"selenium is not installed: {HOW_TO_INSTALL}")
    if chromium is None or driver_path is None:
        pytest.skip(f"chromium or chromedriver is not installed: {HOW_TO_INSTALL}")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def set_viewport(driver: Any, width: int, height: int = 900) -> None:
    """Make the viewport exactly ``width`` CSS pixels wide (desktop layout rules, so a page
    wider than that scrolls sideways instead of being zoomed out as a phone would)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
