"""Headless Chromium (Debian's package) driven by Playwright, and a running `ssg serve`.

On a machine without /usr/bin/chromium these tests are skipped with a reason,
unless SSG_REQUIRE_BROWSER=1 (as .ci/run sets), where a missing browser fails.
Every test here is marked ``browser``: the fast tier (-m "not browser") leaves them out.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def require_chromium() -> None:
    """Skip the test when Chromium is not installed, unless SSG_REQUIRE_BROWSER is set: then fail it."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("SSG_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()
